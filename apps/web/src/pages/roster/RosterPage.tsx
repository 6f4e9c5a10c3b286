import { Button, Form, Input, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { intakeRoutes } from '@huoju/contracts/http';
import { useApi } from '../../api/queries';
import type { EnterpriseState } from '../../api/types';
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
      ) : (
        <Table<EnterpriseState>
          rowKey="uscc"
          size="small"
          loading={roster.isLoading}
          dataSource={roster.data?.items ?? []}
          pagination={{
            current: Number(filters.page),
            pageSize: 20,
            total: roster.data?.total ?? 0,
            onChange: (p) => setFilters({ page: String(p) }),
            showSizeChanger: false,
          }}
          columns={[
            {
              title: t('compliance.enterprise'),
              dataIndex: 'nameZh',
              render: (n: string, row) => <Link to={`/enterprises/${row.uscc}`}>{n}</Link>,
            },
            { title: 'USCC', dataIndex: 'uscc' },
            { title: t('roster.industry'), dataIndex: 'industryCode' },
            {
              title: t('compliance.park'),
              key: 'park',
              render: (_: unknown, row) =>
                row.memberships
                  .filter((m) => !m.validTo)
                  .map((m) => `${m.parkCode} / ${m.subParkCode}`)
                  .join('；'),
            },
            {
              title: t('compliance.street'),
              key: 'street',
              render: (_: unknown, row) =>
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
