import { Alert, Button } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldMessage, problemMessage } from '../api/problem';
import { useSession } from '../api/session';

/** Every bad answer shown the same way: 403 says what the user may see, a service down offers a retry. */
export function ProblemView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  if (!(error instanceof ApiError)) {
    return <Alert type="error" showIcon title={t('problem.unexpected')} description={String(error)} />;
  }
  if (error.status === 403) {
    const scope = session?.account.scope.length ? session.account.scope.join(', ') : t('problem.noScope');
    return (
      <ProblemPage title={t('problem.forbiddenTitle')}>
        <p>{problemMessage(error.problem, i18n.language)}</p>
        <p>{t('problem.yourScope', { role: t(`role.${session?.account.role ?? 'enterprise'}`), scope })}</p>
      </ProblemPage>
    );
  }
  if (error.unreachable) {
    return (
      <ProblemPage title={t('problem.unreachableTitle')}>
        <p>{t('problem.unreachable')}</p>
        {onRetry && <Button onClick={onRetry}>{t('common.retry')}</Button>}
      </ProblemPage>
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={problemMessage(error.problem, i18n.language)}
      description={
        error.problem.errors?.length ? (
          <ul style={{ margin: 0 }}>
            {error.problem.errors.map((field) => (
              <li key={`${field.pointer}-${field.code}`}>
                <code>{field.pointer}</code> {fieldMessage(field, i18n.language)}
              </li>
            ))}
          </ul>
        ) : undefined
      }
      action={onRetry && <Button onClick={onRetry}>{t('common.retry')}</Button>}
    />
  );
}

/** A whole-page problem (403, a service down): a heading and what to do. Plain markup, not antd's Result and its illustrations. */
function ProblemPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="problem-page" role="alert">
      <h2>{title}</h2>
      <div className="text-secondary">{children}</div>
    </div>
  );
}
