import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { FORM_ID_PATTERN } from '@huoju/contracts/http';
import {
  findFormVersion,
  isFormId,
  registerFormVersion,
  registerRuleSet,
  type FormVersion,
  type RuleSet,
} from '@huoju/domain';

const code = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);
const formIdText = z.string().regex(FORM_ID_PATTERN, 'lower-case letters, digits and hyphens');

const indicatorSchema = z.object({
  code,
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  unit: z.enum(['千元', '人', '件', '家', '吨标准煤']),
  kind: z.enum(['flow', 'count', 'stock', 'average']),
  signed: z.boolean(),
  decimals: z.number().int().min(0).max(6),
  required: z.boolean(),
  parent: code.optional(),
  sumOf: z.array(code).optional(),
  section: z.string().optional(),
});

/** The shape of a form version file; the built-in files in libs/domain/src/catalog/data are the examples. */
export const formVersionFileSchema = z.object({
  formId: formIdText,
  version: z.string().min(1),
  titleZh: z.string().min(1),
  titleEn: z.string().min(1),
  shortTitleZh: z.string().min(1),
  shortTitleEn: z.string().min(1),
  defaultScope: z.boolean(),
  references: z.object({
    previousInYear: z.boolean(),
    otherForm: z
      .object({
        formId: formIdText,
        period: z.enum(['year', 'december']),
        onlyMonth: z.number().int().min(1).max(12).optional(),
        labelZh: z.string().min(1),
        labelEn: z.string().min(1),
      })
      .optional(),
  }),
  sdmxDataflow: z.object({ agency: z.string().min(1), id: z.string().min(1), version: z.string().min(1) }),
  periodType: z.enum(['month', 'year']),
  validFrom: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/),
  validTo: z
    .string()
    .regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/)
    .optional(),
  schedule: z.object({
    dueDay: z.number().int().min(1).max(31),
    dueMonthsAfterPeriodEnd: z.number().int().min(0).max(12),
    graceDays: z.number().int().min(0),
    lockDaysAfterDue: z.number().int().min(0),
    locksOnNextYear: z
      .string()
      .regex(/^\d{2}-\d{2}$/)
      .optional(),
    remindDaysBefore: z.number().int().min(0),
  }),
  ruleSetVersion: z.string().min(1),
  source: z.string().min(1),
  indicators: z.array(indicatorSchema).min(1),
});

/** A rule set file: the rules themselves are checked by the rule engine's types and tests, not re-declared here. */
export const ruleSetFileSchema = z.object({
  formId: formIdText,
  formVersion: z.string().min(1),
  version: z.string().min(1),
  rules: z.array(z.looseObject({ code: z.string().min(1), severity: z.enum(['error', 'warning', 'info']) })),
});

export interface LoadedForms {
  readonly forms: readonly string[];
  readonly ruleSets: readonly string[];
}

/**
 * Adds the form versions and rule sets in a directory to the catalog — how an operator (or a test) adds a
 * form without a code change. Every `*.json` file is a form version, or a rule set when it has `rules`.
 * Called once at start, before the service reads a form; throws, naming the file, on anything invalid, so
 * a bad catalog stops the service instead of half-loading.
 */
export function loadFormCatalogDirectory(directory: string): LoadedForms {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const forms: FormVersion[] = [];
  const ruleSets: RuleSet[] = [];
  for (const name of files) {
    const json: unknown = JSON.parse(readFileSync(join(directory, name), 'utf8'));
    const isRuleSet = typeof json === 'object' && json !== null && 'rules' in json;
    const parsed = (isRuleSet ? ruleSetFileSchema : formVersionFileSchema).safeParse(json);
    if (!parsed.success) throw new Error(`form catalog file ${name}: ${z.prettifyError(parsed.error)}`);
    if (isRuleSet) ruleSets.push(parsed.data as unknown as RuleSet);
    else forms.push(parsed.data as FormVersion);
  }
  // Everything is checked before anything is added, so a bad directory leaves the catalog as it was.
  const knownForm = (formId: string) => isFormId(formId) || forms.some((form) => form.formId === formId);
  for (const form of forms) {
    const name = `${form.formId} ${form.version}`;
    if (findFormVersion(form.formId, form.version)) throw new Error(`form ${name} is known already`);
    if (!ruleSets.some((set) => set.formId === form.formId && set.version === form.ruleSetVersion))
      throw new Error(`no rule set ${form.ruleSetVersion} for ${name}`);
    const other = form.references.otherForm?.formId;
    if (other !== undefined && !knownForm(other)) throw new Error(`form ${name} reads unknown form ${other}`);
  }
  for (const ruleSet of ruleSets) registerRuleSet(ruleSet);
  for (const form of forms) registerFormVersion(form);
  return {
    forms: forms.map((form) => `${form.formId} ${form.version}`),
    ruleSets: ruleSets.map((set) => `${set.formId} ${set.version}`),
  };
}

/** Extends the catalog from FORM_CATALOG_EXTRA_DIR, when set; each service's main calls it before starting. */
export function loadConfiguredForms(config: { readonly FORM_CATALOG_EXTRA_DIR?: string }, logger: Logger): void {
  if (!config.FORM_CATALOG_EXTRA_DIR) return;
  const loaded = loadFormCatalogDirectory(config.FORM_CATALOG_EXTRA_DIR);
  logger.info({ directory: config.FORM_CATALOG_EXTRA_DIR, ...loaded }, 'form catalog extended');
}
