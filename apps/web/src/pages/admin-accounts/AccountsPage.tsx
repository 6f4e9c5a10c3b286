import { Button, Form, Input, Space, Switch, message as toast } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { intakeRoutes, type RoleName } from '@huoju/contracts/http';
import { call } from '../../api/client';
import { ApiError, problemMessage } from '../../api/problem';
import { useApi } from '../../api/queries';
import type { AccountView } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { NativeSelect } from '../../components/NativeSelect';
import { ProblemView } from '../../components/ProblemView';
import { formatTime } from '../../components/format';
import { useUrlState } from '../../components/url-state';
import { Panel } from '../../components/Panel';

const ROLES = ['enterprise', 'street', 'park', 'commission', 'admin'];

/** People's accounts: search, create, change role and scope, disable. */
export default function AccountsPage() {
  const { t, i18n } = useTranslation();
  // The page's own toasts (not antd's App in the shell, which would weigh on every first load).
  const [message, toasts] = toast.useMessage();
  const [filters, setFilters] = useUrlState({ q: '', role: '', page: '1' });
  const accounts = useApi(intakeRoutes.listAccounts, { query: { ...filters, pageSize: 20 } });
  const [form] = Form.useForm<{
    username: string;
    displayName: string;
    password: string;
    role: RoleName;
    scope: string;
  }>();
  const [editing, setEditing] = useState<AccountView | undefined>();
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }));
  const fail = (error: unknown) => {
    if (!(error instanceof ApiError)) return;
    form.setFields(
      (error.problem.errors ?? []).map((e) => ({
        name: e.pointer.replace(/^\//, '').split('/')[0] as 'username',
        errors: [i18n.language.startsWith('zh') ? e.messageZh : e.messageEn],
      })),
    );
    message.error(problemMessage(error.problem, i18n.language));
  };
  return (
    <>
      {toasts}
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <h2 className="page-title">{t('accounts.title')}</h2>
        <Panel size="small" title={t('accounts.create')}>
          <Form
            form={form}
            layout="inline"
            initialValues={{ role: 'street' }}
            onFinish={async (v) => {
              try {
                await call(intakeRoutes.createAccount, {
                  body: { ...v, scope: (v.scope ?? '').split(/[,\s，]+/).filter(Boolean) },
                });
                message.success(t('common.saved'));
                form.resetFields();
                void accounts.refetch();
              } catch (error) {
                fail(error);
              }
            }}
          >
            <Form.Item label={t('signIn.username')} name="username" htmlFor="acc-username" rules={[{ required: true }]}>
              <Input id="acc-username" style={{ width: 140 }} />
            </Form.Item>
            <Form.Item
              label={t('accounts.displayName')}
              name="displayName"
              htmlFor="acc-name"
              rules={[{ required: true }]}
            >
              <Input id="acc-name" style={{ width: 140 }} />
            </Form.Item>
            <Form.Item label={t('signIn.password')} name="password" htmlFor="acc-password" rules={[{ required: true }]}>
              <Input.Password id="acc-password" autoComplete="new-password" style={{ width: 160 }} />
            </Form.Item>
            <Form.Item label={t('apiKeys.role')} name="role" htmlFor="acc-role">
              <NativeSelect id="acc-role" width={120} options={roleOptions} />
            </Form.Item>
            <Form.Item label={t('apiKeys.scope')} name="scope" htmlFor="acc-scope">
              <Input id="acc-scope" style={{ width: 160 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('accounts.createButton')}
            </Button>
          </Form>
        </Panel>
        {editing && (
          <EditAccount
            key={editing.username}
            account={editing}
            onDone={(saved) => {
              setEditing(undefined);
              if (saved) {
                message.success(t('common.saved'));
                void accounts.refetch();
              }
            }}
          />
        )}
        <Form layout="inline" aria-label={t('common.filters')}>
          <Form.Item label={t('accounts.search')} htmlFor="acc-q">
            <Input.Search
              id="acc-q"
              defaultValue={filters.q}
              onSearch={(q) => setFilters({ q, page: '1' })}
              allowClear
            />
          </Form.Item>
          <Form.Item label={t('apiKeys.role')} htmlFor="acc-filter-role">
            <NativeSelect
              id="acc-filter-role"
              value={filters.role}
              onChange={(role) => setFilters({ role, page: '1' })}
              width={140}
              placeholder={t('accounts.allRoles')}
              options={roleOptions}
            />
          </Form.Item>
        </Form>
        {accounts.error ? (
          <ProblemView error={accounts.error} onRetry={() => void accounts.refetch()} />
        ) : !accounts.data ? (
          <Panel loading />
        ) : (
          <DataTable<AccountView>
            label={t('accounts.title')}
            rows={accounts.data.items}
            rowKey={(row) => row.username}
            page={Number(filters.page)}
            pageSize={20}
            total={accounts.data.total}
            onPage={(p) => setFilters({ page: String(p) })}
            columns={[
              { key: 'username', title: t('signIn.username'), render: (row) => row.username },
              { key: 'displayName', title: t('accounts.displayName'), render: (row) => row.displayName },
              { key: 'role', title: t('apiKeys.role'), render: (row) => t(`role.${row.role}`) },
              { key: 'scope', title: t('apiKeys.scope'), render: (row) => row.scope.join(', ') || '—' },
              {
                key: 'lastSignIn',
                title: t('accounts.lastSignIn'),
                render: (row) => formatTime(row.lastSignInAt, i18n.language),
              },
              {
                key: 'enabled',
                title: t('accounts.enabled'),
                render: (row) => (
                  <Switch
                    aria-label={t('accounts.enabledOf', { username: row.username })}
                    checked={!row.disabled}
                    onChange={(on) =>
                      void call(intakeRoutes.updateAccount, {
                        params: { username: row.username },
                        body: { disabled: !on },
                      }).then(() => accounts.refetch(), fail)
                    }
                  />
                ),
              },
              {
                key: 'edit',
                title: t('common.actions'),
                render: (row) => (
                  <Button size="small" onClick={() => setEditing(row)}>
                    {t('accounts.editOf', { username: row.username })}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Space>
    </>
  );
}

/** Change an account's name, role and scope (its sessions end when role or scope change). */
function EditAccount({ account, onDone }: { account: AccountView; onDone: (saved: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ displayName: string; role: RoleName; scope: string }>();
  const [problem, setProblem] = useState<unknown>();
  return (
    <Panel title={t('accounts.editTitle', { username: account.username })}>
      <Form
        form={form}
        layout="inline"
        aria-label={t('accounts.editTitle', { username: account.username })}
        initialValues={{ displayName: account.displayName, role: account.role, scope: account.scope.join(', ') }}
        onFinish={async (v) => {
          try {
            await call(intakeRoutes.updateAccount, {
              params: { username: account.username },
              body: { displayName: v.displayName, role: v.role, scope: v.scope.split(/[,\s，]+/).filter(Boolean) },
            });
            onDone(true);
          } catch (error) {
            if (error instanceof ApiError)
              form.setFields(
                (error.problem.errors ?? []).map((e) => ({
                  name: e.pointer.replace(/^\//, '').split('/')[0] as 'role',
                  errors: [i18n.language.startsWith('zh') ? e.messageZh : e.messageEn],
                })),
              );
            setProblem(error);
          }
        }}
      >
        <Form.Item
          label={t('accounts.displayName')}
          name="displayName"
          htmlFor="edit-name"
          rules={[{ required: true }]}
        >
          <Input id="edit-name" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={t('apiKeys.role')} name="role" htmlFor="edit-role">
          <NativeSelect id="edit-role" options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        <Form.Item label={t('apiKeys.scope')} name="scope" htmlFor="edit-scope">
          <Input id="edit-scope" style={{ width: 200 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('common.save')}
          </Button>
          <Button onClick={() => onDone(false)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
      {problem !== undefined && <ProblemView error={problem} />}
    </Panel>
  );
}
