import { aggregationRoutes } from '@huoju/contracts/http';
import { Alert, Button, Card, Col, Form, Input, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { downloadRoute } from '../../api/client';
import { useCompliance, useTrend } from '../../api/queries';
import { useSession } from '../../api/session';
import type { ComplianceStatus, WorkQueueItem } from '../../api/types';
import { Chart } from '../../components/Chart';
import { FormSelect, PeriodSelect } from '../../components/Filters';
import { ProblemView } from '../../components/ProblemView';
import { StatusTag } from '../../components/StatusTag';
import { formatTime, percent } from '../../components/format';
import { useUrlState } from '../../components/url-state';

const COUNTED: ComplianceStatus[] = [
  'filed-on-time',
  'filed-late',
  'needs-explanation',
  'rejected',
  'overdue',
  'not-filed',
];

/** 催报工作台: who filed, who is late, who is missing — for a street, a park or the zone. Refreshes itself. */
export default function CompliancePage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const role = session?.account.role;
  const defaultScope = session?.account.scope[0] ?? '';
  const [filters, setFilters] = useUrlState({
    form: 'torch-monthly',
    period: '',
    street: role === 'street' ? defaultScope : '',
    park: role === 'park' ? defaultScope : '',
    q: '',
    page: '1',
  });
  const area = filters.street ? { street: filters.street } : filters.park ? { park: filters.park } : {};
  const trend = useTrend({ form: filters.form, periods: 12, ...area });
  // Without a period in the URL: the trend's newest period (the service's clock decides, not the browser's).
  const period = filters.period || trend.data?.points[trend.data.points.length - 1]?.period || '';
  const query = { form: filters.form, period, ...area };
  const compliance = useCompliance(query, Boolean(period));
  const [downloading, setDownloading] = useState(false);
  const data = compliance.data;
  const queue = useMemo(() => {
    const text = filters.q.trim().toLowerCase();
    const all = (data?.queue ?? []).filter((item) => item.status !== 'filed-on-time');
    return text ? all.filter((i) => i.nameZh.toLowerCase().includes(text) || i.uscc.toLowerCase().includes(text)) : all;
  }, [data, filters.q]);
  const trendOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('compliance.filingRate'), t('compliance.onTimeRate')] },
      xAxis: { type: 'category', data: trend.data?.points.map((p) => p.period) ?? [] },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: t('compliance.filingRate'),
          type: 'line',
          data: trend.data?.points.map((p) => Number(p.filingRate ?? 0)) ?? [],
        },
        {
          name: t('compliance.onTimeRate'),
          type: 'line',
          data: trend.data?.points.map((p) => Number(p.onTimeRate ?? 0)) ?? [],
        },
      ],
    }),
    [trend.data, t],
  );

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setDownloading(true);
    try {
      await downloadRoute(
        aggregationRoutes.getCompliance,
        { query: { ...query, format } },
        `compliance-${data?.period ?? ''}.${format}`,
      );
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} className="page-title">
        {t('compliance.title')}
        {data && ` · ${data.scope.namesZh.filter(Boolean).join('、') || t(`scope.${data.scope.kind}`)}`}
      </Typography.Title>
      <Form layout="inline" className="no-print" aria-label={t('common.filters')}>
        <FormSelect value={filters.form} onChange={(form) => setFilters({ form })} />
        <PeriodSelect value={filters.period} onChange={(period) => setFilters({ period })} />
        {role !== 'street' && (
          <Form.Item label={t('compliance.park')} htmlFor="filter-park">
            <Input.Search
              id="filter-park"
              defaultValue={filters.park}
              onSearch={(park) => setFilters({ park, street: '' })}
              allowClear
              style={{ width: 140 }}
            />
          </Form.Item>
        )}
        <Form.Item label={t('compliance.street')} htmlFor="filter-street">
          <Input.Search
            id="filter-street"
            defaultValue={filters.street}
            onSearch={(street) => setFilters({ street })}
            allowClear
            style={{ width: 160 }}
          />
        </Form.Item>
      </Form>
      {compliance.error || trend.error ? (
        <ProblemView error={compliance.error ?? trend.error} onRetry={() => void compliance.refetch()} />
      ) : !data ? (
        <Card loading />
      ) : (
        <>
          <Space wrap>
            <Typography.Text type="secondary">
              {t('compliance.asOf', { time: formatTime(data.asOf, i18n.language), period: data.period })}
            </Typography.Text>
            <Countdown
              label={t('compliance.dueIn')}
              at={data.calendar.dueAt}
              asOf={data.asOf}
              day={data.calendar.dueOn}
            />
            <Countdown
              label={t('compliance.graceIn')}
              at={data.calendar.graceEndsAt}
              asOf={data.asOf}
              day={data.calendar.graceEndsOn}
            />
            {trend.data && (
              <Tag>
                {t('compliance.rank', { rank: rankOf(trend.data.points.map((p) => Number(p.filingRate ?? 0))) })}
              </Tag>
            )}
          </Space>
          {data.expected === 0 ? (
            <Alert type="info" title={t('compliance.noneExpected')} />
          ) : (
            <Row gutter={[16, 16]}>
              <Col span={4}>
                <Card size="small">
                  <Statistic title={t('compliance.expected')} value={data.expected} />
                </Card>
              </Col>
              <Col span={4}>
                <Card size="small">
                  <Statistic title={t('compliance.filed')} value={data.filed} />
                </Card>
              </Col>
              <Col span={4}>
                <Card size="small">
                  <Statistic title={t('compliance.filingRate')} value={percent(data.filingRate)} />
                </Card>
              </Col>
              <Col span={4}>
                <Card size="small">
                  <Statistic title={t('compliance.onTimeRate')} value={percent(data.onTimeRate)} />
                </Card>
              </Col>
              {COUNTED.map((status) => (
                <Col span={4} key={status}>
                  <Card size="small">
                    <Statistic
                      title={t(`status.${status}`)}
                      value={data.counts[status]}
                      suffix={`/ ${data.expected}`}
                    />
                  </Card>
                </Col>
              ))}
            </Row>
          )}
          <Card
            size="small"
            title={t('compliance.queue', { count: queue.length })}
            extra={
              <Space className="no-print">
                <Input.Search
                  aria-label={t('compliance.search')}
                  placeholder={t('compliance.search')}
                  defaultValue={filters.q}
                  onSearch={(q) => setFilters({ q, page: '1' })}
                  allowClear
                  style={{ width: 200 }}
                />
                <Button loading={downloading} onClick={() => void exportAs('xlsx')}>
                  {t('common.downloadXlsx')}
                </Button>
                <Button loading={downloading} onClick={() => void exportAs('csv')}>
                  {t('common.downloadCsv')}
                </Button>
                <Button onClick={() => window.print()}>{t('common.print')}</Button>
              </Space>
            }
          >
            <Table<WorkQueueItem>
              rowKey="uscc"
              size="small"
              aria-label={t('compliance.queueLabel')}
              dataSource={queue as WorkQueueItem[]}
              locale={{ emptyText: t('compliance.queueEmpty') }}
              pagination={{
                current: Number(filters.page),
                pageSize: 20,
                onChange: (page) => setFilters({ page: String(page) }),
                showSizeChanger: false,
              }}
              columns={[
                {
                  title: t('compliance.enterprise'),
                  dataIndex: 'nameZh',
                  render: (name: string, row) => (
                    <Link to={`/enterprises/${row.uscc}?period=${data.period}&form=${data.formId}`}>{name}</Link>
                  ),
                },
                { title: 'USCC', dataIndex: 'uscc' },
                { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
                { title: t('compliance.daysLate'), dataIndex: 'daysLate', render: (v: number | null) => v ?? '—' },
                {
                  title: t('compliance.contact'),
                  key: 'contact',
                  render: (_: unknown, row) => (
                    <span>
                      {row.contact.name}
                      <br />
                      {row.contact.phone}
                      <br />
                      {row.contact.email}
                    </span>
                  ),
                },
                {
                  title: t('compliance.park'),
                  dataIndex: 'parkNameZh',
                  render: (v: string | null, row) => v ?? row.parkCode,
                },
                { title: t('compliance.subPark'), dataIndex: 'subParkCode' },
                {
                  title: t('compliance.street'),
                  dataIndex: 'streetNameZh',
                  render: (v: string | null, row) => v ?? row.streetCode,
                },
                {
                  title: t('compliance.firstReceived'),
                  dataIndex: 'firstReceivedAt',
                  render: (v: string | null) => formatTime(v, i18n.language),
                },
              ]}
            />
          </Card>
          <Card size="small" title={t('compliance.trend')}>
            <Chart option={trendOption} label={t('compliance.trendLabel')} />
            <Table
              size="small"
              rowKey="period"
              pagination={false}
              aria-label={t('compliance.trend')}
              dataSource={[...(trend.data?.points ?? [])]}
              columns={[
                { title: t('common.period'), dataIndex: 'period' },
                { title: t('compliance.expected'), dataIndex: 'expected' },
                { title: t('compliance.filed'), dataIndex: 'filed' },
                { title: t('compliance.filingRate'), dataIndex: 'filingRate', render: percent },
                { title: t('compliance.onTimeRate'), dataIndex: 'onTimeRate', render: percent },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}

/** Days left to a deadline, counted from the service's "as of" time (its clock, not the browser's). */
function Countdown({ label, at, asOf, day }: { label: string; at: string; asOf: string; day: string }) {
  const { t } = useTranslation();
  const days = Math.ceil((new Date(at).getTime() - new Date(asOf).getTime()) / 86_400_000);
  return (
    <Tag color={days < 0 ? 'red' : days <= 3 ? 'orange' : 'blue'}>
      {label} {day} ·{' '}
      {days >= 0 ? t('compliance.daysLeft', { count: days }) : t('compliance.daysPast', { count: -days })}
    </Tag>
  );
}

/** The latest period's place among the trend's periods (1 = best filing rate of the twelve). */
function rankOf(rates: number[]): string {
  if (rates.length === 0) return '—';
  const latest = rates[rates.length - 1]!;
  return `${rates.filter((r) => r > latest).length + 1}/${rates.length}`;
}
