import { aggregationRoutes } from '@huoju/contracts/http';
import { Alert, Button, Col, Form, Input, Row, Space, Statistic, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { downloadRoute } from '../../api/client';
import { useCompliance, useLatestPeriod, useTrend } from '../../api/queries';
import { useSession } from '../../api/session';
import type { ComplianceStatus, Trend, TrendPoint, WorkQueueItem } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Chart } from '../../components/Chart';
import { FormSelect, PeriodSelect } from '../../components/Filters';
import { ProblemView } from '../../components/ProblemView';
import { StatusTag } from '../../components/StatusTag';
import { formatTime, percent } from '../../components/format';
import { useUrlState } from '../../components/url-state';
import { Panel } from '../../components/Panel';

const QUEUE_PAGE_SIZE = 20;
const CHASED = ['overdue', 'not-filed', 'needs-explanation', 'rejected', 'filed-late'] as const;

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
    status: '',
    page: '1',
  });
  const area = filters.street ? { street: filters.street } : filters.park ? { park: filters.park } : {};
  // Without a period in the URL: the newest one (the service's clock decides, not the browser's), asked on
  // its own so the work queue does not wait for the twelve-period trend.
  const { period } = useLatestPeriod(filters.form, filters.period);
  const query = {
    form: filters.form,
    period,
    ...area,
    q: filters.q.trim() || undefined,
    status: (CHASED as readonly string[]).includes(filters.status) ? filters.status : undefined,
  };
  // The service pages, filters and orders the queue; the page shows one page of it.
  const compliance = useCompliance({ ...query, page: filters.page, pageSize: QUEUE_PAGE_SIZE }, Boolean(period));
  const [downloading, setDownloading] = useState(false);
  const data = compliance.data;
  // The trend ends at the chosen period (its rank is that period's), or at the newest one. It is asked once
  // the queue has been painted: on two cores its twelve periods' SQL would otherwise take the CPU the browser
  // needs for the first rows.
  const queuePainted = usePainted(data !== undefined);
  const trend = useTrend({ form: filters.form, periods: 12, to: filters.period || undefined, ...area }, queuePainted);
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
        // The whole queue of the period and area, whatever the page's status and text filters.
        { query: { form: query.form, period: query.period, ...area, format } },
        `compliance-${data?.period ?? ''}.${format}`,
      );
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">
        {t('compliance.title')}
        {data && ` · ${data.scope.namesZh.filter(Boolean).join('、') || t(`scope.${data.scope.kind}`)}`}
      </h2>
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
        <Panel loading />
      ) : (
        <>
          <Space wrap>
            <span className="text-secondary">
              {t('compliance.asOf', { time: formatTime(data.asOf, i18n.language), period: data.period })}
            </span>
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
            {trend.data && <Ranks ranks={trend.data.ranks} />}
          </Space>
          {data.expected === 0 ? (
            <Alert type="info" title={t('compliance.noneExpected')} />
          ) : (
            <Row gutter={[16, 16]}>
              <Col span={4}>
                <Panel size="small">
                  <Statistic title={t('compliance.expected')} value={data.expected} />
                </Panel>
              </Col>
              <Col span={4}>
                <Panel size="small">
                  <Statistic title={t('compliance.filed')} value={data.filed} />
                </Panel>
              </Col>
              <Col span={4}>
                <Panel size="small">
                  <Statistic title={t('compliance.filingRate')} value={percent(data.filingRate)} />
                </Panel>
              </Col>
              <Col span={4}>
                <Panel size="small">
                  <Statistic title={t('compliance.onTimeRate')} value={percent(data.onTimeRate)} />
                </Panel>
              </Col>
              {COUNTED.map((status) => (
                <Col span={4} key={status}>
                  <Panel size="small">
                    <Statistic
                      title={t(`status.${status}`)}
                      value={data.counts[status]}
                      suffix={`/ ${data.expected}`}
                    />
                  </Panel>
                </Col>
              ))}
            </Row>
          )}
          <Panel
            size="small"
            title={t('compliance.queue', { count: data.queueTotal })}
            extra={
              <Space className="no-print">
                <select
                  aria-label={t('compliance.statusFilter')}
                  className="native-select"
                  value={filters.status}
                  onChange={(e) => setFilters({ status: e.target.value, page: '1' })}
                >
                  <option value="">{t('compliance.allStatuses')}</option>
                  {CHASED.map((status) => (
                    <option key={status} value={status}>
                      {t(`status.${status}`)}
                    </option>
                  ))}
                </select>
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
            <DataTable<WorkQueueItem>
              label={t('compliance.queueLabel')}
              rows={data.queue}
              rowKey={(row) => row.uscc}
              empty={t('compliance.queueEmpty')}
              page={data.page}
              pageSize={data.pageSize}
              total={data.queueTotal}
              onPage={(page) => setFilters({ page: String(page) })}
              columns={[
                {
                  key: 'name',
                  title: t('compliance.enterprise'),
                  render: (row) => (
                    <>
                      <Link to={`/enterprises/${row.uscc}?period=${data.period}&form=${data.formId}`}>
                        {row.nameZh}
                      </Link>
                      <br />
                      <span className="text-secondary">{row.uscc}</span>
                    </>
                  ),
                },
                { key: 'status', title: t('common.status'), render: (row) => <StatusTag status={row.status} /> },
                { key: 'daysLate', title: t('compliance.daysLate'), render: (row) => row.daysLate ?? '—' },
                {
                  key: 'contact',
                  title: t('compliance.contact'),
                  render: ({ contact }) => (
                    <span>
                      {contact.name}
                      <br />
                      {contact.phone}
                      <br />
                      {contact.email}
                    </span>
                  ),
                },
                {
                  key: 'park',
                  title: t('compliance.park'),
                  render: (row) => (
                    <>
                      {row.parkNameZh ?? row.parkCode}
                      <br />
                      <span className="text-secondary">{row.subParkCode}</span>
                    </>
                  ),
                },
                { key: 'street', title: t('compliance.street'), render: (row) => row.streetNameZh ?? row.streetCode },
                {
                  key: 'industry',
                  title: t('roster.industry'),
                  render: (row) => (
                    <>
                      {row.industryNameZh ?? row.industryCode}
                      <br />
                      <span className="text-secondary">{row.industryCode}</span>
                    </>
                  ),
                },
                {
                  key: 'reminder',
                  title: t('compliance.lastReminder'),
                  render: ({ lastReminder }) => <LastReminderCell reminder={lastReminder} />,
                },
                {
                  key: 'received',
                  title: t('compliance.firstReceived'),
                  render: (row) => formatTime(row.firstReceivedAt, i18n.language),
                },
              ]}
            />
          </Panel>
          <Panel size="small" title={t('compliance.trend')}>
            {/* ECharts' chunk too waits for the queue's first paint. */}
            {queuePainted && <Chart option={trendOption} label={t('compliance.trendLabel')} />}
            <DataTable<TrendPoint>
              label={t('compliance.trend')}
              rows={trend.data?.points ?? []}
              rowKey={(p) => p.period}
              columns={[
                { key: 'period', title: t('common.period'), render: (p) => p.period },
                { key: 'expected', title: t('compliance.expected'), render: (p) => p.expected },
                { key: 'filed', title: t('compliance.filed'), render: (p) => p.filed },
                { key: 'filingRate', title: t('compliance.filingRate'), render: (p) => percent(p.filingRate) },
                { key: 'onTimeRate', title: t('compliance.onTimeRate'), render: (p) => percent(p.onTimeRate) },
              ]}
            />
          </Panel>
        </>
      )}
    </Space>
  );
}

/** True from the first frame painted after `ready` became true (and from then on). */
function usePainted(ready: boolean): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (!ready || painted) return;
    // requestAnimationFrame runs before the frame is painted; the timeout after it runs once it has been.
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timeout = setTimeout(() => setPainted(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timeout) clearTimeout(timeout);
    };
  }, [ready, painted]);
  return painted;
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

/** The street's place among its park's streets and the zone's (or the park's among the parks), for the period. */
function Ranks({ ranks }: { ranks: Trend['ranks'] }) {
  const { t } = useTranslation();
  return (
    <>
      {ranks.map((rank) => (
        <Tag key={`${rank.among}-${rank.parkCode ?? ''}`} color="geekblue">
          {t(`compliance.rank.${rank.among}`, { park: rank.parkCode, position: rank.position, of: rank.of })}
        </Tag>
      ))}
    </>
  );
}

const DELIVERY_COLOR = { delivered: 'green', pending: 'blue', failed: 'red' } as const;

/** The last reminder sent for the enterprise this period, when, and whether each webhook got it. */
function LastReminderCell({ reminder }: { reminder: WorkQueueItem['lastReminder'] }) {
  const { t, i18n } = useTranslation();
  if (!reminder) return <span className="text-secondary">{t('compliance.noReminder')}</span>;
  return (
    <span>
      {t(`reminder.${reminder.kind}`)} · {formatTime(reminder.sentAt, i18n.language)}
      <br />
      {reminder.deliveries.length === 0 ? (
        <span className="text-secondary">{t('compliance.noWebhook')}</span>
      ) : (
        reminder.deliveries.map((d) => (
          <Tag key={`${d.targetKind}-${d.targetCode}`} color={DELIVERY_COLOR[d.state]}>
            {t(`compliance.deliveryTo.${d.targetKind}`)} {t(`delivery.${d.state}`)}
          </Tag>
        ))
      )}
    </span>
  );
}
