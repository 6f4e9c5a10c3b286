import { aggregationRoutes } from '@huoju/contracts/http';
import { Button, Form, Radio, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { downloadRoute } from '../../api/client';
import { useApi, useFormDefinition, useLatestPeriod } from '../../api/queries';
import type { AggregateRow } from '../../api/types';
import { useSession } from '../../api/session';
import { Chart } from '../../components/Chart';
import { DataTable } from '../../components/DataTable';
import { PeriodSelect } from '../../components/Filters';
import { NativeSelect } from '../../components/NativeSelect';
import { ProblemView } from '../../components/ProblemView';
import { useUrlState } from '../../components/url-state';
import { Panel } from '../../components/Panel';

const GROUPS = ['park', 'subPark', 'street', 'industryTag', 'qualification', 'carrier', 'zone'];
// A street team may read figures only by street, for its own streets (the service refuses every other grouping).
const STREET_GROUPS = ['street'];

/** The grouping a role starts with: the commission compares parks, a park team its sub-parks, a street team its streets. */
function defaultGroupOf(role: string | undefined): string {
  return role === 'commission' || role === 'admin' ? 'park' : role === 'street' ? 'street' : 'subPark';
}

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
    groupBy: defaultGroupOf(role),
    measure: 'ytd',
  });
  const form = useFormDefinition(filters.formId);
  const [page, setPage] = useState(1);
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
          <NativeSelect
            id="filter-indicator"
            value={filters.indicator}
            onChange={(indicator) => setFilters({ indicator })}
            width={260}
            options={(form.data?.indicators ?? []).map((i) => ({
              value: i.code,
              label: `${zh ? i.nameZh : i.nameEn} (${i.code})`,
            }))}
          />
        </Form.Item>
        <Form.Item label={t('figures.groupBy')} htmlFor="filter-group">
          <NativeSelect
            id="filter-group"
            value={filters.groupBy}
            onChange={(groupBy) => setFilters({ groupBy })}
            width={140}
            options={(role === 'street' ? STREET_GROUPS : GROUPS).map((g) => ({
              value: g,
              label: t(`figures.group.${g}`),
            }))}
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
          {!figures.data ? (
            <Panel loading />
          ) : (
            <DataTable<AggregateRow>
              label={t('figures.title')}
              rows={ranked}
              rowKey={(row) => row.member}
              pageSize={50}
              page={page}
              onPage={setPage}
              empty={t('figures.none')}
              columns={[
                { key: 'rank', title: t('figures.rank'), render: (_, index) => (page - 1) * 50 + index + 1 },
                {
                  key: 'member',
                  title: t(`figures.group.${filters.groupBy}`),
                  render: (row) => (row.memberName ? `${row.memberName} (${row.member})` : row.member),
                },
                {
                  key: 'value',
                  title: `${t('figures.value')}${filters.measure === 'yoy' ? ' (%)' : indicator ? ` (${indicator.unit})` : ''}`,
                  align: 'end',
                  render: (row) =>
                    row.value === null ? (
                      t('figures.notAvailable')
                    ) : (
                      <Link
                        to={provenance(row)}
                        aria-label={t('figures.drill', { member: row.memberName ?? row.member, value: row.value })}
                      >
                        {row.value}
                      </Link>
                    ),
                },
                { key: 'enterprises', title: t('figures.enterprises'), align: 'end', render: (row) => row.enterprises },
                { key: 'expected', title: t('compliance.expected'), align: 'end', render: (row) => row.expected },
                { key: 'accepted', title: t('figures.accepted'), align: 'end', render: (row) => row.accepted },
                {
                  key: 'final',
                  title: t('figures.final'),
                  render: (row) => (row.final ? t('figures.finalYes') : t('figures.provisional')),
                },
              ]}
            />
          )}
        </>
      )}
    </Space>
  );
}
