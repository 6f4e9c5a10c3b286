import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';

/**
 * Records validation's verdicts on revisions. Natural-key idempotent: a verdict applies only if newer than
 * the one held, so redeliveries and late arrivals change nothing. A returned revision keeps its status.
 */
@Controller()
export class FilingValidatedConsumer {
  constructor(private readonly orm: MikroORM) {}

  @ConsumeEvent('filing.validated.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'filing.validated.v1'>[]): Promise<void> {
    const verdicts = envelopes.map(({ payload }) => ({
      filing_id: payload.filingId,
      revision: payload.revision,
      verdict: payload.verdict,
      outcome: payload.outcome,
      findings: payload.findings,
      validated_at: payload.validatedAt,
    }));
    await this.orm.em.fork().transactional(async (em) => {
      await em.execute(
        `WITH incoming AS (
           SELECT DISTINCT ON (filing_id, revision) * FROM jsonb_to_recordset(?::jsonb)
             AS v(filing_id uuid, revision int, verdict int, outcome text, findings jsonb, validated_at timestamptz)
            ORDER BY filing_id, revision, verdict DESC
         ), applied AS (
           UPDATE filing_revision r
              SET verdict = v.verdict, outcome = v.outcome, findings = v.findings, validated_at = v.validated_at,
                  status = CASE WHEN r.status = 'returned' THEN r.status ELSE v.outcome END
             FROM incoming v
            WHERE r.filing_id = v.filing_id AND r.revision = v.revision AND r.verdict < v.verdict
           RETURNING r.filing_id, r.revision, r.status
         )
         UPDATE filing f SET status = a.status, updated_at = now()
           FROM applied a WHERE f.id = a.filing_id AND f.current_revision = a.revision`,
        [JSON.stringify(verdicts)],
      );
    });
  }
}
