import 'reflect-metadata';
import { createLogger, loadConfig } from '@huoju/platform';
import { aggregationConfigSchema } from '../aggregation.config';
import { rebuildAggregates } from './rebuild';

/** `npm run rebuild:aggregates`: replay the log into an empty schema and compare with the live figures. */
async function main(): Promise<void> {
  const config = loadConfig('aggregation-rebuild', aggregationConfigSchema);
  const logger = createLogger('aggregation-rebuild', config.LOG_LEVEL);
  const report = await rebuildAggregates(config, logger, { keep: process.argv.includes('--keep') });
  console.log(
    `Rebuilt ${report.rebuiltSchema} from the Kafka log in ${report.seconds.toFixed(1)} s (consumer group ${report.consumerGroup}).`,
  );
  console.log('table          rows   only live   only rebuilt');
  for (const [table, d] of Object.entries(report.differences)) {
    console.log(
      `${table.padEnd(14)} ${String(d.rows).padStart(6)} ${String(d.onlyLive).padStart(11)} ${String(d.onlyRebuilt).padStart(14)}`,
    );
  }
  console.log(
    report.identical ? 'Identical: the log rebuilds exactly the live aggregates.' : 'DIFFERENT: see the rows above.',
  );
  process.exit(report.identical ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(2);
});
