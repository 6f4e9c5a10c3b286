import { Alert, Button, Descriptions, Form, Input, Select, Space, Spin, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { intakeRoutes } from '@huoju/contracts/http';
import { call } from '../../api/client';
import { ApiError, fieldMessage } from '../../api/problem';
import { useFilings, useFormDefinition, useFormRules } from '../../api/queries';
import type { Explanation, Finding, Indicator } from '../../api/types';
import { ProblemView } from '../../components/ProblemView';
import { useUrlState } from '../../components/url-state';
import { filledValues, useDryRun } from './useDryRun';
import { Panel } from '../../components/Panel';

/** The monthly or annual form, rendered from its definition, checked as the user types. */
export default function FileFormPage() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [{ form: formId, period }] = useUrlState({ form: 'torch-monthly', period: '' });
  const form = useFormDefinition(formId, period || undefined);
  const rules = useFormRules(formId);
  const existing = useFilings({ formId, period, pageSize: 1 });
  const [values, setValues] = useState<Record<string, string>>({});
  const [explanations, setExplanations] = useState<Record<string, Explanation>>({});
  const [loaded, setLoaded] = useState(false);
  const [submitProblem, setSubmitProblem] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);

  const existingId = existing.data?.items[0]?.id;
  // Amending: start from the current revision's values and explanations.
  useEffect(() => {
    if (loaded || existing.isLoading) return;
    if (!existingId) {
      setLoaded(true);
      return;
    }
    void call(intakeRoutes.getFiling, { params: { id: existingId } }).then((filing) => {
      setValues({ ...filing.current.values });
      setExplanations(Object.fromEntries(filing.current.explanations.map((e) => [e.ruleCode, e])));
      setLoaded(true);
    });
  }, [existingId, existing.isLoading, loaded]);

  const submission = useMemo(
    () => ({
      formId,
      period,
      values: filledValues(values),
      explanations: Object.values(explanations).filter((e) => e.reasonCode && e.text.trim()),
    }),
    [formId, period, values, explanations],
  );
  const dryRun = useDryRun(submission, loaded && Boolean(period) && Object.keys(submission.values).length > 0);
  const findings = dryRun.result?.findings ?? [];
  const byField = groupFindings(findings);
  const fieldProblems = new Map<string, string[]>();
  for (const problem of [dryRun.problem, submitProblem]) {
    for (const error of problem?.problem.errors ?? []) {
      const code = error.pointer.replace(/^\/values\//, '');
      fieldProblems.set(code, [...(fieldProblems.get(code) ?? []), fieldMessage(error, i18n.language)]);
    }
  }
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const unexplained = [...new Set(warnings.map((w) => w.ruleCode))].filter(
    (rule) => !submission.explanations.some((e) => e.ruleCode === rule),
  );
  // One explanation per rule (the API's model): its controls sit beside the first field the rule flags.
  const explainAt = new Map<string, string>();
  for (const warning of warnings)
    if (!explainAt.has(warning.ruleCode)) explainAt.set(warning.ruleCode, warning.pointer);

  if (!period) return <Alert type="info" title={t('file.choosePeriod')} />;
  if (form.error) return <ProblemView error={form.error} onRetry={() => void form.refetch()} />;
  if (!form.data || !loaded) return <Spin />;
  const definition = form.data;
  const sections = groupBySection(definition.indicators);
  const reasons = rules.data?.explanationReasons ?? [];

  const submit = async () => {
    setSubmitting(true);
    setSubmitProblem(undefined);
    try {
      const receipt = await call(intakeRoutes.submitFiling, {
        body: submission,
        headers: { 'idempotency-key': `web-${formId}-${period}-${await digest(JSON.stringify(submission))}` },
      });
      await queryClient.invalidateQueries({ queryKey: ['filings'] });
      void navigate(`/filings/${receipt.filingId}/receipt?revision=${receipt.revision}`);
    } catch (error) {
      setSubmitProblem(error instanceof ApiError ? error : undefined);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <h2 className="page-title">{zh ? definition.titleZh : definition.titleEn}</h2>
        <Descriptions size="small" column={4}>
          <Descriptions.Item label={t('file.period')}>{period}</Descriptions.Item>
          <Descriptions.Item label={t('file.dueOn')}>{definition.deadlines?.dueOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('file.graceEndsOn')}>
            {definition.deadlines?.graceEndsOn ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('file.mode')}>
            {existingId ? <Link to={`/filings/${existingId}`}>{t('file.amending')}</Link> : t('file.new')}
          </Descriptions.Item>
        </Descriptions>
      </div>
      <Form
        layout="horizontal"
        labelAlign="left"
        labelCol={{ span: 8 }}
        wrapperCol={{ span: 16 }}
        onFinish={() => void submit()}
      >
        {sections.map(([section, indicators]) => (
          <Panel key={section} title={`${t('file.section')} ${section}`} size="small" style={{ marginBottom: 16 }}>
            {indicators.map((indicator) => {
              const own = byField.get(indicator.code) ?? [];
              const extra = fieldProblems.get(indicator.code) ?? [];
              const hasError = own.some((f) => f.severity === 'error') || extra.length > 0;
              const hasWarning = own.some((f) => f.severity === 'warning');
              const id = `field-${indicator.code}`;
              return (
                <Form.Item
                  key={indicator.code}
                  label={
                    <span className={indicator.parent ? 'sub-indicator' : undefined}>
                      {zh ? indicator.nameZh : indicator.nameEn}
                      <span className="text-secondary"> ({indicator.code})</span>
                    </span>
                  }
                  htmlFor={id}
                  required={indicator.required}
                  validateStatus={hasError ? 'error' : hasWarning ? 'warning' : undefined}
                  help={
                    own.length + extra.length > 0 ? (
                      <div>
                        {extra.map((message) => (
                          <div key={message} className="field-finding">
                            {message}
                          </div>
                        ))}
                        {own.map((finding) => (
                          <FindingNote
                            key={`${finding.ruleCode}-${finding.pointer}`}
                            finding={finding}
                            reasons={reasons}
                            explanation={explanations[finding.ruleCode]}
                            explainHere={explainAt.get(finding.ruleCode) === finding.pointer}
                            onExplain={(explanation) =>
                              setExplanations((previous) => ({ ...previous, [finding.ruleCode]: explanation }))
                            }
                          />
                        ))}
                      </div>
                    ) : undefined
                  }
                >
                  <Input
                    id={id}
                    inputMode="decimal"
                    value={values[indicator.code] ?? ''}
                    onChange={(event) =>
                      setValues((previous) => ({ ...previous, [indicator.code]: event.target.value }))
                    }
                    suffix={indicator.unit}
                    placeholder={indicator.decimals > 0 ? t('file.decimals', { count: indicator.decimals }) : '0'}
                    style={{ maxWidth: 320 }}
                    aria-required={indicator.required}
                  />
                </Form.Item>
              );
            })}
          </Panel>
        ))}
        <Panel size="small">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <div aria-live="polite">
              {dryRun.checking ? (
                <Tag>{t('file.checking')}</Tag>
              ) : dryRun.result ? (
                <Space wrap>
                  <Tag color={errors.length ? 'red' : 'green'}>{t('file.errors', { count: errors.length })}</Tag>
                  <Tag color={warnings.length ? 'orange' : 'green'}>
                    {t('file.warnings', { count: warnings.length })}
                  </Tag>
                  {unexplained.length > 0 && (
                    <Tag color="orange">{t('file.unexplained', { count: unexplained.length })}</Tag>
                  )}
                </Space>
              ) : null}
            </div>
            {dryRun.problem && !dryRun.problem.problem.errors?.length && <ProblemView error={dryRun.problem} />}
            {submitProblem && <ProblemView error={submitProblem} />}
            <Button
              type="primary"
              htmlType="submit"
              loading={submitting}
              disabled={errors.length > 0 || Object.keys(submission.values).length === 0}
            >
              {existingId ? t('file.submitAmendment') : t('file.submit')}
            </Button>
            {errors.length > 0 && <span className="text-danger">{t('file.blocked')}</span>}
          </Space>
        </Panel>
      </Form>
    </Space>
  );
}

function FindingNote({
  finding,
  reasons,
  explanation,
  explainHere,
  onExplain,
}: {
  finding: Finding;
  explainHere: boolean;
  reasons: readonly { code: string; nameZh: string; nameEn: string }[];
  explanation: Explanation | undefined;
  onExplain: (explanation: Explanation) => void;
}) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const current = explanation ?? { ruleCode: finding.ruleCode, reasonCode: '', text: '' };
  return (
    <div className="field-finding" role={finding.severity === 'error' ? 'alert' : 'status'}>
      <div>
        <Tag color={finding.severity === 'error' ? 'red' : 'orange'}>
          {finding.severity === 'error' ? t('file.error') : t('file.warning')} {finding.ruleCode}
        </Tag>
        {zh ? finding.messageZh : finding.messageEn}
      </div>
      {(finding.remedyZh || finding.remedyEn) && (
        <span className="text-secondary">{zh ? finding.remedyZh : finding.remedyEn}</span>
      )}
      {finding.severity === 'warning' && explainHere && (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 4 }}>
          <Select
            aria-label={t('file.reason', { rule: finding.ruleCode })}
            placeholder={t('file.reasonPlaceholder')}
            value={current.reasonCode || undefined}
            onChange={(reasonCode: string) => onExplain({ ...current, reasonCode })}
            options={reasons.map((reason) => ({ value: reason.code, label: zh ? reason.nameZh : reason.nameEn }))}
            style={{ maxWidth: 320 }}
          />
          <Input.TextArea
            aria-label={t('file.explanation', { rule: finding.ruleCode })}
            placeholder={t('file.explanationPlaceholder')}
            value={current.text}
            onChange={(event) => onExplain({ ...current, text: event.target.value })}
            autoSize={{ minRows: 2 }}
            style={{ maxWidth: 480 }}
          />
        </Space>
      )}
    </div>
  );
}

/** Findings by the field they point at (`/values/<code>`); one finding on several fields shows on the first. */
function groupFindings(findings: readonly Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const finding of findings) {
    const code = finding.pointer.replace(/^\/values\//, '') || finding.indicators[0] || '';
    map.set(code, [...(map.get(code) ?? []), finding]);
  }
  return map;
}

function groupBySection(indicators: readonly Indicator[]): [string, Indicator[]][] {
  const sections = new Map<string, Indicator[]>();
  for (const indicator of indicators)
    sections.set(indicator.section ?? '', [...(sections.get(indicator.section ?? '') ?? []), indicator]);
  return [...sections.entries()];
}

async function digest(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)]
    .slice(0, 12)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}
