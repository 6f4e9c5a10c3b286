import { aggregationRoutes } from '@huoju/contracts/http';
import { Alert, Button, Form, Input, Space, message as toast } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { ApiError, problemMessage } from '../../api/problem';
import { useApi } from '../../api/queries';
import type { WebhookDelivery } from '../../api/types';
import { useSession } from '../../api/session';
import { DataTable } from '../../components/DataTable';
import { ProblemView } from '../../components/ProblemView';
import { formatTime } from '../../components/format';
import { useUrlState } from '../../components/url-state';
import { Panel } from '../../components/Panel';

/** The team's reminder webhook (HMAC-signed, retried) and its delivery log. */
export default function WebhooksPage() {
  const { t, i18n } = useTranslation();
  // The page's own toasts (not antd's App in the shell, which would weigh on every first load).
  const [message, toasts] = toast.useMessage();
  const session = useSession();
  const role = session?.account.role;
  const [filters, setFilters] = useUrlState({
    kind: role === 'park' ? 'park' : 'street',
    code: session?.account.scope[0] ?? '',
  });
  const params = { kind: filters.kind === 'park' ? 'park' : 'street', code: filters.code } as const;
  const webhook = useApi(aggregationRoutes.getWebhook, { params }, { enabled: Boolean(filters.code) });
  const deliveries = useApi(
    aggregationRoutes.listWebhookDeliveries,
    { params },
    { enabled: Boolean(filters.code), refetchInterval: 10_000 },
  );
  const [form] = Form.useForm<{ url: string; secret: string }>();
  useEffect(() => {
    if (webhook.data) form.setFieldsValue({ url: webhook.data.url });
  }, [webhook.data, form]);
  const rows = deliveries.data?.deliveries ?? [];
  const [page, setPage] = useState(1);
  const notConfigured = webhook.error instanceof ApiError && webhook.error.status === 404;
  return (
    <>
      {toasts}
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <h2 className="page-title">{t('webhooks.title')}</h2>
        <Form layout="inline" aria-label={t('common.filters')}>
          <Form.Item label={t('webhooks.code')} htmlFor="webhook-code">
            <Input.Search
              id="webhook-code"
              defaultValue={filters.code}
              onSearch={(code) => setFilters({ code })}
              style={{ width: 200 }}
            />
          </Form.Item>
        </Form>
        {webhook.error && !notConfigured && <ProblemView error={webhook.error} />}
        {notConfigured && <Alert type="info" title={t('webhooks.none')} />}
        <Panel size="small" title={t('webhooks.settings')}>
          <Form
            form={form}
            layout="vertical"
            style={{ maxWidth: 560 }}
            onFinish={async (values) => {
              try {
                await call(aggregationRoutes.setWebhook, { params, body: { url: values.url, secret: values.secret } });
                message.success(t('common.saved'));
                void webhook.refetch();
              } catch (error) {
                if (error instanceof ApiError) {
                  form.setFields(
                    (error.problem.errors ?? []).map((e) => ({
                      name: e.pointer.replace(/^\//, '') as 'url',
                      errors: [i18n.language.startsWith('zh') ? e.messageZh : e.messageEn],
                    })),
                  );
                  message.error(problemMessage(error.problem, i18n.language));
                }
              }
            }}
          >
            <Form.Item label={t('webhooks.url')} name="url" rules={[{ required: true }]}>
              <Input placeholder="https://…" />
            </Form.Item>
            <Form.Item
              label={t('webhooks.secret')}
              name="secret"
              extra={t('webhooks.secretHelp')}
              rules={[{ required: true }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('common.save')}
            </Button>
          </Form>
        </Panel>
        <Panel size="small" title={t('webhooks.deliveries')}>
          <DataTable<WebhookDelivery>
            label={t('webhooks.deliveries')}
            rows={rows}
            rowKey={(row) => String(row.id)}
            empty={t('webhooks.noDeliveries')}
            page={page}
            pageSize={20}
            onPage={setPage}
            columns={[
              { key: 'uscc', title: 'USCC', render: (row) => row.uscc },
              { key: 'kind', title: t('webhooks.kind'), render: (row) => t(`reminder.${row.kind}`) },
              { key: 'state', title: t('common.status'), render: (row) => t(`delivery.${row.state}`) },
              { key: 'attempts', title: t('webhooks.attempts'), render: (row) => row.attempts.length },
              {
                key: 'createdAt',
                title: t('webhooks.createdAt'),
                render: (row) => formatTime(row.createdAt, i18n.language),
              },
              { key: 'lastError', title: t('webhooks.lastError'), render: (row) => row.lastError },
            ]}
          />
        </Panel>
      </Space>
    </>
  );
}
