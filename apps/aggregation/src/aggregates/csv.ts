/** RFC 4180 CSV with a UTF-8 BOM, so that Excel opens Chinese text correctly. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null)[])[],
): string {
  const line = (cells: readonly (string | number | boolean | null)[]) => cells.map(quote).join(',');
  return `\uFEFF${[line(header), ...rows.map(line)].join('\r\n')}\r\n`;
}

function quote(cell: string | number | boolean | null): string {
  const text = cell === null ? '' : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
