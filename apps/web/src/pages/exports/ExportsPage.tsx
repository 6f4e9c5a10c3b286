import { torchExportRoutes } from '@huoju/contracts/http';
import { Button, Form, Input, Progress, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { call, downloadRoute } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useApi } from '../../api/queries';
import type { ExportJob } from '../../api/types';
import { useSession } from '../../api/session';
import { DataTable } from '../../components/DataTable';
import { NativeSelect } from '../../components/NativeSelect';
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
            <NativeSelect
              id="export-period"
              width={140}
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
            <NativeSelect
              id="export-format"
              width={140}
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
      ) : !jobs.data ? (
        <Panel loading />
      ) : (
        <Panel size="small" title={t('exports.jobs')}>
          <DataTable<ExportJob>
            label={t('exports.jobs')}
            rows={jobs.data.exports}
            rowKey={(row) => row.id}
            empty={t('exports.none')}
            columns={[
              { key: 'period', title: t('common.period'), render: (row) => row.period },
              { key: 'park', title: t('compliance.park'), render: (row) => row.park },
              { key: 'format', title: t('exports.format'), render: (row) => row.format },
              {
                key: 'state',
                title: t('common.status'),
                render: (row) =>
                  row.state === 'completed' ? (
                    <Tag color="green">{t('exports.completed')}</Tag>
                  ) : row.state === 'failed' ? (
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
                key: 'createdAt',
                title: t('webhooks.createdAt'),
                render: (row) => formatTime(row.createdAt, i18n.language),
              },
              {
                key: 'actions',
                title: t('common.actions'),
                render: (row) =>
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
        </Panel>
      )}
      {manifest !== undefined && (
        // Shown in place rather than in antd's Modal (its portal and motion code weigh ~20 kB on this page).
        <Panel
          size="small"
          title={t('exports.manifest')}
          extra={<Button onClick={() => setManifest(undefined)}>{t('common.close')}</Button>}
        >
          <pre style={{ maxHeight: 480, overflow: 'auto', margin: 0 }}>{JSON.stringify(manifest, null, 2)}</pre>
        </Panel>
      )}
    </Space>
  );
}
