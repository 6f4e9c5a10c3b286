/** One line of the report: a pipeline figure beside the raw limit it is measured against. */
export interface Comparison {
  readonly stage: string;
  readonly measured: string;
  readonly limit: string;
  readonly ratio: number | null;
  readonly target: string;
  readonly met: boolean | null;
}

export function ratioLine(
  stage: string,
  measured: number,
  unit: string,
  limit: number,
  limitLabel: string,
  target: { op: '>=' | '<='; value: number },
): Comparison {
  const ratio = limit > 0 ? measured / limit : null;
  return {
    stage,
    measured: `${round(measured)} ${unit}`,
    limit: `${round(limit)} ${unit} (${limitLabel})`,
    ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000,
    target: `${target.op} ${target.value}`,
    met: ratio === null ? null : target.op === '>=' ? ratio >= target.value : ratio <= target.value,
  };
}

export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | null | boolean)[])[],
): string {
  const cell = (value: string | number | null | boolean) =>
    value === null ? '—' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function round(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits);
}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
