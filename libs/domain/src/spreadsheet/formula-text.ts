/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one, or their
 * full-width forms, which Excel also accepts) as a formula: `=HYPERLINK(…)` or `-2+3+cmd|' /C calc'!A0` in an
 * enterprise name would go live in whoever opens the export. Such text gets a leading apostrophe (OWASP's
 * advice; Excel hides it and shows the text). A plain decimal such as "-20" is a number, not a formula, and
 * stays as it is.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_DECIMAL.test(text) ? `'${text}` : text;
}

/** True when a spreadsheet would read the text as a formula (what neutralizeFormula defuses). */
export function isFormulaText(text: string): boolean {
  return FORMULA_START.test(text) && !PLAIN_DECIMAL.test(text);
}
