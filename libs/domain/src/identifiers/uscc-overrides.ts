import overridesJson from './uscc-overrides.json';

export interface UsccOverrideEntry {
  code: string;
  nameZh: string;
  /** What GB 32100 would expect as the 18th character. */
  computedCheck: string;
}

interface UsccOverrideFile {
  note: string;
  codes: UsccOverrideEntry[];
}

const file = overridesJson as UsccOverrideFile;
const codes: ReadonlySet<string> = new Set(file.codes.map((entry) => entry.code.trim().toUpperCase()));

/** Legal pilot-era USCCs that fail the checksum; validateUscc always accepts them. */
export function defaultUsccOverrides(): ReadonlySet<string> {
  return codes;
}

export function usccOverrideEntries(): readonly UsccOverrideEntry[] {
  return file.codes;
}
