import { intakeRoutes } from '@huoju/contracts/http';
import { Alert, Button, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadRoute, upload } from '../../api/client';
import { ApiError, problemMessage } from '../../api/problem';
import type { ImportIssue, RosterImportResult } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { ProblemView } from '../../components/ProblemView';
import { Panel } from '../../components/Panel';

/** Roster file import: a dry run lists every row's errors; only a clean file can be imported. */
export default function RosterImportPage() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const [file, setFile] = useState<File>();
  const [result, setResult] = useState<{ dryRun: boolean; body: RosterImportResult }>();
  const [problem, setProblem] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [page, setPage] = useState(1);
  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setProblem(undefined);
    setResult(undefined);
    setPage(1);
    try {
      const type = file.name.toLowerCase().endsWith('.xlsx')
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : 'text/csv';
      const body = await upload(intakeRoutes.importRoster, { query: { dryRun: String(dryRun) } }, file, type);
      setResult({ dryRun, body });
    } catch (error) {
      setProblem(error instanceof ApiError ? error : undefined);
    } finally {
      setBusy(false);
    }
  };
  const rowErrors = (problem?.problem.errors ?? []) as unknown as ImportIssue[];
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('import.title')}</h2>
      <Panel size="small">
        <Space orientation="vertical">
          <Space>
            <Button
              onClick={() =>
                void downloadRoute(
                  intakeRoutes.getRosterTemplate,
                  { query: { format: 'xlsx' } },
                  'roster-template.xlsx',
                )
              }
            >
              {t('import.templateXlsx')}
            </Button>
            <Button
              onClick={() =>
                void downloadRoute(intakeRoutes.getRosterTemplate, { query: { format: 'csv' } }, 'roster-template.csv')
              }
            >
              {t('import.templateCsv')}
            </Button>
          </Space>
          <label htmlFor="roster-file">{t('import.file')}</label>
          <input
            id="roster-file"
            type="file"
            accept=".csv,.xlsx"
            onChange={(event) => {
              setFile(event.target.files?.[0]);
              setResult(undefined);
              setProblem(undefined);
            }}
          />
          <Space>
            <Button onClick={() => void send(true)} disabled={!file} loading={busy}>
              {t('import.check')}
            </Button>
            <Button type="primary" onClick={() => void send(false)} disabled={!file || !result?.dryRun} loading={busy}>
              {t('import.apply')}
            </Button>
          </Space>
          <span className="text-secondary">{t('import.help')}</span>
        </Space>
      </Panel>
      {result && (
        <Alert
          type="success"
          role="status"
          title={result.dryRun ? t('import.clean') : t('import.done')}
          description={
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(summary(result.body), null, 2)}</pre>
          }
        />
      )}
      {problem && rowErrors.length === 0 && <ProblemView error={problem} />}
      {rowErrors.length > 0 && (
        <Panel
          size="small"
          title={`${problemMessage(problem!.problem, i18n.language)} (${t('import.errorCount', { count: rowErrors.length })})`}
        >
          <DataTable<ImportIssue>
            label={t('import.errors')}
            rows={rowErrors}
            rowKey={(e) => `${e.row}-${e.column}-${e.code}-${e.item ?? ''}`}
            pageSize={50}
            page={page}
            onPage={setPage}
            columns={[
              { key: 'row', title: t('import.row'), render: (e) => e.row },
              { key: 'column', title: t('import.column'), render: (e) => e.column },
              { key: 'message', title: t('import.problem'), render: (e) => (zh ? e.messageZh : e.messageEn) },
              { key: 'remedy', title: t('import.remedy'), render: (e) => (zh ? e.remedyZh : e.remedyEn) },
              { key: 'code', title: t('import.code'), render: (e) => e.code },
            ]}
          />
        </Panel>
      )}
    </Space>
  );
}

function summary(body: RosterImportResult): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v !== 'object' || v === null));
}
