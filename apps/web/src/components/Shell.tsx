import { Button } from 'antd';
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
    { path: '/admin/audit', label: 'nav.audit' },
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
  // Plain landmarks and CSS, not antd's Layout/Typography: the shell is in every first load, kept light.
  return (
    <div className="shell">
      <aside className="shell-side no-print">
        <div className="shell-brand">{t('app.short')}</div>
        <nav aria-label={t('nav.label')}>
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
      </aside>
      <div className="shell-body">
        <header className="shell-header no-print">
          <strong>{t('app.title')}</strong>
          <div className="shell-actions">
            {session && (
              <span>
                {session.account.displayName} · {t(`role.${session.account.role}`)}
                {session.account.scope.length > 0 && ` · ${session.account.scope.join(', ')}`}
              </span>
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
          </div>
        </header>
        <main className="shell-main">{children}</main>
      </div>
    </div>
  );
}
