import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { recentMonths } from './format';

/** The period / form / scope filters the team pages share; each control has a visible label. */
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
      <Select
        id={id}
        showSearch
        value={value || undefined}
        placeholder={t('common.latestPeriod')}
        allowClear
        onChange={(v?: string) => onChange(v ?? '')}
        style={{ width: 140 }}
        options={recentMonths().map((p) => ({ value: p, label: p }))}
      />
    </Form.Item>
  );
}

export function FormSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('common.form')} htmlFor="filter-form">
      <Select
        id="filter-form"
        value={value}
        onChange={onChange}
        style={{ width: 200 }}
        options={[
          { value: 'torch-monthly', label: t('form.torch-monthly') },
          { value: 'torch-annual', label: t('form.torch-annual') },
        ]}
      />
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
