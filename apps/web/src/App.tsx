import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, matchPath, Navigate, Route, Routes, useLocation } from 'react-router';
import { ApiError } from './api/problem';
import { useSession, type Role } from './api/session';
import { Shell } from './components/Shell';

// Pages load on demand: the first load carries only the shell and the sign-in page. Each signed-in page is
// listed once, with who may open it and how its chunk loads, so the router and the start-up preload agree.
type PageModule = Promise<{ default: ComponentType }>;
const signInPage = () => import('./pages/sign-in/SignInPage').then((module) => ({ default: module.SignInPage }));
const forbiddenPage = () =>
  import('./pages/forbidden/ForbiddenPage').then((module) => ({ default: module.ForbiddenPage }));
const TEAMS: Role[] = ['street', 'park', 'commission', 'admin'];
const ANALYSTS: Role[] = ['park', 'commission', 'admin'];
const PAGES: readonly { path: string; roles?: Role[]; load: () => PageModule }[] = [
  { path: '/filings', roles: ['enterprise'], load: () => import('./pages/my-filings/MyFilingsPage') },
  { path: '/file', roles: ['enterprise'], load: () => import('./pages/file-form/FileFormPage') },
  { path: '/filings/:id', load: () => import('./pages/filing/FilingPage') },
  { path: '/filings/:id/receipt', load: () => import('./pages/receipt/ReceiptPage') },
  { path: '/compliance', roles: TEAMS, load: () => import('./pages/compliance/CompliancePage') },
  { path: '/enterprises/:uscc', roles: TEAMS, load: () => import('./pages/enterprise/EnterprisePage') },
  { path: '/webhooks', roles: TEAMS, load: () => import('./pages/webhooks/WebhooksPage') },
  { path: '/figures', roles: [...ANALYSTS, 'street'], load: () => import('./pages/figures/FiguresPage') },
  { path: '/provenance', roles: [...ANALYSTS, 'street'], load: () => import('./pages/provenance/ProvenancePage') },
  { path: '/targets', roles: ANALYSTS, load: () => import('./pages/targets/TargetsPage') },
  { path: '/roster', roles: ['park', 'admin'], load: () => import('./pages/roster/RosterPage') },
  { path: '/roster/import', roles: ['park', 'admin'], load: () => import('./pages/roster-import/RosterImportPage') },
  { path: '/exports', roles: ANALYSTS, load: () => import('./pages/exports/ExportsPage') },
  { path: '/evaluation', roles: ['commission', 'admin'], load: () => import('./pages/evaluation/EvaluationPage') },
  { path: '/admin/api-keys', roles: ['admin'], load: () => import('./pages/admin-api-keys/ApiKeysPage') },
  { path: '/admin/accounts', roles: ['admin', 'park'], load: () => import('./pages/admin-accounts/AccountsPage') },
  { path: '/admin/audit', roles: ['admin'], load: () => import('./pages/admin-audit/AuditPage') },
];
const SignInPage = lazy(signInPage);
const ForbiddenPage = lazy(forbiddenPage);
const ROUTES = PAGES.map((page) => ({ ...page, Page: lazy(page.load) }));

/**
 * Starts loading the chunk of the page a URL opens (the sign-in page for its own path), so it arrives while
 * the session is being refreshed instead of after. React's lazy then finds the module already loaded.
 */
export function preloadPageOf(pathname: string): void {
  if (matchPath('/sign-in', pathname)) void signInPage();
  else void PAGES.find((page) => matchPath(page.path, pathname))?.load();
}

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers do not get better by asking again; a service that was down may be back.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
      staleTime: 10_000,
    },
  },
});

export const HOME_OF: Record<Role, string> = {
  enterprise: '/filings',
  street: '/compliance',
  park: '/compliance',
  commission: '/figures',
  admin: '/admin/api-keys',
};

export function App({ session }: { session: Promise<unknown> }) {
  const { i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  dayjs.locale(zh ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      locale={zh ? zhCN : enUS}
      button={{ autoInsertSpace: false }}
      theme={{
        token: {
          colorPrimary: '#c0392b',
          colorLink: '#0b4fb3',
          colorPrimaryHover: '#a93226',
          colorPrimaryActive: '#922b21',
          colorLinkHover: '#0a3f8f',
          colorError: '#cf1322', // antd's default red is below 4.5:1 on white
          colorTextSecondary: 'rgba(0,0,0,0.68)',
          colorTextDescription: 'rgba(0,0,0,0.68)',
          colorTextTertiary: 'rgba(0,0,0,0.68)',
          colorTextPlaceholder: 'rgba(0,0,0,0.6)',
        },
      }}
    >
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Bootstrap session={session}>
            <Routes>
              <Route
                path="/sign-in"
                element={
                  <Suspense fallback={<Spin fullscreen />}>
                    <SignInPage />
                  </Suspense>
                }
              />
              <Route path="/" element={<Home />} />
              <Route path="/forbidden" element={<Guard>{<ForbiddenPage />}</Guard>} />
              {ROUTES.map(({ path, roles, Page }) => (
                <Route key={path} path={path} element={<Guard roles={roles} page={<Page />} />} />
              ))}
              <Route path="*" element={<Home />} />
            </Routes>
          </Bootstrap>
        </BrowserRouter>
      </QueryClientProvider>
    </ConfigProvider>
  );
}

/** Waits for the start-up session refresh (main.tsx starts it), so a signed-in user who reloads stays signed in. */
function Bootstrap({ session, children }: { session: Promise<unknown>; children: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void session.finally(() => setReady(true));
  }, [session]);
  if (!ready) return <Spin fullscreen />;
  return <>{children}</>;
}

function Home() {
  const session = useSession();
  if (!session) return <ToSignIn />;
  return <Navigate to={HOME_OF[session.account.role]} replace />;
}

function ToSignIn() {
  const location = useLocation();
  const next = `${location.pathname}${location.search}`;
  return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
}

/** Signed in (else the sign-in page with ?next=), of an allowed role (else 403), inside the shell. */
function Guard({ roles, page, children }: { roles?: Role[]; page?: ReactNode; children?: ReactNode }) {
  const session = useSession();
  if (!session) return <ToSignIn />;
  const allowed = !roles || roles.includes(session.account.role);
  return (
    <Shell>
      <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
        {allowed ? (page ?? children) : <ForbiddenPage />}
      </Suspense>
    </Shell>
  );
}
