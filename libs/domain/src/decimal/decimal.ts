/**
 * Exact decimal arithmetic for statistical values (千元, 人, 件 …).
 * A value is held as a bigint count of 10^-SCALE units, so sums over any number of filings are exact;
 * binary floats never touch a reported figure.
 */
export const DECIMAL_SCALE = 6;
const FACTOR = 10n ** BigInt(DECIMAL_SCALE);
const DECIMAL_PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** A scaled integer: the decimal value times 10^DECIMAL_SCALE. */
export type Scaled = bigint;

export class DecimalFormatError extends Error {
  constructor(readonly input: string) {
    super(`not a decimal number: ${JSON.stringify(input)}`);
  }
}

/** Whether the text is a plain decimal (optional sign, digits, optional fraction; no exponent, no spaces). */
export function isDecimalText(text: string): boolean {
  return DECIMAL_PATTERN.test(text);
}

/** Number of digits after the decimal point as written ("12.50" → 2). */
export function fractionDigits(text: string): number {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) throw new DecimalFormatError(text);
  return match[3]?.length ?? 0;
}

export function parseDecimal(text: string): Scaled {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) throw new DecimalFormatError(text);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > DECIMAL_SCALE) throw new DecimalFormatError(text);
  const units = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(DECIMAL_SCALE, '0'));
  return sign === '-' ? -units : units;
}

/** Canonical text: no exponent, no trailing zeros in the fraction, "0" for zero. */
export function formatDecimal(value: Scaled): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / FACTOR;
  const fraction = (abs % FACTOR).toString().padStart(DECIMAL_SCALE, '0').replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole.toString();
  return negative ? `-${text}` : text;
}

/** Canonical form of a decimal string, e.g. "0012.500" → "12.5". */
export function normalizeDecimal(text: string): string {
  return formatDecimal(parseDecimal(text));
}

export function fromInteger(value: number | bigint): Scaled {
  return BigInt(value) * FACTOR;
}

export function sum(values: Iterable<Scaled>): Scaled {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

/** a × b, exact at DECIMAL_SCALE (rounded half away from zero beyond it). */
export function multiply(a: Scaled, b: Scaled): Scaled {
  return divideRounded(a * b, FACTOR);
}

/** a ÷ b rounded half away from zero to `places` decimals; null when b is zero. */
export function divide(a: Scaled, b: Scaled, places = DECIMAL_SCALE): Scaled | null {
  if (b === 0n) return null;
  const keep = 10n ** BigInt(places);
  const quotient = divideRounded(a * keep, b);
  return quotient * (FACTOR / keep);
}

/** (a ÷ b) × 100, i.e. a percentage, rounded to `places` decimals; null when b is zero. */
export function percent(a: Scaled, b: Scaled, places = 4): Scaled | null {
  return divide(a * 100n, b, places);
}

/**
 * Compares (numerator ÷ denominator × 100) with a percentage exactly, without rounding the ratio first:
 * a bound of 100% must catch 100.001%.
 */
export function comparePercent(numerator: Scaled, denominator: Scaled, limitPercent: Scaled): -1 | 0 | 1 {
  if (denominator === 0n) throw new RangeError('percentage of zero');
  const sign = denominator < 0n ? -1n : 1n;
  return compare(numerator * 100n * FACTOR * sign, limitPercent * denominator * sign);
}

/** Rounds to `places` decimals, half away from zero. */
export function round(value: Scaled, places: number): Scaled {
  const step = 10n ** BigInt(DECIMAL_SCALE - places);
  return divideRounded(value, step) * step;
}

export function isInteger(value: Scaled): boolean {
  return value % FACTOR === 0n;
}

export function abs(value: Scaled): Scaled {
  return value < 0n ? -value : value;
}

export function compare(a: Scaled, b: Scaled): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n + d / 2n) / d;
  return negative ? -quotient : quotient;
}
