import { torchExportRoutes } from '@huoju/contracts/http';
import { Button, Form, Input, Progress, Select, Space, Table, Tag, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { call, downloadRoute } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useApi } from '../../api/queries';
import type { ExportJob } from '../../api/types';
import { useSession } from '../../api/session';
import { ProblemView } from '../../components/ProblemView';
import { formatTime, recentMonths } from '../../components/format';
import { Panel } from '../../components/Panel';

/** Torch exports as jobs: start one, watch its progress, download the file and its manifest. */
export default function ExportsPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const commission = session?.account.role !== 'park';
  const [problem, setProblem] = useState<ApiError>();
  const [manifest, setManifest] = useState<unknown>();
  const jobs = useApi(torchExportRoutes.listExports, {}, { refetchInterval: 1_500 });
  const start = async (values: { period: string; park: string; format: string }) => {
    setProblem(undefined);
    try {
      await call(torchExportRoutes.requestExport, {
        body: { formId: 'torch-monthly', period: values.period, park: values.park, format: values.format },
      });
      await queryClient.invalidateQueries({ queryKey: [torchExportRoutes.listExports.operationId] });
    } catch (error) {
      setProblem(error instanceof ApiError ? error : undefined);
    }
  };
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('exports.title')}</h2>
      <Panel size="small" title={t('exports.new')}>
        <Form
          layout="inline"
          onFinish={(v: { period: string; park: string; format: string }) => void start(v)}
          initialValues={{
            park: commission ? 'all' : (session?.account.scope[0] ?? ''),
            format: 'xlsx',
            period: recentMonths()[0],
          }}
        >
          <Form.Item label={t('common.period')} name="period" htmlFor="export-period">
            <Select
              id="export-period"
              showSearch
              style={{ width: 140 }}
              options={recentMonths().map((p) => ({ value: p, label: p }))}
            />
          </Form.Item>
          <Form.Item
            label={t('compliance.park')}
            name="park"
            htmlFor="export-park"
            extra={commission ? t('exports.parkHelp') : undefined}
          >
            <Input id="export-park" style={{ width: 120 }} disabled={!commission} />
          </Form.Item>
          <Form.Item label={t('exports.format')} name="format" htmlFor="export-format">
            <Select
              id="export-format"
              style={{ width: 140 }}
              options={[
                { value: 'xlsx', label: 'Torch XLSX' },
                { value: 'csv', label: 'CSV' },
                { value: 'sdmx-csv', label: 'SDMX-CSV' },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('exports.start')}
          </Button>
        </Form>
        {problem && (
          <div style={{ marginTop: 12 }}>
            <ProblemView error={problem} />
          </div>
        )}
      </Panel>
      {jobs.error ? (
        <ProblemView error={jobs.error} />
      ) : (
        <Table<ExportJob>
          rowKey="id"
          size="small"
          aria-label={t('exports.jobs')}
          loading={jobs.isLoading}
          dataSource={jobs.data?.exports ?? []}
          locale={{ emptyText: t('exports.none') }}
          columns={[
            { title: t('common.period'), dataIndex: 'period' },
            { title: t('compliance.park'), dataIndex: 'park' },
            { title: t('exports.format'), dataIndex: 'format' },
            {
              title: t('common.status'),
              dataIndex: 'state',
              render: (s: string, row) =>
                s === 'completed' ? (
                  <Tag color="green">{t('exports.completed')}</Tag>
                ) : s === 'failed' ? (
                  <Tag color="red">{t('exports.failed')}</Tag>
                ) : (
                  <Progress
                    percent={Number(row.progress?.percent ?? 0)}
                    size="small"
                    style={{ width: 120 }}
                    aria-label={t('exports.progress')}
                  />
                ),
            },
            {
              title: t('webhooks.createdAt'),
              dataIndex: 'createdAt',
              render: (v?: string) => formatTime(v, i18n.language),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, row) =>
                row.state === 'completed' ? (
                  <Space>
                    <Button
                      size="small"
                      onClick={() =>
                        void downloadRoute(
                          torchExportRoutes.getExportFile,
                          { params: { id: row.id } },
                          `torch-${row.park}-${row.period}.${row.format === 'xlsx' ? 'xlsx' : 'csv'}`,
                        )
                      }
                    >
                      {t('exports.download')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() =>
                        void call(torchExportRoutes.getExportManifest, { params: { id: row.id } }).then(setManifest)
                      }
                    >
                      {t('exports.manifest')}
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      )}
      <Modal
        open={manifest !== undefined}
        onCancel={() => setManifest(undefined)}
        footer={null}
        title={t('exports.manifest')}
        width={720}
      >
        <pre style={{ maxHeight: 480, overflow: 'auto' }}>{JSON.stringify(manifest, null, 2)}</pre>
      </Modal>
    </Space>
  );
}
