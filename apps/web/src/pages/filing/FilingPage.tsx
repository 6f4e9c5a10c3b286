import { Descriptions, Form, List, Select, Space, Spin, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useFiling, useFormDefinition, useRevision } from '../../api/queries';
import type { Finding } from '../../api/types';
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
    value: r.revision,
    label: `${t('filing.revision')} ${r.revision}`,
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
        <Table
          rowKey="revision"
          size="small"
          pagination={false}
          dataSource={[...data.revisions].reverse()}
          columns={[
            { title: t('filing.revision'), dataIndex: 'revision' },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
            {
              title: t('receipt.receivedAt'),
              dataIndex: 'receivedAt',
              render: (v: string) => formatTime(v, i18n.language),
            },
            {
              title: t('receipt.sha256'),
              dataIndex: 'contentSha256',
              render: (v: string) => <code>{v.slice(0, 16)}…</code>,
            },
            {
              title: t('common.actions'),
              key: 'receipt',
              render: (_: unknown, row: { revision: number }) => (
                <Link to={`/filings/${id}/receipt?revision=${row.revision}`}>{t('filing.receipt')}</Link>
              ),
            },
          ]}
        />
      </Panel>
      <Panel title={t('filing.compare')} size="small">
        <Form layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item label={t('filing.from')} htmlFor="diff-from">
            <Select
              id="diff-from"
              value={from}
              options={revisionOptions}
              onChange={(v: number) => setSelection({ from: String(v) })}
              style={{ width: 120 }}
            />
          </Form.Item>
          <Form.Item label={t('filing.to')} htmlFor="diff-to">
            <Select
              id="diff-to"
              value={to}
              options={revisionOptions}
              onChange={(v: number) => setSelection({ to: String(v) })}
              style={{ width: 120 }}
            />
          </Form.Item>
        </Form>
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          aria-label={t('filing.compare')}
          dataSource={codes.map((code) => ({
            code,
            name: names.get(code) ?? code,
            before: left.data?.values[code],
            after: right.data?.values[code],
          }))}
          rowClassName={(row) => (row.before !== row.after ? 'changed-row' : '')}
          columns={[
            { title: t('filing.indicator'), dataIndex: 'name', render: (v: string, row) => `${v} (${row.code})` },
            { title: `${t('filing.revision')} ${from}`, dataIndex: 'before', render: (v?: string) => v ?? '—' },
            { title: `${t('filing.revision')} ${to}`, dataIndex: 'after', render: (v?: string) => v ?? '—' },
            {
              title: t('filing.change'),
              key: 'change',
              render: (_: unknown, row) =>
                row.before === row.after ? '' : <Tag color="blue">{t('filing.changed')}</Tag>,
            },
          ]}
        />
      </Panel>
      <Panel title={t('filing.findingsOf', { revision: to })} size="small">
        <Findings findings={right.data?.findings ?? []} />
        {(right.data?.explanations.length ?? 0) > 0 && (
          <>
            <h3 style={{ fontSize: 15 }}>{t('filing.explanations')}</h3>
            <List
              size="small"
              dataSource={right.data?.explanations ?? []}
              renderItem={(e) => (
                <List.Item>
                  <Tag>{e.ruleCode}</Tag> <Tag>{e.reasonCode}</Tag> {e.text}
                </List.Item>
              )}
            />
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
    <List
      size="small"
      dataSource={[...findings]}
      renderItem={(f) => (
        <List.Item>
          <Space>
            <Tag color={f.severity === 'error' ? 'red' : 'orange'}>
              {f.severity === 'error' ? t('file.error') : t('file.warning')} {f.ruleCode}
            </Tag>
            {zh ? f.messageZh : f.messageEn}
          </Space>
        </List.Item>
      )}
    />
  );
}
