import { Inject, Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { EventEnvelope, FilingSubmitted } from '@huoju/contracts';
import { parsePeriod, scheduleFor, type EvaluationResult, type Explanation } from '@huoju/domain';
import { Outbox, claimEvents } from '@huoju/messaging';
import { CLOCK, LOGGER, type Clock } from '@huoju/platform';
import { RuleSets } from './rule-sets';
import { VerdictRepository, type VerdictRow } from './verdict.repository';

const CONSUMER = 'validation.filing-submitted';

/**
 * Validates submitted filings: builds the cross-period context from validation's own projections, runs the
 * rule engine, records the verdict and publishes filing.validated.v1 with every finding, in one transaction.
 */
@Injectable()
export class ValidationService {
  constructor(
    private readonly orm: MikroORM,
    private readonly verdicts: VerdictRepository,
    private readonly ruleSets: RuleSets,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Applies a batch in order, in one transaction; events applied before (inbox) are skipped. */
  async validateSubmissions(envelopes: readonly EventEnvelope<'filing.submitted.v1'>[]): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      const fresh = await claimEvents(em, CONSUMER, envelopes, 'filing.submitted.v1');
      for (const envelope of envelopes) {
        if (fresh.has(envelope.id)) await this.validateOne(em, envelope.payload, envelope.correlationId, envelope.id);
      }
    });
  }

  private async validateOne(
    em: EntityManager,
    submitted: FilingSubmitted,
    correlationId: string,
    causationId: string,
  ): Promise<void> {
    const previous = await this.verdicts.latestVerdict(em, submitted.filingId, submitted.revision);
    // A stale attempt (e.g. redelivered after an explanation was already validated) changes nothing.
    if (previous && previous.attempt >= submitted.attempt) return;
    const { engine } = this.ruleSets.engine(submitted.formId, submitted.formVersion);
    const context = await this.verdicts.context(em, submitted.uscc, submitted.formId, submitted.period);
    const result = engine.evaluate(
      { period: submitted.period, values: submitted.values, explanations: submitted.explanations },
      context,
    );
    await this.record(em, {
      row: {
        filing_id: submitted.filingId,
        revision: submitted.revision,
        verdict: (previous?.verdict ?? 0) + 1,
        attempt: submitted.attempt,
        uscc: submitted.uscc,
        form_id: submitted.formId,
        form_version: submitted.formVersion,
        rule_set_version: result.ruleSetVersion,
        period: submitted.period,
        outcome: result.outcome,
        findings: [...result.findings],
        values: submitted.values,
        explanations: submitted.explanations,
        content_sha256: submitted.contentSha256,
        received_at: submitted.receivedAt,
      },
      reason: 'submitted',
      previousOutcome: previous?.outcome,
      result,
      correlationId,
      causationId,
    });
  }

  /**
   * After a rule change: re-evaluates the latest revision of every filing in periods that are not locked yet
   * and publishes a new verdict only where the outcome changed. Returns how many changed.
   */
  async revalidateOpenPeriods(formId: string, formVersion: string): Promise<{ evaluated: number; changed: number }> {
    const { form, engine } = this.ruleSets.engine(formId, formVersion);
    const now = this.clock.now();
    const em = this.orm.em.fork();
    const periods = await this.verdicts.periodsJudged(em, formId, formVersion);
    const open = periods.filter((period) => scheduleFor(form, parsePeriod(period, form.periodType)).locksAt > now);
    let evaluated = 0;
    let changed = 0;
    for (const period of open) {
      const latest = await this.verdicts.latestPerFiling(em, formId, formVersion, period);
      for (const verdict of latest) {
        evaluated++;
        await em.transactional(async (tx) => {
          const context = await this.verdicts.context(tx, verdict.uscc, verdict.form_id, verdict.period);
          const result = engine.evaluate(
            { period: verdict.period, values: verdict.values, explanations: verdict.explanations as Explanation[] },
            context,
          );
          if (result.outcome === verdict.outcome) return;
          changed++;
          await this.record(tx, {
            row: {
              ...verdict,
              verdict: verdict.verdict + 1,
              rule_set_version: result.ruleSetVersion,
              outcome: result.outcome,
              findings: [...result.findings],
            },
            reason: 'rule-set-changed',
            previousOutcome: verdict.outcome,
            result,
            correlationId: `revalidate:${formId}:${formVersion}:${result.ruleSetVersion}`,
          });
        });
      }
    }
    this.logger.info({ formId, formVersion, evaluated, changed }, 're-validated open periods after a rule change');
    return { evaluated, changed };
  }

  private async record(
    em: EntityManager,
    verdict: {
      row: Omit<VerdictRow, 'received_at'> & { received_at: string };
      reason: 'submitted' | 'rule-set-changed';
      previousOutcome?: VerdictRow['outcome'];
      result: EvaluationResult;
      correlationId: string;
      causationId?: string;
    },
  ): Promise<void> {
    const validatedAt = this.clock.now().toISOString();
    const receivedAt = new Date(verdict.row.received_at).toISOString();
    await this.verdicts.insertVerdict(em, {
      ...verdict.row,
      received_at: receivedAt,
      reason: verdict.reason,
      validated_at: validatedAt,
    });
    await this.verdicts.refreshAccepted(em, verdict.row.uscc, verdict.row.form_id, verdict.row.period);
    await this.outbox.add(em, {
      topic: 'filing.validated.v1',
      key: verdict.row.uscc,
      correlationId: verdict.correlationId,
      causationId: verdict.causationId,
      payload: {
        filingId: verdict.row.filing_id,
        revision: verdict.row.revision,
        attempt: verdict.row.attempt,
        verdict: verdict.row.verdict,
        reason: verdict.reason,
        uscc: verdict.row.uscc,
        formId: verdict.row.form_id,
        formVersion: verdict.row.form_version,
        ruleSetVersion: verdict.result.ruleSetVersion,
        period: verdict.row.period,
        outcome: verdict.result.outcome,
        ...(verdict.previousOutcome ? { previousOutcome: verdict.previousOutcome } : {}),
        findings: verdict.result.findings.map((finding) => ({ ...finding, indicators: [...finding.indicators] })),
        values: verdict.row.values,
        contentSha256: verdict.row.content_sha256,
        receivedAt,
        validatedAt,
      },
    });
  }
}
