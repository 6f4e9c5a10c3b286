import { benchExport } from './export-writers';
import type { ExportFormat } from '@huoju/torch-files';

/** `node dist/bench/src/export-writers.main.js <rows> <format>`: one writer run, JSON on stdout. */
async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 25_000);
  const format = (process.argv[3] ?? 'xlsx') as ExportFormat;
  const result = await benchExport({ rows, format });
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
