import { Inject, Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { EventEnvelope } from '@huoju/contracts';
import { parsePeriod, scheduleFor, type EvaluationResult, type Explanation } from '@huoju/domain';
import { Outbox, claimEvents } from '@huoju/messaging';
import { CLOCK, LOGGER, type Clock } from '@huoju/platform';
import { RuleSets } from './rule-sets';
import { VerdictRepository, revisionKey, type VerdictRow } from './verdict.repository';

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

  /**
   * Applies a batch in one transaction, in a few set-based statements per wave; events applied before (inbox)
   * are skipped. An enterprise's second filing in a batch may read what its first one accepted (the previous
   * month, the other form), so it goes into the next wave, after the first is recorded.
   */
  async validateSubmissions(envelopes: readonly EventEnvelope<'filing.submitted.v1'>[]): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      const fresh = await claimEvents(em, CONSUMER, envelopes, 'filing.submitted.v1');
      for (const wave of wavesByEnterprise(envelopes.filter((envelope) => fresh.has(envelope.id))))
        await this.validateWave(em, wave);
    });
  }

  /** Submissions of distinct enterprises: none reads what another one of the wave records. */
  private async validateWave(em: EntityManager, wave: readonly EventEnvelope<'filing.submitted.v1'>[]): Promise<void> {
    const latest = await this.verdicts.latestVerdicts(
      em,
      wave.map((envelope) => envelope.payload),
    );
    // A stale attempt (e.g. redelivered after an explanation was already validated) changes nothing.
    const due = wave.filter((envelope) => {
      const previous = latest.get(revisionKey(envelope.payload));
      return !previous || previous.attempt < envelope.payload.attempt;
    });
    const contexts = await this.verdicts.contexts(
      em,
      due.map((envelope) => envelope.payload),
    );
    await this.recordAll(
      em,
      due.map((envelope, index) => {
        const submitted = envelope.payload;
        const previous = latest.get(revisionKey(submitted));
        const { engine } = this.ruleSets.engine(submitted.formId, submitted.formVersion);
        const result = engine.evaluate(
          { period: submitted.period, values: submitted.values, explanations: submitted.explanations },
          contexts[index]!,
        );
        return {
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
          reason: 'submitted' as const,
          previousOutcome: previous?.outcome,
          result,
          correlationId: envelope.correlationId,
          causationId: envelope.id,
        };
      }),
    );
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
          const [context] = await this.verdicts.contexts(tx, [
            { uscc: verdict.uscc, formId: verdict.form_id, period: verdict.period },
          ]);
          const result = engine.evaluate(
            { period: verdict.period, values: verdict.values, explanations: verdict.explanations as Explanation[] },
            context!,
          );
          if (result.outcome === verdict.outcome) return;
          changed++;
          await this.recordAll(tx, [
            {
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
            },
          ]);
        });
      }
    }
    this.logger.info({ formId, formVersion, evaluated, changed }, 're-validated open periods after a rule change');
    return { evaluated, changed };
  }

  /** Records verdicts, refreshes the accepted revisions they move and publishes them, in the caller's transaction. */
  private async recordAll(em: EntityManager, verdicts: readonly VerdictToRecord[]): Promise<void> {
    if (verdicts.length === 0) return;
    const validatedAt = this.clock.now().toISOString();
    const rows = verdicts.map((verdict) => ({
      ...verdict.row,
      received_at: new Date(verdict.row.received_at).toISOString(),
      reason: verdict.reason,
      validated_at: validatedAt,
    }));
    await this.verdicts.insertVerdicts(em, rows);
    await this.verdicts.refreshAccepted(
      em,
      rows.map((row) => ({ uscc: row.uscc, formId: row.form_id, period: row.period })),
    );
    await this.outbox.addAll(
      em,
      verdicts.map((verdict, index) => ({
        topic: 'filing.validated.v1' as const,
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
          receivedAt: rows[index]!.received_at,
          validatedAt,
        },
      })),
    );
  }
}

interface VerdictToRecord {
  readonly row: Omit<VerdictRow, 'received_at'> & { received_at: string };
  readonly reason: 'submitted' | 'rule-set-changed';
  readonly previousOutcome?: VerdictRow['outcome'];
  readonly result: EvaluationResult;
  readonly correlationId: string;
  readonly causationId?: string;
}

/**
 * Splits a batch into waves in which each enterprise appears once, keeping each enterprise's order: its
 * n-th submission of the batch goes into the n-th wave.
 */
export function wavesByEnterprise<T extends { payload: { uscc: string } }>(envelopes: readonly T[]): T[][] {
  const waves: T[][] = [];
  const seen = new Map<string, number>();
  for (const envelope of envelopes) {
    const wave = seen.get(envelope.payload.uscc) ?? 0;
    seen.set(envelope.payload.uscc, wave + 1);
    (waves[wave] ??= []).push(envelope);
  }
  return waves;
}
