import { aggregationRoutes } from '@huoju/contracts/http';
import { Button, Form, Radio, Select, Space, Table } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { downloadRoute } from '../../api/client';
import { useApi, useFormDefinition, useLatestPeriod } from '../../api/queries';
import type { AggregateRow } from '../../api/types';
import { useSession } from '../../api/session';
import { Chart } from '../../components/Chart';
import { PeriodSelect } from '../../components/Filters';
import { ProblemView } from '../../components/ProblemView';
import { useUrlState } from '../../components/url-state';
import { Panel } from '../../components/Panel';

const GROUPS = ['park', 'subPark', 'street', 'industryTag', 'qualification', 'carrier', 'zone'];

/** Figures by park, sub-park, street, industry or qualification; month / YTD / YoY; each figure drills down. */
export default function FiguresPage() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const session = useSession();
  const role = session?.account.role;
  const [filters, setFilters] = useUrlState({
    formId: 'torch-monthly',
    period: '',
    indicator: 'qc05_0',
    groupBy: role === 'commission' || role === 'admin' ? 'park' : 'subPark',
    measure: 'ytd',
  });
  const form = useFormDefinition(filters.formId);
  const { period } = useLatestPeriod(filters.formId, filters.period);
  const query = { ...filters, period };
  const figures = useApi(aggregationRoutes.queryAggregates, { query }, { enabled: Boolean(period) });
  const rows = figures.data?.rows ?? [];
  const indicator = form.data?.indicators.find((i) => i.code === filters.indicator);
  const option = useMemo(
    () => ({
      tooltip: {},
      grid: { left: 80, right: 16, bottom: 60 },
      xAxis: { type: 'category', data: rows.map((r) => r.memberName ?? r.member), axisLabel: { rotate: 30 } },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: rows.map((r) => Number(r.value ?? 0)), itemStyle: { color: '#c0392b' } }],
    }),
    [rows],
  );
  const provenance = (row: AggregateRow) =>
    `/provenance?formId=${filters.formId}&period=${figures.data?.period ?? filters.period}&indicator=${filters.indicator}&groupBy=${filters.groupBy}&measure=${filters.measure}&member=${encodeURIComponent(row.member)}`;
  const ranked = [...rows].sort((a, b) => Number(b.value ?? 0) - Number(a.value ?? 0));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('figures.title')}</h2>
      <Form layout="inline" aria-label={t('common.filters')}>
        <PeriodSelect value={filters.period} onChange={(period) => setFilters({ period })} />
        <Form.Item label={t('figures.indicator')} htmlFor="filter-indicator">
          <Select
            id="filter-indicator"
            value={filters.indicator}
            onChange={(indicator: string) => setFilters({ indicator })}
            style={{ width: 260 }}
            options={(form.data?.indicators ?? []).map((i) => ({
              value: i.code,
              label: `${zh ? i.nameZh : i.nameEn} (${i.code})`,
            }))}
          />
        </Form.Item>
        <Form.Item label={t('figures.groupBy')} htmlFor="filter-group">
          <Select
            id="filter-group"
            value={filters.groupBy}
            onChange={(groupBy: string) => setFilters({ groupBy })}
            style={{ width: 140 }}
            options={GROUPS.map((g) => ({ value: g, label: t(`figures.group.${g}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('figures.measure')}>
          <Radio.Group
            value={filters.measure}
            onChange={(event) => setFilters({ measure: String(event.target.value) })}
            optionType="button"
            options={['month', 'ytd', 'yoy'].map((m) => ({ value: m, label: t(`figures.measures.${m}`) }))}
          />
        </Form.Item>
        <Button
          onClick={() =>
            void downloadRoute(
              aggregationRoutes.queryAggregates,
              { query: { ...query, format: 'csv' } },
              `aggregates-${filters.indicator}.csv`,
            )
          }
        >
          {t('common.downloadCsv')}
        </Button>
      </Form>
      {figures.error ? (
        <ProblemView error={figures.error} onRetry={() => void figures.refetch()} />
      ) : (
        <>
          <Panel
            size="small"
            title={`${indicator ? (zh ? indicator.nameZh : indicator.nameEn) : filters.indicator} · ${figures.data?.period ?? ''} · ${t(`figures.measures.${filters.measure}`)}`}
          >
            {rows.length > 0 ? (
              <Chart option={option} label={t('figures.chartLabel')} />
            ) : (
              <span>{t('figures.none')}</span>
            )}
          </Panel>
          <Table<AggregateRow>
            rowKey="member"
            size="small"
            loading={figures.isLoading}
            aria-label={t('figures.title')}
            dataSource={ranked}
            pagination={{ pageSize: 50 }}
            locale={{ emptyText: t('figures.none') }}
            columns={[
              {
                title: t('figures.rank'),
                key: 'rank',
                render: (_: unknown, __: AggregateRow, index: number) => index + 1,
              },
              {
                title: t(`figures.group.${filters.groupBy}`),
                dataIndex: 'member',
                render: (m: string, row) => (row.memberName ? `${row.memberName} (${m})` : m),
              },
              {
                title: `${t('figures.value')}${filters.measure === 'yoy' ? ' (%)' : indicator ? ` (${indicator.unit})` : ''}`,
                dataIndex: 'value',
                align: 'right',
                render: (v: string | null, row) =>
                  v === null ? (
                    t('figures.notAvailable')
                  ) : (
                    <Link
                      to={provenance(row)}
                      aria-label={t('figures.drill', { member: row.memberName ?? row.member, value: v })}
                    >
                      {v}
                    </Link>
                  ),
              },
              { title: t('figures.enterprises'), dataIndex: 'enterprises', align: 'right' },
              { title: t('compliance.expected'), dataIndex: 'expected', align: 'right' },
              { title: t('figures.accepted'), dataIndex: 'accepted', align: 'right' },
              {
                title: t('figures.final'),
                dataIndex: 'final',
                render: (f: boolean) => (f ? t('figures.finalYes') : t('figures.provisional')),
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}
