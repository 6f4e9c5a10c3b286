import { Descriptions, Form, Space, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useFiling, useFormDefinition, useRevision } from '../../api/queries';
import type { Finding } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { NativeSelect } from '../../components/NativeSelect';
import { ProblemView } from '../../components/ProblemView';
import { StatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/format';
import { useUrlState } from '../../components/url-state';
import { Panel } from '../../components/Panel';

/** One filing: its live status, every revision, a diff between any two, and each revision's findings. */
export default function FilingPage() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const { id = '' } = useParams();
  const filing = useFiling(id);
  const current = filing.data?.currentRevision ?? 1;
  const [selection, setSelection] = useUrlState({ from: '', to: '' });
  const to = Number(selection.to || current);
  const from = Number(selection.from || Math.max(1, to - 1));
  const left = useRevision(id, filing.data ? from : undefined);
  const right = useRevision(id, filing.data ? to : undefined);
  const form = useFormDefinition(filing.data?.formId ?? 'torch-monthly');
  if (filing.error) return <ProblemView error={filing.error} onRetry={() => void filing.refetch()} />;
  if (!filing.data) return <Spin />;
  const data = filing.data;
  const names = new Map((form.data?.indicators ?? []).map((i) => [i.code, zh ? i.nameZh : i.nameEn]));
  const codes = [
    ...new Set([
      ...(form.data?.indicators.map((i) => i.code) ?? []),
      ...Object.keys(left.data?.values ?? {}),
      ...Object.keys(right.data?.values ?? {}),
    ]),
  ];
  const revisionOptions = data.revisions.map((r) => ({
    value: String(r.revision),
    label: `${t('filing.revision')} ${r.revision}`,
  }));
  const diff = codes.map((code) => ({
    code,
    name: names.get(code) ?? code,
    before: left.data?.values[code],
    after: right.data?.values[code],
  }));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('filing.title', { period: data.period, form: t(`form.${data.formId}`) })}</h2>
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={t('receipt.enterprise')}>
          <Link to={`/enterprises/${data.uscc}`}>{data.uscc}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <span aria-live="polite" data-testid="filing-status">
            <StatusTag status={data.status} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('filing.currentRevision')}>{data.currentRevision}</Descriptions.Item>
        <Descriptions.Item label={t('file.dueOn')}>{data.deadlines.dueOn}</Descriptions.Item>
        <Descriptions.Item label={t('file.graceEndsOn')}>{data.deadlines.graceEndsOn}</Descriptions.Item>
        <Descriptions.Item label={t('filing.locksOn')}>{data.deadlines.locksOn}</Descriptions.Item>
      </Descriptions>
      {data.current.returned && (
        <Panel size="small" title={t('filing.returned')}>
          {data.current.returned.comment}
        </Panel>
      )}
      <Panel title={t('filing.revisions')} size="small">
        <DataTable
          label={t('filing.revisions')}
          rows={[...data.revisions].reverse()}
          rowKey={(row) => String(row.revision)}
          columns={[
            { key: 'revision', title: t('filing.revision'), render: (row) => row.revision },
            { key: 'status', title: t('common.status'), render: (row) => <StatusTag status={row.status} /> },
            {
              key: 'receivedAt',
              title: t('receipt.receivedAt'),
              render: (row) => formatTime(row.receivedAt, i18n.language),
            },
            {
              key: 'sha256',
              title: t('receipt.sha256'),
              render: (row) => <code>{row.contentSha256.slice(0, 16)}…</code>,
            },
            {
              key: 'receipt',
              title: t('common.actions'),
              render: (row) => (
                <Link to={`/filings/${id}/receipt?revision=${row.revision}`}>{t('filing.receipt')}</Link>
              ),
            },
          ]}
        />
      </Panel>
      <Panel title={t('filing.compare')} size="small">
        <Form layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item label={t('filing.from')} htmlFor="diff-from">
            <NativeSelect
              id="diff-from"
              value={String(from)}
              options={revisionOptions}
              onChange={(v) => setSelection({ from: v })}
              width={120}
            />
          </Form.Item>
          <Form.Item label={t('filing.to')} htmlFor="diff-to">
            <NativeSelect
              id="diff-to"
              value={String(to)}
              options={revisionOptions}
              onChange={(v) => setSelection({ to: v })}
              width={120}
            />
          </Form.Item>
        </Form>
        <DataTable
          label={t('filing.compare')}
          rows={diff}
          rowKey={(row) => row.code}
          rowClassName={(row) => (row.before !== row.after ? 'changed-row' : undefined)}
          columns={[
            { key: 'name', title: t('filing.indicator'), render: (row) => `${row.name} (${row.code})` },
            { key: 'before', title: `${t('filing.revision')} ${from}`, render: (row) => row.before ?? '—' },
            { key: 'after', title: `${t('filing.revision')} ${to}`, render: (row) => row.after ?? '—' },
            {
              key: 'change',
              title: t('filing.change'),
              render: (row) => (row.before === row.after ? '' : <Tag color="blue">{t('filing.changed')}</Tag>),
            },
          ]}
        />
      </Panel>
      <Panel title={t('filing.findingsOf', { revision: to })} size="small">
        <Findings findings={right.data?.findings ?? []} />
        {(right.data?.explanations.length ?? 0) > 0 && (
          <>
            <h3 style={{ fontSize: 15 }}>{t('filing.explanations')}</h3>
            <ul className="plain-list">
              {(right.data?.explanations ?? []).map((e) => (
                <li key={e.ruleCode}>
                  <Tag>{e.ruleCode}</Tag> <Tag>{e.reasonCode}</Tag> {e.text}
                </li>
              ))}
            </ul>
          </>
        )}
      </Panel>
    </Space>
  );
}

export function Findings({ findings }: { findings: readonly Finding[] }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  if (findings.length === 0) return <span>{t('filing.noFindings')}</span>;
  return (
    <ul className="plain-list">
      {findings.map((f, index) => (
        <li key={`${f.ruleCode}-${index}`}>
          <Tag color={f.severity === 'error' ? 'red' : 'orange'}>
            {f.severity === 'error' ? t('file.error') : t('file.warning')} {f.ruleCode}
          </Tag>
          {zh ? f.messageZh : f.messageEn}
        </li>
      ))}
    </ul>
  );
}
