import { intakeRoutes } from '@huoju/contracts/http';
import { Descriptions, Space, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi, useFilings } from '../../api/queries';
import { useSession } from '../../api/session';
import { RosterHistory, RosterMove } from './RosterHistory';
import type { FilingSummary } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { ProblemView } from '../../components/ProblemView';
import { StatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/format';
import { useUrlState } from '../../components/url-state';
import { Panel } from '../../components/Panel';

/** Drill-down: one enterprise, its filings (each opens its revisions and findings). */
export default function EnterprisePage() {
  const { t, i18n } = useTranslation();
  const { uscc = '' } = useParams();
  const [filters, setFilters] = useUrlState({ page: '1', form: '' });
  const enterprise = useApi(intakeRoutes.getEnterprise, { params: { uscc } });
  const history = useApi(intakeRoutes.getEnterpriseHistory, { params: { uscc } });
  const role = useSession()?.account.role;
  const filings = useFilings({ uscc, formId: filters.form, page: filters.page, pageSize: 20 });
  if (enterprise.error) return <ProblemView error={enterprise.error} />;
  if (!enterprise.data) return <Spin />;
  const e = enterprise.data;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{e.nameZh}</h2>
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label="USCC">{e.uscc}</Descriptions.Item>
        <Descriptions.Item label={t('roster.industry')}>{e.industryCode}</Descriptions.Item>
        <Descriptions.Item
          label={t('compliance.contact')}
        >{`${e.contact.name} ${e.contact.phone} ${e.contact.email}`}</Descriptions.Item>
        <Descriptions.Item label={t('compliance.park')}>
          {e.memberships
            .filter((m) => !m.validTo)
            .map((m) => `${m.parkCode} / ${m.subParkCode}`)
            .join('；')}
        </Descriptions.Item>
        <Descriptions.Item label={t('compliance.street')}>
          {e.streets
            .filter((s) => !s.validTo)
            .map((s) => s.streetCode)
            .join('；')}
        </Descriptions.Item>
      </Descriptions>
      <RosterHistory enterprise={e} />
      {(role === 'park' || role === 'admin') && (
        <RosterMove
          enterprise={e}
          onMoved={() => {
            void enterprise.refetch();
            void history.refetch();
          }}
        />
      )}
      <Panel size="small" title={t('enterprise.filings')}>
        {filings.error ? (
          <ProblemView error={filings.error} />
        ) : !filings.data ? (
          <Panel loading />
        ) : (
          <DataTable<FilingSummary>
            label={t('enterprise.filings')}
            rows={filings.data.items}
            rowKey={(row) => row.id}
            empty={t('enterprise.noFilings')}
            page={filings.data.page}
            pageSize={filings.data.pageSize}
            total={filings.data.total}
            onPage={(p) => setFilters({ page: String(p) })}
            columns={[
              {
                key: 'period',
                title: t('common.period'),
                render: (row) => <Link to={`/filings/${row.id}`}>{row.period}</Link>,
              },
              { key: 'form', title: t('common.form'), render: (row) => t(`form.${row.formId}`) },
              { key: 'status', title: t('common.status'), render: (row) => <StatusTag status={row.status} /> },
              { key: 'revision', title: t('filing.revision'), render: (row) => row.currentRevision },
              {
                key: 'updatedAt',
                title: t('common.updatedAt'),
                render: (row) => formatTime(row.updatedAt, i18n.language),
              },
            ]}
          />
        )}
      </Panel>
    </Space>
  );
}
