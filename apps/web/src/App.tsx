import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { ApiError } from './api/problem';
import { refresh, useSession, type Role } from './api/session';
import { Shell } from './components/Shell';

// Pages load on demand: the first load carries only the shell and the sign-in page.
const SignInPage = lazy(() => import('./pages/sign-in/SignInPage').then((module) => ({ default: module.SignInPage })));
const ForbiddenPage = lazy(() =>
  import('./pages/forbidden/ForbiddenPage').then((module) => ({ default: module.ForbiddenPage })),
);
const MyFilingsPage = lazy(() => import('./pages/my-filings/MyFilingsPage'));
const FileFormPage = lazy(() => import('./pages/file-form/FileFormPage'));
const FilingPage = lazy(() => import('./pages/filing/FilingPage'));
const ReceiptPage = lazy(() => import('./pages/receipt/ReceiptPage'));
const CompliancePage = lazy(() => import('./pages/compliance/CompliancePage'));
const EnterprisePage = lazy(() => import('./pages/enterprise/EnterprisePage'));
const WebhooksPage = lazy(() => import('./pages/webhooks/WebhooksPage'));
const FiguresPage = lazy(() => import('./pages/figures/FiguresPage'));
const ProvenancePage = lazy(() => import('./pages/provenance/ProvenancePage'));
const TargetsPage = lazy(() => import('./pages/targets/TargetsPage'));
const RosterPage = lazy(() => import('./pages/roster/RosterPage'));
const RosterImportPage = lazy(() => import('./pages/roster-import/RosterImportPage'));
const ExportsPage = lazy(() => import('./pages/exports/ExportsPage'));
const EvaluationPage = lazy(() => import('./pages/evaluation/EvaluationPage'));
const ApiKeysPage = lazy(() => import('./pages/admin-api-keys/ApiKeysPage'));
const AccountsPage = lazy(() => import('./pages/admin-accounts/AccountsPage'));
const AuditPage = lazy(() => import('./pages/admin-audit/AuditPage'));

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

const TEAMS: Role[] = ['street', 'park', 'commission', 'admin'];
const ANALYSTS: Role[] = ['park', 'commission', 'admin'];

export function App() {
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
          <Bootstrap>
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
              <Route path="/filings" element={<Guard roles={['enterprise']} page={<MyFilingsPage />} />} />
              <Route path="/file" element={<Guard roles={['enterprise']} page={<FileFormPage />} />} />
              <Route path="/filings/:id" element={<Guard page={<FilingPage />} />} />
              <Route path="/filings/:id/receipt" element={<Guard page={<ReceiptPage />} />} />
              <Route path="/compliance" element={<Guard roles={TEAMS} page={<CompliancePage />} />} />
              <Route path="/enterprises/:uscc" element={<Guard roles={TEAMS} page={<EnterprisePage />} />} />
              <Route path="/webhooks" element={<Guard roles={TEAMS} page={<WebhooksPage />} />} />
              <Route path="/figures" element={<Guard roles={[...ANALYSTS, 'street']} page={<FiguresPage />} />} />
              <Route path="/provenance" element={<Guard roles={[...ANALYSTS, 'street']} page={<ProvenancePage />} />} />
              <Route path="/targets" element={<Guard roles={ANALYSTS} page={<TargetsPage />} />} />
              <Route path="/roster" element={<Guard roles={['park', 'admin']} page={<RosterPage />} />} />
              <Route path="/roster/import" element={<Guard roles={['park', 'admin']} page={<RosterImportPage />} />} />
              <Route path="/exports" element={<Guard roles={ANALYSTS} page={<ExportsPage />} />} />
              <Route path="/evaluation" element={<Guard roles={['commission', 'admin']} page={<EvaluationPage />} />} />
              <Route path="/admin/api-keys" element={<Guard roles={['admin']} page={<ApiKeysPage />} />} />
              <Route path="/admin/accounts" element={<Guard roles={['admin', 'park']} page={<AccountsPage />} />} />
              <Route path="/admin/audit" element={<Guard roles={['admin']} page={<AuditPage />} />} />
              <Route path="*" element={<Home />} />
            </Routes>
          </Bootstrap>
        </BrowserRouter>
      </QueryClientProvider>
    </ConfigProvider>
  );
}

/** On load: try the refresh cookie once, so a signed-in user who reloads stays signed in. */
function Bootstrap({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void refresh().finally(() => setReady(true));
  }, []);
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
