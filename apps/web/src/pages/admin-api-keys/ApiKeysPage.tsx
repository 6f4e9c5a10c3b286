import { Alert, Button, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { intakeRoutes, type RoleName } from '@huoju/contracts/http';
import { call } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useApi } from '../../api/queries';
import type { ApiKey } from '../../api/types';
import { ProblemView } from '../../components/ProblemView';
import { formatTime } from '../../components/format';
import { Panel } from '../../components/Panel';

const ROLES = ['enterprise', 'street', 'park', 'commission', 'admin'];

/** API keys of machine clients: create (the secret is shown once), list, revoke. */
export default function ApiKeysPage() {
  const { t, i18n } = useTranslation();
  const keys = useApi(intakeRoutes.listApiKeys, {});
  const [created, setCreated] = useState<string>();
  const [problem, setProblem] = useState<ApiError>();
  const [form] = Form.useForm<{ role: RoleName; scope: string; label: string }>();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('apiKeys.title')}</h2>
      <Panel size="small" title={t('apiKeys.create')}>
        <Form
          form={form}
          layout="inline"
          initialValues={{ role: 'street' }}
          onFinish={async (v) => {
            setProblem(undefined);
            try {
              const answer = await call(intakeRoutes.createApiKey, {
                body: { role: v.role, label: v.label, scope: (v.scope ?? '').split(/[,\s，]+/).filter(Boolean) },
              });
              setCreated(answer.apiKey);
              form.resetFields();
              void keys.refetch();
            } catch (error) {
              setProblem(error instanceof ApiError ? error : undefined);
            }
          }}
        >
          <Form.Item label={t('apiKeys.role')} name="role" htmlFor="key-role">
            <Select
              id="key-role"
              style={{ width: 140 }}
              options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
          </Form.Item>
          <Form.Item label={t('apiKeys.scope')} name="scope" htmlFor="key-scope">
            <Input id="key-scope" placeholder="PT, 310107014…" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label={t('apiKeys.label')} name="label" htmlFor="key-label" rules={[{ required: true }]}>
            <Input id="key-label" style={{ width: 220 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('apiKeys.createButton')}
          </Button>
        </Form>
        {created && (
          <Alert
            style={{ marginTop: 12 }}
            type="success"
            title={t('apiKeys.createdOnce')}
            description={<code>{created}</code>}
          />
        )}
        {problem && (
          <div style={{ marginTop: 12 }}>
            <ProblemView error={problem} />
          </div>
        )}
      </Panel>
      {keys.error ? (
        <ProblemView error={keys.error} />
      ) : (
        <Table<ApiKey>
          rowKey="id"
          size="small"
          loading={keys.isLoading}
          dataSource={keys.data ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: 'ID', dataIndex: 'id', render: (v: string) => <code>{v}</code> },
            { title: t('apiKeys.role'), dataIndex: 'role', render: (r: string) => t(`role.${r}`) },
            { title: t('apiKeys.scope'), dataIndex: 'scope', render: (s: string[]) => s.join(', ') || '—' },
            { title: t('apiKeys.label'), dataIndex: 'label' },
            {
              title: t('webhooks.createdAt'),
              dataIndex: 'createdAt',
              render: (v: string) => formatTime(v, i18n.language),
            },
            {
              title: t('common.status'),
              dataIndex: 'revokedAt',
              render: (v: string | null) =>
                v ? <Tag color="red">{t('apiKeys.revoked')}</Tag> : <Tag color="green">{t('apiKeys.active')}</Tag>,
            },
            {
              title: t('common.actions'),
              key: 'revoke',
              render: (_: unknown, row) =>
                !row.revokedAt && (
                  <Popconfirm
                    title={t('apiKeys.confirmRevoke')}
                    onConfirm={() =>
                      void call(intakeRoutes.revokeApiKey, { params: { id: row.id } }).then(() => keys.refetch())
                    }
                  >
                    <Button size="small" danger>
                      {t('apiKeys.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
    </Space>
  );
}
