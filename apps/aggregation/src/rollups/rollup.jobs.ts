import type { RollupTrigger } from './rollup.service';

/** The roll-up queue and its jobs: each job's name is linked to its data here, once. */
export const ROLLUP_QUEUE = 'rollup';

export enum RollupJob {
  /** Roll up one park's period (the RollupMonth; the annual form uses it too). */
  RollupMonth = 'RollupMonth',
  /** Daily, after midnight in Shanghai: roll up as final every period whose grace period has ended. */
  ClosePeriods = 'ClosePeriods',
}

export interface RollupJobData {
  [RollupJob.RollupMonth]: { parkCode: string; formId: string; period: string; trigger: RollupTrigger };
  [RollupJob.ClosePeriods]: Record<string, never>;
}

export type JobOf<T extends RollupJob> = RollupJobData[T];
