import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { FormId } from '@huoju/domain';
import { Outbox } from '@huoju/messaging';
import { CLOCK, LOGGER, type Clock, type HealthCheck } from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';
import { StuckFilingRepository, type StuckRevision } from './stuck-filing.repository';

export interface SweepReport {
  readonly at: string;
  readonly republished: number;
}

const SWEEP_BATCH = 500;

/**
 * Finds filings stuck in received/validating longer than STUCK_FILING_AFTER_MS (an event lost to a
 * parked message, a bug fixed since, a topic recreated) and publishes their filing.submitted.v1 again
 * through the outbox. Validation is idempotent per (filing, revision, attempt), so a filing that was only
 * slow changes nothing. Reports how many it re-published (log and health details).
 */
@Injectable()
export class StuckFilingSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown, HealthCheck {
  readonly name = 'stuck-filings';
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private last: SweepReport | undefined;
  private total = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly repository: StuckFilingRepository,
    private readonly outbox: Outbox,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'stuck-filing sweep failed; next time'))
        .finally(() => (this.sweeping = undefined));
    }, this.config.STUCK_FILING_SWEEP_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Always up: the sweeper's findings are details, not a reason to take the service out of rotation. */
  check(): Promise<Record<string, unknown>> {
    return Promise.resolve({ lastSweep: this.last, republishedSinceStart: this.total });
  }

  /** One sweep now; resolves with how many revisions were re-published. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.config.STUCK_FILING_AFTER_MS);
    const republished = await this.orm.em.fork().transactional(async (em) => {
      if (!(await this.repository.tryLock(em))) return 0;
      const stuck = await this.repository.stuck(em, before, this.config.STUCK_FILING_AFTER_MS, SWEEP_BATCH);
      await this.outbox.addAll(em, stuck.map(submittedAgain));
      return stuck.length;
    });
    this.last = { at: now.toISOString(), republished };
    this.total += republished;
    if (republished > 0) {
      this.logger.warn({ republished, olderThan: before.toISOString() }, 'stuck filings published again');
    }
    return republished;
  }
}

function submittedAgain(row: StuckRevision) {
  return {
    topic: 'filing.submitted.v1' as const,
    key: row.uscc,
    payload: {
      filingId: row.filing_id,
      revision: row.revision,
      attempt: row.attempt,
      uscc: row.uscc,
      formId: row.form_id as FormId,
      formVersion: row.form_version,
      period: row.period,
      values: row.values,
      explanations: row.explanations.map((e) => ({
        ruleCode: e.ruleCode,
        reasonCode: e.reasonCode,
        text: e.text,
        ...(e.indicator ? { indicator: e.indicator } : {}),
      })),
      contentSha256: row.content_sha256,
      receivedAt: new Date(row.received_at).toISOString(),
    },
  };
}
