import { Alert, Button, Form, Input, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, problemMessage } from '../../api/problem';
import { signIn, signInWithApiKey, type Session } from '../../api/session';
import { setLanguage } from '../../i18n';
import { HOME_OF } from '../../App';
import { Panel } from '../../components/Panel';

/** Username + password for people; an API key for integrators. Comes back to ?next= afterwards. */
export function SignInPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const next = params.get('next');

  const done = (session: Session) => {
    const target = next && next.startsWith('/') && !next.startsWith('/sign-in') ? next : HOME_OF[session.account.role];
    void navigate(target, { replace: true });
  };
  const attempt = async (action: () => Promise<Session>) => {
    setBusy(true);
    setError(undefined);
    try {
      done(await action());
    } catch (failure) {
      setError(
        failure instanceof ApiError
          ? failure.unreachable
            ? t('problem.unreachable')
            : problemMessage(failure.problem, i18n.language)
          : String(failure),
      );
    } finally {
      setBusy(false);
    }
  };
  const zh = i18n.language.startsWith('zh');

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Panel style={{ width: 420 }}>
        <h1 style={{ fontSize: 22 }}>{t('app.title')}</h1>
        <p className="text-secondary">{t('signIn.intro')}</p>
        {next && <Alert type="info" title={t('signIn.expired')} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 16 }} />}
        <Tabs
          items={[
            {
              key: 'password',
              label: t('signIn.withPassword'),
              children: (
                <Form
                  layout="vertical"
                  onFinish={(values: { username: string; password: string }) =>
                    attempt(() => signIn(values.username, values.password))
                  }
                >
                  <Form.Item
                    label={t('signIn.username')}
                    name="username"
                    rules={[{ required: true, message: t('signIn.usernameRequired') }]}
                  >
                    <Input autoComplete="username" autoFocus />
                  </Form.Item>
                  <Form.Item
                    label={t('signIn.password')}
                    name="password"
                    rules={[{ required: true, message: t('signIn.passwordRequired') }]}
                  >
                    <Input.Password autoComplete="current-password" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" block loading={busy}>
                    {t('signIn.submit')}
                  </Button>
                </Form>
              ),
            },
            {
              key: 'api-key',
              label: t('signIn.withApiKey'),
              children: (
                <Form
                  layout="vertical"
                  onFinish={(values: { apiKey: string }) => attempt(() => signInWithApiKey(values.apiKey))}
                >
                  <Form.Item
                    label={t('signIn.apiKey')}
                    name="apiKey"
                    extra={t('signIn.apiKeyHelp')}
                    rules={[{ required: true, message: t('signIn.apiKeyRequired') }]}
                  >
                    <Input.Password autoComplete="off" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" block loading={busy}>
                    {t('signIn.submit')}
                  </Button>
                </Form>
              ),
            },
          ]}
        />
        <Button type="link" onClick={() => setLanguage(zh ? 'en' : 'zh')} lang={zh ? 'en' : 'zh-CN'}>
          {zh ? 'English' : '中文'}
        </Button>
      </Panel>
    </main>
  );
}
