import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  accepted: 'green',
  'filed-on-time': 'green',
  'filed-late': 'gold',
  received: 'blue',
  'needs-explanation': 'orange',
  rejected: 'red',
  returned: 'purple',
  overdue: 'red',
  'not-filed': 'default',
};

/** A filing or compliance status in the user's language. */
export function StatusTag({ status }: { status: string | null | undefined }) {
  const { t } = useTranslation();
  if (!status) return <>—</>;
  return <Tag color={COLORS[status] ?? 'default'}>{t(`status.${status}`, { defaultValue: status })}</Tag>;
}
