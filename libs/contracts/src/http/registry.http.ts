import { z } from 'zod';
import { checkedByService, isoDate, pageQuery, safeText, usccParam } from './common.http';

/** Longest enterprise name, contact fields and codes (characters): caps checked before any pattern. */
export const NAME_MAX = 100;
export const CONTACT_NAME_MAX = 50;
export const PHONE_MAX = 20;
export const EMAIL_MAX = 254;

const code = (description: string, example?: string) =>
  checkedByService(64, { description, ...(example ? { example } : {}) });
const date = (description: string) =>
  checkedByService(10, { description, pattern: /^\d{4}-\d{2}-\d{2}$/, example: '2026-07-01' });

export const contactSchema = z
  .object({
    name: safeText(CONTACT_NAME_MAX).meta({ description: 'The statistics contact person (统计联系人)' }),
    phone: safeText(PHONE_MAX).meta({ description: 'Digits, spaces, + - ( )', examples: ['021-5080 1234'] }),
    email: safeText(EMAIL_MAX).meta({ examples: ['tongji@example.com'] }),
  })
  .meta({ id: 'Contact' });

const validity = { validFrom: z.string(), validTo: z.string().nullable() };

export const enterpriseStateSchema = z
  .object({
    uscc: z.string(),
    registryVersion: z.int(),
    nameZh: z.string(),
    industryCode: z.string(),
    registeredDistrict: z.string(),
    contact: z.object({ name: z.string(), phone: z.string(), email: z.string() }),
    memberships: z.array(
      z.object({ parkCode: z.string(), subParkCode: z.string(), carrierCode: z.string().nullable(), ...validity }),
    ),
    streets: z.array(z.object({ streetCode: z.string(), ...validity })),
    qualifications: z.array(z.object({ tag: z.string(), certificateNo: z.string().nullable(), ...validity })),
    industryTags: z.array(z.string()),
    scope: z.array(z.object({ formId: z.string(), ...validity })),
  })
  .meta({ id: 'Enterprise' });

const fieldErrorList = z.array(
  z.object({ pointer: z.string(), code: z.string(), messageZh: z.string(), messageEn: z.string() }),
);

export const enterpriseBody = z
  .object({
    uscc: checkedByService(18, {
      description: 'USCC (统一社会信用代码), check digit verified',
      example: '91310115MA1K4LXX0X',
    }),
    nameZh: safeText(NAME_MAX).meta({ description: 'Registered name, 2 to 100 characters' }),
    industryCode: code('GB/T 4754-2017 class, e.g. I6513 or 6513', 'I6513'),
    registeredDistrict: checkedByService(6, {
      description: 'GB/T 2260 district',
      pattern: /^\d{6}$/,
      example: '310115',
    }),
    contact: contactSchema,
    parkCode: code('Park code', 'CORE'),
    subParkCode: code('Sub-park code of that park', 'CORE-ZJ'),
    carrierCode: code('Carrier (载体) of that park').nullable().optional(),
    streetCode: code('9-digit street/town code', '310115137'),
    validFrom: date('When the membership and street begin'),
    qualifications: z
      .array(
        z.object({
          tag: code('Qualification tag', 'HNTE'),
          validFrom: date('From'),
          validTo: date('To (inclusive)').nullable().optional(),
          certificateNo: safeText(64).nullable().optional(),
        }),
      )
      .max(50)
      .optional(),
    industryTags: z.array(code('Industry tag', 'IC')).max(50).optional(),
    scope: z
      .array(
        z.object({
          formId: code('Form id', 'torch-monthly'),
          validFrom: date('From'),
          validTo: date('To (inclusive)').nullable().optional(),
        }),
      )
      .max(10)
      .optional(),
  })
  .meta({ id: 'EnterpriseInput' });

export const enterprisePatchBody = z
  .strictObject({
    nameZh: safeText(NAME_MAX).optional(),
    industryCode: code('GB/T 4754-2017 class').optional(),
    contact: contactSchema.optional(),
    industryTags: z.array(code('Industry tag')).max(50).optional(),
  })
  .meta({ id: 'EnterprisePatch', description: 'Only the fields to change' });

export const moveBody = z
  .object({
    parkCode: code('The new park', 'PT'),
    subParkCode: code('Its sub-park'),
    carrierCode: code('Its carrier').nullable().optional(),
    validFrom: date('First day in the new park'),
  })
  .meta({ id: 'MembershipMove' });

export const closeMembershipBody = z.object({ validTo: date('Last day (inclusive)') }).meta({ id: 'MembershipClose' });
export const streetBody = z
  .object({ streetCode: code('9-digit street/town code'), validFrom: date('From') })
  .meta({ id: 'StreetChange' });
export const qualificationBody = z
  .object({
    tag: code('Qualification tag', 'HNTE'),
    validFrom: date('From'),
    validTo: date('To (inclusive)').nullable().optional(),
    certificateNo: safeText(64).nullable().optional(),
  })
  .meta({ id: 'QualificationInput' });
export const scopeBody = z
  .object({ formId: code('Form id', 'torch-monthly'), validFrom: date('From') })
  .meta({ id: 'ScopeInput' });
export const closeScopeBody = z
  .object({ formId: code('Form id', 'torch-monthly'), validTo: date('Last day (inclusive)') })
  .meta({ id: 'ScopeClose' });

export const enterpriseParams = z.strictObject({ uscc: usccParam });

export const rosterQuery = z.strictObject({
  park: code('Park code').optional(),
  subPark: code('Sub-park code').optional(),
  street: code('Street/town code').optional(),
  tag: code('Industry or qualification tag').optional(),
  industry: code('Industry code prefix').optional(),
  form: code('In scope of this form').optional(),
  q: safeText(NAME_MAX).optional().meta({ description: 'Name contains, or USCC starts with' }),
  on: isoDate.optional().meta({ description: 'As of this date (default: today, Asia/Shanghai)' }),
  ...pageQuery,
});

export const rosterPageSchema = z
  .object({
    on: z.string(),
    page: z.int(),
    pageSize: z.int(),
    total: z.int(),
    items: z.array(enterpriseStateSchema),
  })
  .meta({ id: 'RosterPage' });

export const createdEnterpriseSchema = z
  .object({ enterprise: enterpriseStateSchema, warnings: fieldErrorList })
  .meta({ id: 'EnterpriseCreated' });

export const enterpriseHistorySchema = z
  .array(
    z.object({
      registryVersion: z.int(),
      change: z.string(),
      changedBy: z.string(),
      changedAt: z.string(),
      state: enterpriseStateSchema,
    }),
  )
  .meta({ id: 'EnterpriseHistory' });

export const ROSTER_FILE_MEDIA_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

export const rosterImportQuery = z.strictObject({
  dryRun: z.enum(['true', 'false', '1', '0']).optional().meta({ description: 'Check and report, store nothing' }),
});
export const rosterTemplateQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).optional() });

export const importIssueSchema = z
  .object({
    pointer: z.string(),
    row: z.int().meta({ description: 'The file row, counting the header as 1' }),
    column: z.string(),
    code: z.string(),
    messageZh: z.string(),
    messageEn: z.string(),
    value: z.string().optional().meta({ description: 'The cell, when it helps to see it' }),
    item: z.int().optional().meta({ description: 'Which item of a list cell, from 1' }),
    remedyZh: z.string().optional(),
    remedyEn: z.string().optional(),
  })
  .meta({ id: 'ImportIssue' });

export const rosterImportResultSchema = z
  .object({
    dryRun: z.boolean(),
    rows: z.int(),
    created: z.int(),
    updated: z.int(),
    unchanged: z.int(),
    errors: z.literal(0),
    updates: z.array(z.object({ row: z.int(), uscc: z.string(), changes: z.array(z.string()) })),
    warnings: z.array(importIssueSchema),
  })
  .meta({ id: 'RosterImportResult' });

export type EnterpriseState = z.infer<typeof enterpriseStateSchema>;
