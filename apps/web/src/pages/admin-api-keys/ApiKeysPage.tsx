import { Alert, Button, Form, Input, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { intakeRoutes, type RoleName } from '@huoju/contracts/http';
import { call } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useApi } from '../../api/queries';
import type { ApiKey } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { NativeSelect } from '../../components/NativeSelect';
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
  const [page, setPage] = useState(1);
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
            <NativeSelect id="key-role" width={140} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
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
      ) : !keys.data ? (
        <Panel loading />
      ) : (
        <DataTable<ApiKey>
          label={t('apiKeys.title')}
          rows={keys.data}
          rowKey={(row) => row.id}
          pageSize={20}
          page={page}
          onPage={setPage}
          columns={[
            { key: 'id', title: 'ID', render: (row) => <code>{row.id}</code> },
            { key: 'role', title: t('apiKeys.role'), render: (row) => t(`role.${row.role}`) },
            { key: 'scope', title: t('apiKeys.scope'), render: (row) => row.scope.join(', ') || '—' },
            { key: 'label', title: t('apiKeys.label'), render: (row) => row.label },
            {
              key: 'createdAt',
              title: t('webhooks.createdAt'),
              render: (row) => formatTime(row.createdAt, i18n.language),
            },
            {
              key: 'status',
              title: t('common.status'),
              render: (row) =>
                row.revokedAt ? (
                  <Tag color="red">{t('apiKeys.revoked')}</Tag>
                ) : (
                  <Tag color="green">{t('apiKeys.active')}</Tag>
                ),
            },
            {
              key: 'revoke',
              title: t('common.actions'),
              render: (row) =>
                !row.revokedAt && (
                  <RevokeButton
                    label={row.label}
                    onConfirm={() =>
                      void call(intakeRoutes.revokeApiKey, { params: { id: row.id } }).then(() => keys.refetch())
                    }
                  />
                ),
            },
          ]}
        />
      )}
    </Space>
  );
}

/** Revoking asks once more in the row itself (no popover: antd's Popconfirm brings its tooltip machinery). */
function RevokeButton({ label, onConfirm }: { label: string; onConfirm: () => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <Button size="small" danger aria-label={t('apiKeys.revokeOf', { label })} onClick={() => setAsking(true)}>
        {t('apiKeys.revoke')}
      </Button>
    );
  return (
    <Space role="group" aria-label={t('apiKeys.confirmRevoke')}>
      <span>{t('apiKeys.confirmRevoke')}</span>
      <Button size="small" danger type="primary" onClick={onConfirm}>
        {t('apiKeys.revokeConfirm')}
      </Button>
      <Button size="small" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </Button>
    </Space>
  );
}
