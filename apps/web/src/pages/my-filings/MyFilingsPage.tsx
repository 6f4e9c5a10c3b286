import { Button, Form, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useFilings } from '../../api/queries';
import type { FilingSummary } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { ProblemView } from '../../components/ProblemView';
import { StatusTag } from '../../components/StatusTag';
import { formatTime, recentMonths } from '../../components/format';
import { useUrlState } from '../../components/url-state';
import { Panel } from '../../components/Panel';

/** The enterprise's filings, and where to file the next one. */
export default function MyFilingsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlState({ page: '1', form: '' });
  const filings = useFilings({ page: filters.page, pageSize: 20, formId: filters.form });
  const [form, setForm] = useState('torch-monthly');
  const months = recentMonths();
  const years = [String(new Date().getFullYear() - 1), String(new Date().getFullYear() - 2)];
  const [period, setPeriod] = useState<string>();
  const periods = form === 'torch-monthly' ? months : years;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('myFilings.title')}</h2>
      <Panel title={t('myFilings.fileNew')} size="small">
        <Form layout="inline" onFinish={() => period && navigate(`/file?form=${form}&period=${period}`)}>
          <Form.Item label={t('common.form')} htmlFor="new-form">
            <Select
              id="new-form"
              value={form}
              onChange={(value: string) => {
                setForm(value);
                setPeriod(undefined);
              }}
              style={{ width: 220 }}
              options={[
                { value: 'torch-monthly', label: t('form.torch-monthly') },
                { value: 'torch-annual', label: t('form.torch-annual') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('common.period')} htmlFor="new-period">
            <Select
              id="new-period"
              value={period}
              onChange={setPeriod}
              placeholder={t('common.choosePeriod')}
              style={{ width: 160 }}
              options={periods.map((p) => ({ value: p, label: p }))}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" disabled={!period}>
            {t('myFilings.open')}
          </Button>
        </Form>
      </Panel>
      {filings.error ? (
        <ProblemView error={filings.error} onRetry={() => void filings.refetch()} />
      ) : !filings.data ? (
        <Panel loading />
      ) : (
        <DataTable<FilingSummary>
          label={t('myFilings.title')}
          rows={filings.data.items}
          rowKey={(row) => row.id}
          empty={t('myFilings.none')}
          page={filings.data.page}
          pageSize={filings.data.pageSize}
          total={filings.data.total}
          onPage={(page) => setFilters({ page: String(page) })}
          columns={[
            { key: 'period', title: t('common.period'), render: (row) => row.period },
            { key: 'form', title: t('common.form'), render: (row) => t(`form.${row.formId}`) },
            { key: 'status', title: t('common.status'), render: (row) => <StatusTag status={row.status} /> },
            { key: 'revision', title: t('filing.revision'), render: (row) => row.currentRevision },
            {
              key: 'updatedAt',
              title: t('common.updatedAt'),
              render: (row) => formatTime(row.updatedAt, i18n.language),
            },
            {
              key: 'actions',
              title: t('common.actions'),
              render: (row) => (
                <Space>
                  <Link to={`/filings/${row.id}`}>{t('myFilings.view')}</Link>
                  <Link to={`/file?form=${row.formId}&period=${row.period}`}>{t('myFilings.amend')}</Link>
                </Space>
              ),
            },
          ]}
        />
      )}
    </Space>
  );
}
