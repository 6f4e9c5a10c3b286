import { createHash } from 'node:crypto';
import type { GeneratedEnterprise } from './roster.generator';

/**
 * Plausible year-to-date figures for a generated enterprise and month, deterministic per enterprise:
 * revenue sized by a hash of the USCC, R&D a few percent of it, output only for industrial firms.
 * A small share carries a problem the rule engine warns about (R&D above revenue).
 */
export function demoValues(
  enterprise: GeneratedEnterprise,
  month: number,
  options: { warn?: boolean } = {},
): Record<string, string> {
  const seed = createHash('sha256').update(enterprise.uscc).digest();
  const monthlyRevenue = 500 + (seed.readUInt32BE(0) % 60_000); // 千元 a month: 0.5–60 million yuan
  const revenue = monthlyRevenue * month + (seed[4]! % 1000) / 1000;
  const rdShare = 2 + (seed[5]! % 12); // 2–13 %
  const employees = 10 + (seed.readUInt16BE(6) % 800);
  const patents = Math.floor(((seed[8]! % 6) * month) / 3);
  const invention = Math.floor(patents / 2);
  const pct = seed[9]! % 4 === 0 ? Math.min(invention, Math.floor(month / 4)) : 0;
  const industrial = /^[BCD]/.test(enterprise.industryCode);
  const values: Record<string, string> = {
    qc05_0: revenue.toFixed(3),
    qc55: (revenue * 0.9).toFixed(3),
    qc06: (revenue * 0.05).toFixed(3),
    qc12: ((revenue * ((seed[10]! % 30) - 8)) / 100).toFixed(3),
    qc13: (revenue * 0.06).toFixed(3),
    qc11: (revenue * ((seed[11]! % 20) / 100)).toFixed(3),
    qd01: String(employees),
    qj20: ((revenue * rdShare) / 100).toFixed(3),
    qj55: String(patents),
    qj56: String(invention),
    qj55_2: String(pct),
  };
  if (industrial) values.qc02 = (revenue * 1.1).toFixed(3);
  if (options.warn) values.qj20 = (revenue * 1.2).toFixed(3);
  return values;
}
