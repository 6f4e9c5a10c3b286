import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { recentMonths } from './format';

/**
 * The period / form / scope filters the team pages share; each control has a visible label. Native selects:
 * keyboard and screen readers know them, and antd's Select would add ~25 kB gzip to every team page.
 */
export function PeriodSelect({
  value,
  onChange,
  id = 'filter-period',
}: {
  value: string;
  onChange: (v: string) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('common.period')} htmlFor={id}>
      <select id={id} className="native-select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('common.latestPeriod')}</option>
        {recentMonths().map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </Form.Item>
  );
}

export function FormSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('common.form')} htmlFor="filter-form">
      <select id="filter-form" className="native-select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="torch-monthly">{t('form.torch-monthly')}</option>
        <option value="torch-annual">{t('form.torch-annual')}</option>
      </select>
    </Form.Item>
  );
}

export function CodeInput({
  label,
  value,
  onChange,
  id,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  id: string;
}) {
  return (
    <Form.Item label={label} htmlFor={id}>
      <Input.Search id={id} defaultValue={value} onSearch={onChange} allowClear style={{ width: 180 }} />
    </Form.Item>
  );
}
