import { aggregationRoutes } from '@huoju/contracts/http';
import { Form, Space, Tag } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useLatestPeriod } from '../../api/queries';
import type { ParkEvaluation } from '../../api/types';
import { Chart } from '../../components/Chart';
import { DataTable } from '../../components/DataTable';
import { FormSelect, PeriodSelect } from '../../components/Filters';
import { ProblemView } from '../../components/ProblemView';
import { percent } from '../../components/format';
import { useUrlState } from '../../components/url-state';
import { Panel } from '../../components/Panel';

/** The commission's evaluation of the parks: filing rates, 一次通报、两次摘牌. */
export default function EvaluationPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlState({ form: 'torch-monthly', period: '' });
  const { period } = useLatestPeriod(filters.form, filters.period);
  const evaluation = useApi(
    aggregationRoutes.getEvaluation,
    { query: { form: filters.form, period } },
    { enabled: Boolean(period) },
  );
  const parks = [...(evaluation.data?.parks ?? [])].sort(
    (a, b) => Number(b.filingRate ?? -1) - Number(a.filingRate ?? -1),
  );
  const option = useMemo(
    () => ({
      tooltip: {},
      grid: { left: 48, right: 16, bottom: 80 },
      xAxis: { type: 'category', data: parks.map((p) => p.nameZh), axisLabel: { rotate: 40 } },
      yAxis: { type: 'value', max: 100 },
      series: [{ type: 'bar', data: parks.map((p) => Number(p.filingRate ?? 0)), itemStyle: { color: '#c0392b' } }],
    }),
    [parks],
  );
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('evaluation.title')}</h2>
      <Form layout="inline" aria-label={t('common.filters')}>
        <FormSelect value={filters.form} onChange={(form) => setFilters({ form })} />
        <PeriodSelect value={filters.period} onChange={(period) => setFilters({ period })} />
      </Form>
      {evaluation.error ? (
        <ProblemView error={evaluation.error} />
      ) : (
        <>
          <span className="text-secondary">
            {evaluation.data &&
              t('evaluation.threshold', { threshold: evaluation.data.threshold, period: evaluation.data.period })}
          </span>
          <Panel size="small" title={t('evaluation.chart')}>
            <Chart option={option} label={t('evaluation.chart')} />
          </Panel>
          {evaluation.isLoading ? (
            <Panel loading />
          ) : (
            <DataTable<ParkEvaluation>
              label={t('evaluation.title')}
              rows={parks}
              rowKey={(row) => row.code}
              columns={[
                { key: 'rank', title: t('figures.rank'), render: (_, index) => index + 1 },
                { key: 'park', title: t('compliance.park'), render: (row) => row.nameZh ?? row.code },
                { key: 'expected', title: t('compliance.expected'), align: 'end', render: (row) => row.expected },
                { key: 'filed', title: t('compliance.filed'), align: 'end', render: (row) => row.filed },
                {
                  key: 'filingRate',
                  title: t('compliance.filingRate'),
                  align: 'end',
                  render: (row) => percent(row.filingRate),
                },
                {
                  key: 'onTimeRate',
                  title: t('compliance.onTimeRate'),
                  align: 'end',
                  render: (row) => percent(row.onTimeRate),
                },
                {
                  key: 'consecutive',
                  title: t('evaluation.consecutive'),
                  align: 'end',
                  render: (row) => row.consecutivePeriodsBelow,
                },
                {
                  key: 'notice',
                  title: t('evaluation.notice'),
                  render: (row) =>
                    row.notice ? (
                      <Tag color={row.notice === 'second-notice' ? 'red' : 'orange'}>
                        {t(`evaluation.${row.notice}`)}
                      </Tag>
                    ) : row.below ? (
                      <Tag color="gold">{t('evaluation.below')}</Tag>
                    ) : (
                      <Tag color="green">{t('evaluation.ok')}</Tag>
                    ),
                },
              ]}
            />
          )}
        </>
      )}
    </Space>
  );
}
