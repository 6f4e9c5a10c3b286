import { Alert, Button, Card, Form, Input, Space, Switch, Table, Typography, App } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { sendJson } from '../../api/client';
import { ApiError, problemMessage } from '../../api/problem';
import { useJson } from '../../api/queries';
import { useSession } from '../../api/session';
import { ProblemView } from '../../components/ProblemView';
import { formatTime } from '../../components/format';
import { useUrlState } from '../../components/url-state';

interface Webhook {
  url: string;
  enabled: boolean;
  secretSet?: boolean;
}
interface Delivery {
  id: string;
  kind?: string;
  status: string;
  attempts?: number;
  createdAt?: string;
  deliveredAt?: string | null;
  lastError?: string | null;
  [key: string]: unknown;
}

/** The team's reminder webhook (HMAC-signed, retried) and its delivery log. */
export default function WebhooksPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const session = useSession();
  const role = session?.account.role;
  const [filters, setFilters] = useUrlState({
    kind: role === 'park' ? 'park' : 'street',
    code: session?.account.scope[0] ?? '',
  });
  const base = `/v1/compliance/webhooks/${filters.kind}/${encodeURIComponent(filters.code)}`;
  const webhook = useJson<Webhook>(base, {}, { enabled: Boolean(filters.code) });
  const deliveries = useJson<{ items?: Delivery[]; deliveries?: Delivery[] }>(
    `${base}/deliveries`,
    {},
    { enabled: Boolean(filters.code), refetchInterval: 10_000 },
  );
  const [form] = Form.useForm<{ url: string; secret: string; enabled: boolean }>();
  useEffect(() => {
    if (webhook.data) form.setFieldsValue({ url: webhook.data.url, enabled: webhook.data.enabled });
  }, [webhook.data, form]);
  const rows = deliveries.data?.items ?? deliveries.data?.deliveries ?? [];
  const notConfigured = webhook.error instanceof ApiError && webhook.error.status === 404;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} className="page-title">
        {t('webhooks.title')}
      </Typography.Title>
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
      <Card size="small" title={t('webhooks.settings')}>
        <Form
          form={form}
          layout="vertical"
          style={{ maxWidth: 560 }}
          onFinish={async (values) => {
            try {
              await sendJson('PUT', base, {
                url: values.url,
                secret: values.secret || undefined,
                enabled: values.enabled ?? true,
              });
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
          <Form.Item label={t('webhooks.secret')} name="secret" extra={t('webhooks.secretHelp')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item label={t('webhooks.enabled')} name="enabled" valuePropName="checked" initialValue>
            <Switch />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('common.save')}
          </Button>
        </Form>
      </Card>
      <Card size="small" title={t('webhooks.deliveries')}>
        <Table<Delivery>
          rowKey={(row) => String(row.id)}
          size="small"
          dataSource={rows}
          locale={{ emptyText: t('webhooks.noDeliveries') }}
          columns={[
            { title: t('webhooks.kind'), dataIndex: 'kind' },
            { title: t('common.status'), dataIndex: 'status' },
            { title: t('webhooks.attempts'), dataIndex: 'attempts' },
            {
              title: t('webhooks.createdAt'),
              dataIndex: 'createdAt',
              render: (v?: string) => formatTime(v, i18n.language),
            },
            { title: t('webhooks.lastError'), dataIndex: 'lastError' },
          ]}
        />
      </Card>
    </Space>
  );
}
