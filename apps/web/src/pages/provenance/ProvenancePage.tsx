import { aggregationRoutes } from '@huoju/contracts/http';
import { Descriptions, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../api/queries';
import type { ProvenanceFiling } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { ProblemView } from '../../components/ProblemView';
import { Panel } from '../../components/Panel';

/** The enterprises and filing revisions behind one figure. */
export default function ProvenancePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const query = Object.fromEntries(params.entries());
  const provenance = useApi(aggregationRoutes.getProvenance, { query });
  const [page, setPage] = useState(1);
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
        {provenance.isLoading ? (
          <Panel loading />
        ) : (
          <DataTable<ProvenanceFiling>
            label={t('provenance.filings')}
            rows={data?.filings ?? []}
            rowKey={(row) => `${row.filingId}-${row.revision}`}
            page={page}
            pageSize={50}
            onPage={setPage}
            columns={[
              {
                key: 'name',
                title: t('compliance.enterprise'),
                render: (row) => <Link to={`/enterprises/${row.uscc}`}>{row.nameZh}</Link>,
              },
              { key: 'uscc', title: 'USCC', render: (row) => row.uscc },
              { key: 'park', title: t('compliance.park'), render: (row) => row.parkCode },
              {
                key: 'revision',
                title: t('filing.revision'),
                render: (row) => (
                  <Link to={`/filings/${row.filingId}?to=${row.revision}`}>
                    {t('provenance.revision', { revision: row.revision })}
                  </Link>
                ),
              },
              { key: 'value', title: t('figures.value'), align: 'end', render: (row) => row.value },
              {
                key: 'sha',
                title: t('receipt.sha256'),
                render: (row) => <code>{row.receiptSha256.slice(0, 12)}…</code>,
              },
            ]}
          />
        )}
      </Panel>
    </Space>
  );
}
