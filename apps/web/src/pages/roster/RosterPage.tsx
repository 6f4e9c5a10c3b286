import { Button, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { intakeRoutes } from '@huoju/contracts/http';
import { useApi } from '../../api/queries';
import type { EnterpriseState } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { ProblemView } from '../../components/ProblemView';
import { useUrlState } from '../../components/url-state';

/** The roster of the park (search, open an enterprise's history and filings; import a file). */
export default function RosterPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlState({ park: '', street: '', industry: '', page: '1' });
  const roster = useApi(intakeRoutes.listEnterprises, { query: { ...filters, pageSize: 20 } });
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('roster.title')}</h2>
      <Space>
        <Link to="/roster/import">
          <Button type="primary">{t('roster.import')}</Button>
        </Link>
      </Space>
      <Form layout="inline" aria-label={t('common.filters')}>
        <Form.Item label={t('compliance.park')} htmlFor="roster-park">
          <Input.Search
            id="roster-park"
            defaultValue={filters.park}
            onSearch={(park) => setFilters({ park, page: '1' })}
            allowClear
            style={{ width: 140 }}
          />
        </Form.Item>
        <Form.Item label={t('compliance.street')} htmlFor="roster-street">
          <Input.Search
            id="roster-street"
            defaultValue={filters.street}
            onSearch={(street) => setFilters({ street, page: '1' })}
            allowClear
            style={{ width: 160 }}
          />
        </Form.Item>
        <Form.Item label={t('roster.industry')} htmlFor="roster-industry">
          <Input.Search
            id="roster-industry"
            defaultValue={filters.industry}
            onSearch={(industry) => setFilters({ industry, page: '1' })}
            allowClear
            style={{ width: 140 }}
          />
        </Form.Item>
      </Form>
      {roster.error ? (
        <ProblemView error={roster.error} />
      ) : !roster.data ? (
        <Panel loading />
      ) : (
        <DataTable<EnterpriseState>
          label={t('roster.title')}
          rows={roster.data.items}
          rowKey={(row) => row.uscc}
          page={roster.data.page}
          pageSize={roster.data.pageSize}
          total={roster.data.total}
          onPage={(p) => setFilters({ page: String(p) })}
          columns={[
            {
              key: 'name',
              title: t('compliance.enterprise'),
              render: (row) => <Link to={`/enterprises/${row.uscc}`}>{row.nameZh}</Link>,
            },
            { key: 'uscc', title: 'USCC', render: (row) => row.uscc },
            { key: 'industry', title: t('roster.industry'), render: (row) => row.industryCode },
            {
              key: 'park',
              title: t('compliance.park'),
              render: (row) =>
                row.memberships
                  .filter((m) => !m.validTo)
                  .map((m) => `${m.parkCode} / ${m.subParkCode}`)
                  .join('；'),
            },
            {
              key: 'street',
              title: t('compliance.street'),
              render: (row) =>
                row.streets
                  .filter((s) => !s.validTo)
                  .map((s) => s.streetCode)
                  .join('；'),
            },
          ]}
        />
      )}
    </Space>
  );
}
