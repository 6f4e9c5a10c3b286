import { Button, Layout, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { signOut, useSession, type Role } from '../api/session';
import { setLanguage } from '../i18n';

const NAV: Record<Role, { path: string; label: string }[]> = {
  enterprise: [{ path: '/filings', label: 'nav.myFilings' }],
  street: [
    { path: '/compliance', label: 'nav.compliance' },
    { path: '/figures', label: 'nav.figures' },
    { path: '/webhooks', label: 'nav.webhooks' },
  ],
  park: [
    { path: '/compliance', label: 'nav.compliance' },
    { path: '/figures', label: 'nav.figures' },
    { path: '/targets', label: 'nav.targets' },
    { path: '/roster', label: 'nav.roster' },
    { path: '/exports', label: 'nav.exports' },
    { path: '/webhooks', label: 'nav.webhooks' },
  ],
  commission: [
    { path: '/figures', label: 'nav.figures' },
    { path: '/evaluation', label: 'nav.evaluation' },
    { path: '/compliance', label: 'nav.compliance' },
    { path: '/targets', label: 'nav.targets' },
    { path: '/exports', label: 'nav.exports' },
  ],
  admin: [
    { path: '/admin/api-keys', label: 'nav.apiKeys' },
    { path: '/admin/accounts', label: 'nav.accounts' },
    { path: '/roster', label: 'nav.roster' },
    { path: '/figures', label: 'nav.figures' },
  ],
};

/** The frame of every signed-in page: the role's navigation, who is signed in, language, sign-out. */
export function Shell({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const role = session?.account.role ?? 'enterprise';
  const selected = NAV[role].find((item) => location.pathname.startsWith(item.path))?.path;
  const zh = i18n.language.startsWith('zh');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="light" breakpoint="lg" collapsedWidth={0} className="no-print">
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 16 }}>{t('app.short')}</div>
        <nav aria-label={t('nav.label')}>
          {/* Plain links (not antd Menu): lighter on the first load, and a list a screen reader reads as one. */}
          <ul className="side-nav">
            {NAV[role].map((item) => (
              <li key={item.path}>
                <Link to={item.path} aria-current={item.path === selected ? 'page' : undefined}>
                  {t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          className="no-print"
          style={{
            background: '#fff',
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
            paddingInline: 24,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Text strong>{t('app.title')}</Typography.Text>
          <Space>
            {session && (
              <Typography.Text>
                {session.account.displayName} · {t(`role.${session.account.role}`)}
                {session.account.scope.length > 0 && ` · ${session.account.scope.join(', ')}`}
              </Typography.Text>
            )}
            <Button
              onClick={() => setLanguage(zh ? 'en' : 'zh')}
              title={t('app.switchLanguage')}
              lang={zh ? 'en' : 'zh-CN'}
            >
              {zh ? 'English' : '中文'}
            </Button>
            <Button
              onClick={() => {
                void signOut().then(() => navigate('/sign-in'));
              }}
            >
              {t('app.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        {/* antd's Layout.Content is the page's <main>. */}
        <Layout.Content style={{ margin: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
