import { aggregationRoutes } from '@huoju/contracts/http';
import { Form, Space, Table, Tag } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useLatestPeriod } from '../../api/queries';
import type { ParkEvaluation } from '../../api/types';
import { Chart } from '../../components/Chart';
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
          <Table<ParkEvaluation>
            rowKey="code"
            size="small"
            loading={evaluation.isLoading}
            dataSource={parks}
            pagination={false}
            aria-label={t('evaluation.title')}
            columns={[
              { title: t('figures.rank'), key: 'rank', render: (_: unknown, __: ParkEvaluation, i: number) => i + 1 },
              { title: t('compliance.park'), dataIndex: 'nameZh' },
              { title: t('compliance.expected'), dataIndex: 'expected', align: 'right' },
              { title: t('compliance.filed'), dataIndex: 'filed', align: 'right' },
              { title: t('compliance.filingRate'), dataIndex: 'filingRate', render: percent, align: 'right' },
              { title: t('compliance.onTimeRate'), dataIndex: 'onTimeRate', render: percent, align: 'right' },
              { title: t('evaluation.consecutive'), dataIndex: 'consecutivePeriodsBelow', align: 'right' },
              {
                title: t('evaluation.notice'),
                dataIndex: 'notice',
                render: (n: string | null, row) =>
                  n ? (
                    <Tag color={n === 'second-notice' ? 'red' : 'orange'}>{t(`evaluation.${n}`)}</Tag>
                  ) : row.below ? (
                    <Tag color="gold">{t('evaluation.below')}</Tag>
                  ) : (
                    <Tag color="green">{t('evaluation.ok')}</Tag>
                  ),
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}
