import { AUDIT_ACTIONS, intakeRoutes } from '@huoju/contracts/http';
import { Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import type { AuditEntry } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { ProblemView } from '../../components/ProblemView';
import { formatTime } from '../../components/format';
import { useUrlState } from '../../components/url-state';

const PAGE_SIZE = 50;

/** Local date (yyyy-mm-dd, Shanghai) → the instant the audit query takes; the day's end for "to". */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return `${day}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`;
}

/** 审计日志: who did what, when, from where — filtered by actor, action and days, all in the URL. */
export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useUrlState({ actor: '', action: '', from: '', to: '', page: '1' });
  const audit = useApi(intakeRoutes.listAudit, {
    query: {
      actor: filters.actor || undefined,
      action: (filters.action || undefined) as AuditEntry['action'] | undefined,
      from: dayBound(filters.from, false),
      to: dayBound(filters.to, true),
      page: filters.page,
      pageSize: PAGE_SIZE,
    },
  });
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('audit.title')}</h2>
      <Form layout="inline" aria-label={t('common.filters')}>
        <Form.Item label={t('audit.actor')} htmlFor="audit-actor">
          <Input.Search
            id="audit-actor"
            defaultValue={filters.actor}
            onSearch={(actor) => setFilters({ actor, page: '1' })}
            allowClear
            style={{ width: 180 }}
          />
        </Form.Item>
        <Form.Item label={t('audit.action')} htmlFor="audit-action">
          <select
            id="audit-action"
            className="native-select"
            value={filters.action}
            onChange={(e) => setFilters({ action: e.target.value, page: '1' })}
          >
            <option value="">{t('audit.allActions')}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(`audit.action.${action}`, { defaultValue: action })}
              </option>
            ))}
          </select>
        </Form.Item>
        <Form.Item label={t('audit.from')} htmlFor="audit-from">
          <Input
            id="audit-from"
            type="date"
            value={filters.from}
            onChange={(e) => setFilters({ from: e.target.value, page: '1' })}
            style={{ width: 160 }}
          />
        </Form.Item>
        <Form.Item label={t('audit.to')} htmlFor="audit-to">
          <Input
            id="audit-to"
            type="date"
            value={filters.to}
            onChange={(e) => setFilters({ to: e.target.value, page: '1' })}
            style={{ width: 160 }}
          />
        </Form.Item>
      </Form>
      <Panel title={t('audit.entries', { count: audit.data?.total ?? 0 })} loading={audit.isLoading}>
        {audit.error ? (
          <ProblemView error={audit.error} onRetry={() => void audit.refetch()} />
        ) : (
          <DataTable<AuditEntry>
            label={t('audit.title')}
            rows={audit.data?.items ?? []}
            rowKey={(entry) => entry.id}
            total={audit.data?.total ?? 0}
            page={Number(filters.page)}
            pageSize={PAGE_SIZE}
            onPage={(page) => setFilters({ page: String(page) })}
            empty={t('audit.none')}
            columns={[
              { key: 'at', title: t('audit.at'), render: (e) => formatTime(e.at, i18n.language) },
              { key: 'actor', title: t('audit.actor'), render: (e) => `${e.actor} (${t(`role.${e.role}`)})` },
              {
                key: 'action',
                title: t('audit.action'),
                render: (e) => t(`audit.action.${e.action}`, { defaultValue: e.action }),
              },
              { key: 'target', title: t('audit.target'), render: (e) => e.target },
              { key: 'ip', title: t('audit.ip'), render: (e) => e.ip },
              {
                key: 'details',
                title: t('audit.details'),
                render: (e) => <code className="audit-details">{JSON.stringify(e.details)}</code>,
              },
            ]}
          />
        )}
      </Panel>
    </Space>
  );
}
