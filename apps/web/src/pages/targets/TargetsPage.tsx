import { aggregationRoutes } from '@huoju/contracts/http';
import { Form, Input, Progress, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import type { Target } from '../../api/types';
import { useSession } from '../../api/session';
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
      ) : (
        <Table<Target>
          rowKey="id"
          size="small"
          loading={targets.isLoading}
          dataSource={targets.data?.targets ?? []}
          pagination={{ pageSize: 30 }}
          columns={[
            { title: t('compliance.park'), dataIndex: 'parkCode' },
            {
              title: t('targets.target'),
              dataIndex: 'titleZh',
              render: (_: string, row) => (zh ? row.titleZh : row.titleEn),
            },
            {
              title: t('targets.goal'),
              key: 'goal',
              render: (_: unknown, row) =>
                `${row.target.comparator} ${row.target.display.value} ${row.target.display.unit}`,
            },
            {
              title: t('targets.actual'),
              dataIndex: 'actual',
              render: (v: string | null) => v ?? t('figures.notAvailable'),
            },
            { title: t('targets.basis'), key: 'basis', render: (_: unknown, row) => row.basis?.period ?? '—' },
            {
              title: t('targets.progress'),
              dataIndex: 'progressPercent',
              render: (v: string | null) =>
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
              title: t('common.status'),
              dataIndex: 'met',
              render: (m: boolean | null, row) =>
                !row.measurable ? (
                  <Tag>{t('targets.notMeasurable')}</Tag>
                ) : m ? (
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
