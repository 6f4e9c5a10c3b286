import { aggregationRoutes } from '@huoju/contracts/http';
import { Descriptions, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../api/queries';
import type { ProvenanceFiling } from '../../api/types';
import { ProblemView } from '../../components/ProblemView';
import { Panel } from '../../components/Panel';

/** The enterprises and filing revisions behind one figure. */
export default function ProvenancePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const query = Object.fromEntries(params.entries());
  const provenance = useApi(aggregationRoutes.getProvenance, { query });
  if (provenance.error) return <ProblemView error={provenance.error} />;
  const data = provenance.data;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('provenance.title')}</h2>
      <Descriptions bordered size="small" column={3}>
        <Descriptions.Item label={t('common.period')}>{data?.period}</Descriptions.Item>
        <Descriptions.Item label={t('figures.indicator')}>{data?.indicator}</Descriptions.Item>
        <Descriptions.Item label={t('provenance.member')}>
          {data ? `${t(`figures.group.${data.dimension}`)} ${data.member}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('provenance.total')}>{data?.total ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('provenance.count')}>{data?.filings.length ?? 0}</Descriptions.Item>
      </Descriptions>
      <Panel size="small" title={t('provenance.filings')}>
        <Table<ProvenanceFiling>
          rowKey="filingId"
          size="small"
          loading={provenance.isLoading}
          dataSource={data?.filings ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            {
              title: t('compliance.enterprise'),
              dataIndex: 'nameZh',
              render: (n: string, row) => <Link to={`/enterprises/${row.uscc}`}>{n}</Link>,
            },
            { title: 'USCC', dataIndex: 'uscc' },
            { title: t('compliance.park'), dataIndex: 'parkCode' },
            {
              title: t('filing.revision'),
              dataIndex: 'revision',
              render: (r: number, row) => (
                <Link to={`/filings/${row.filingId}?to=${r}`}>{t('provenance.revision', { revision: r })}</Link>
              ),
            },
            { title: t('figures.value'), dataIndex: 'value', align: 'right' as const },
            {
              title: t('receipt.sha256'),
              dataIndex: 'receiptSha256',
              render: (v: string) => <code>{v.slice(0, 12)}…</code>,
            },
          ]}
        />
      </Panel>
    </Space>
  );
}
