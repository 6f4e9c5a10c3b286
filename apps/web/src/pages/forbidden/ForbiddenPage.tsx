import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session';

/** A page outside the user's role. (A page inside the role but for another scope shows the API's 403.) */
export function ForbiddenPage() {
  const { t } = useTranslation();
  const session = useSession();
  const scope = session?.account.scope.length ? session.account.scope.join(', ') : t('problem.noScope');
  return (
    <Result
      status="403"
      title={t('problem.forbiddenTitle')}
      subTitle={t('problem.yourScope', { role: t(`role.${session?.account.role ?? 'enterprise'}`), scope })}
    />
  );
}
