import { aggregationRoutes } from '@huoju/contracts/http';
import { Form, Input, Progress, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import type { Target } from '../../api/types';
import { useSession } from '../../api/session';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { ProblemView } from '../../components/ProblemView';
import { useUrlState } from '../../components/url-state';

/** Action-plan targets against the actuals filed so far, with progress. */
export default function TargetsPage() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const session = useSession();
  const [filters, setFilters] = useUrlState({
    park: session?.account.role === 'park' ? (session.account.scope[0] ?? '') : '',
  });
  const targets = useApi(aggregationRoutes.listTargets, { query: { park: filters.park } });
  const [page, setPage] = useState(1);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('targets.title')}</h2>
      <Form layout="inline" aria-label={t('common.filters')}>
        <Form.Item label={t('compliance.park')} htmlFor="targets-park">
          <Input.Search
            id="targets-park"
            defaultValue={filters.park}
            onSearch={(park) => setFilters({ park })}
            allowClear
            style={{ width: 160 }}
          />
        </Form.Item>
      </Form>
      {targets.error ? (
        <ProblemView error={targets.error} />
      ) : targets.isLoading ? (
        <Panel loading />
      ) : (
        <DataTable<Target>
          label={t('targets.title')}
          rows={targets.data?.targets ?? []}
          rowKey={(row) => row.id}
          page={page}
          pageSize={30}
          onPage={setPage}
          columns={[
            { key: 'park', title: t('compliance.park'), render: (row) => row.parkCode },
            { key: 'target', title: t('targets.target'), render: (row) => (zh ? row.titleZh : row.titleEn) },
            {
              key: 'goal',
              title: t('targets.goal'),
              render: (row) => `${row.target.comparator} ${row.target.display.value} ${row.target.display.unit}`,
            },
            { key: 'actual', title: t('targets.actual'), render: (row) => row.actual ?? t('figures.notAvailable') },
            { key: 'basis', title: t('targets.basis'), render: (row) => row.basis?.period ?? '—' },
            {
              key: 'progress',
              title: t('targets.progress'),
              render: ({ progressPercent: v }) =>
                v === null ? (
                  '—'
                ) : (
                  <Progress
                    percent={Math.min(100, Number(v))}
                    format={() => `${v}%`}
                    size="small"
                    style={{ width: 160 }}
                  />
                ),
            },
            {
              key: 'status',
              title: t('common.status'),
              render: (row) =>
                !row.measurable ? (
                  <Tag>{t('targets.notMeasurable')}</Tag>
                ) : row.met ? (
                  <Tag color="green">{t('targets.met')}</Tag>
                ) : (
                  <Tag color="orange">{t('targets.notMet')}</Tag>
                ),
            },
          ]}
        />
      )}
    </Space>
  );
}
