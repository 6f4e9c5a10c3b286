import { Inject, Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { EventEnvelope } from '@huoju/contracts';
import { formVersionFor, park as parkOf, parks } from '@huoju/domain';
import { claimEvents } from '@huoju/messaging';
import { CLOCK, LOGGER, notFound, validationProblem, type Clock, type Principal } from '@huoju/platform';
import { ExportJobRepository } from '../export/export-job.repository';
import { AutoExportSettingRepository } from './auto-export-setting.repository';
import { ExportsService } from '../export/exports.service';
import { EXPORT_FORMATS, TORCH_EXPORT_CONFIG, type ExportFormat, type TorchExportConfig } from '../torch-export.config';

export interface AutoExportSetting {
  readonly park: string;
  readonly enabled: boolean;
  readonly formats: readonly ExportFormat[];
  /** Where the setting comes from: AUTO_EXPORT_PARKS, or a PUT that overrides it. */
  readonly source: 'environment' | 'api';
  readonly updatedBy?: string;
  readonly updatedAt?: string;
}

const INBOX_CONSUMER = 'torch-export.auto-export';
const AUTO_EXPORTER = 'auto-export';

/** The trigger key of one automatic export: one job per roll-up and format, however often the event comes. */
export function rolledUpKey(rollupId: string, format: ExportFormat): string {
  return `rolledup:${rollupId}:${format}`;
}

/**
 * Exports a park's period when aggregation reports it rolled up, for the parks configured: by
 * AUTO_EXPORT_PARKS / AUTO_EXPORT_FORMATS, overridden per park over HTTP by the commission. The export's
 * cut-off is the roll-up's newest verdict, so the file reflects the verdicts the aggregate does.
 */
@Injectable()
export class AutoExportService {
  constructor(
    private readonly orm: MikroORM,
    private readonly exports: ExportsService,
    private readonly jobs: ExportJobRepository,
    private readonly settings: AutoExportSettingRepository,
    @Inject(TORCH_EXPORT_CONFIG) private readonly config: TorchExportConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(): Promise<{ parks: AutoExportSetting[] }> {
    const overrides = await this.overrides(this.orm.em.fork());
    return { parks: parks().map((park) => overrides.get(park.code) ?? this.fromEnvironment(park.code)) };
  }

  async get(parkCode: string): Promise<AutoExportSetting> {
    if (!parkOf(parkCode)) throw notFound('PARK.NOT_FOUND', `Park ${parkCode}`);
    return this.effective(this.orm.em.fork(), parkCode);
  }

  async update(parkCode: string, body: unknown, principal: Principal): Promise<AutoExportSetting> {
    if (!parkOf(parkCode)) throw notFound('PARK.NOT_FOUND', `Park ${parkCode}`);
    const raw = (body ?? {}) as { enabled?: unknown; formats?: unknown };
    const errors = [];
    if (typeof raw.enabled !== 'boolean') {
      errors.push({
        pointer: '/enabled',
        code: 'AUTO_EXPORT.ENABLED',
        messageZh: 'enabled 须为 true 或 false',
        messageEn: 'enabled must be true or false',
      });
    }
    const formats = raw.formats === undefined ? this.config.AUTO_EXPORT_FORMATS : raw.formats;
    if (
      !Array.isArray(formats) ||
      formats.length === 0 ||
      !formats.every((format) => (EXPORT_FORMATS as readonly unknown[]).includes(format))
    ) {
      errors.push({
        pointer: '/formats',
        code: 'AUTO_EXPORT.FORMATS',
        messageZh: `formats 须为非空数组，取值 ${EXPORT_FORMATS.join('、')}`,
        messageEn: `formats must be a non-empty array of ${EXPORT_FORMATS.join(', ')}`,
      });
    }
    if (errors.length > 0) throw validationProblem(errors);
    const unique = EXPORT_FORMATS.filter((format) => (formats as unknown[]).includes(format));
    await this.settings.save(this.orm.em.fork(), {
      parkCode,
      enabled: raw.enabled as boolean,
      formats: unique,
      updatedBy: principal.subject,
      updatedAt: this.clock.now(),
    });
    return this.get(parkCode);
  }

  /** Creates the exports of newly rolled-up parks, with the inbox claim in the same transaction; then queues them. */
  async onRolledUp(envelopes: readonly EventEnvelope<'aggregate.rolledup.v1'>[]): Promise<void> {
    const em = this.orm.em.fork();
    await em.transactional(async (tx) => {
      const fresh = await claimEvents(tx, INBOX_CONSUMER, envelopes, 'aggregate.rolledup.v1');
      for (const envelope of envelopes.filter((candidate) => fresh.has(candidate.id))) {
        const rollup = envelope.payload;
        const form = formVersionFor(rollup.formId, rollup.period);
        if (!form || !parkOf(rollup.parkCode)) {
          this.logger.warn(
            { rollupId: rollup.rollupId, parkCode: rollup.parkCode, formId: rollup.formId, period: rollup.period },
            'roll-up of an unknown park or period; not exported',
          );
          continue;
        }
        const setting = await this.effective(tx, rollup.parkCode);
        if (!setting.enabled) continue;
        const ageHours = (this.clock.now().getTime() - new Date(rollup.completedAt).getTime()) / 3_600_000;
        if (ageHours > this.config.AUTO_EXPORT_MAX_AGE_HOURS) {
          this.logger.info(
            { rollupId: rollup.rollupId, parkCode: rollup.parkCode, completedAt: rollup.completedAt },
            'roll-up too old for an automatic export (a replay?); skipped',
          );
          continue;
        }
        for (const format of setting.formats) {
          await this.exports.insert(tx, {
            formId: rollup.formId,
            formVersion: form.version,
            period: rollup.period,
            park: rollup.parkCode,
            format,
            requestedBy: AUTO_EXPORTER,
            trigger: 'rolledup',
            triggerKey: rolledUpKey(rollup.rollupId, format),
            triggerDetail: {
              rollupId: rollup.rollupId,
              rollupTrigger: rollup.trigger,
              rollupCutoff: rollup.cutoff,
              completedAt: rollup.completedAt,
              eventId: envelope.id,
            },
            cutoff: rollup.cutoff.lastVerdictAt
              ? { kind: 'validated-at', validatedAtLimit: new Date(rollup.cutoff.lastVerdictAt).toISOString() }
              : { kind: 'live' },
          });
        }
      }
    });
    // Also for events claimed before: queueing is outside the transaction and may have failed last time.
    const keys = envelopes.flatMap((envelope) =>
      EXPORT_FORMATS.map((format) => rolledUpKey(envelope.payload.rollupId, format)),
    );
    const unfinished = await this.jobs.unfinishedIds(this.orm.em.fork(), keys);
    await this.exports.enqueue(unfinished.map((id) => ({ id, state: 'queued' as const })));
  }

  private async effective(em: EntityManager, parkCode: string): Promise<AutoExportSetting> {
    return (await this.overrides(em, parkCode)).get(parkCode) ?? this.fromEnvironment(parkCode);
  }

  private fromEnvironment(parkCode: string): AutoExportSetting {
    return {
      park: parkCode,
      enabled: this.config.AUTO_EXPORT_PARKS.includes(parkCode),
      formats: this.config.AUTO_EXPORT_FORMATS,
      source: 'environment',
    };
  }

  private async overrides(em: EntityManager, parkCode?: string): Promise<Map<string, AutoExportSetting>> {
    const rows = await this.settings.find(em, parkCode);
    return new Map(
      rows.map((row) => [
        row.park_code,
        {
          park: row.park_code,
          enabled: row.enabled,
          formats: row.formats,
          source: 'api' as const,
          updatedBy: row.updated_by,
          updatedAt: row.updated_at,
        },
      ]),
    );
  }
}
