import { z } from 'zod';
import { checkedByService, formIdDoc, pageQuery, safeText } from './common.http';

const form = formIdDoc('The form');
const period = checkedByService(7, {
  description: 'The period',
  pattern: /^\d{4}(-(0[1-9]|1[0-2]))?$/,
  example: '2026-09',
});
const scopeFilters = {
  street: checkedByService(9, { description: 'A street/town code (not with park)', example: '310115137' }).optional(),
  park: checkedByService(32, { description: 'A park code (not with street)', example: 'CORE' }).optional(),
};

const CHASED = ['overdue', 'not-filed', 'needs-explanation', 'rejected', 'filed-late'] as const;

export const complianceQuery = z.strictObject({
  form: form.optional(),
  period,
  ...scopeFilters,
  status: z.enum(CHASED).optional().meta({ description: 'Only work-queue rows of this status' }),
  q: safeText(64).optional().meta({ description: 'Name contains, or USCC starts with (case-insensitive)' }),
  ...pageQuery,
  format: z
    .enum(['json', 'csv', 'xlsx'])
    .optional()
    .meta({ description: 'csv or xlsx downloads the whole work queue (filtered, never paged)' }),
});

export const complianceTrendQuery = z.strictObject({
  form: form.optional(),
  ...scopeFilters,
  periods: checkedByService(3, { description: 'How many periods (default 12)', pattern: /^\d{1,3}$/ }).optional(),
  to: period.optional().meta({ description: 'The last period (default: the latest due)' }),
  format: z.enum(['json', 'csv', 'xlsx']).optional(),
});

export const evaluationQuery = z.strictObject({ form: form.optional(), period });

const STATUS = ['overdue', 'not-filed', 'needs-explanation', 'rejected', 'filed-late', 'filed-on-time'] as const;
const counts = z.object(
  Object.fromEntries(STATUS.map((status) => [status, z.int()])) as Record<(typeof STATUS)[number], z.ZodInt>,
);
const rates = {
  expected: z.int(),
  filed: z.int(),
  filedOnTime: z.int(),
  filingRate: z.string().nullable().meta({ description: 'Percent with 2 decimals' }),
  onTimeRate: z.string().nullable(),
};
const reminderKind = z.enum(['due-soon', 'overdue', 'late-received']);
const lastReminder = z
  .object({
    kind: reminderKind,
    sentAt: z.string(),
    deliveries: z.array(
      z.object({
        targetKind: z.enum(['street', 'park']),
        targetCode: z.string(),
        state: z.enum(['pending', 'delivered', 'failed']),
        attempts: z.int(),
        deliveredAt: z.string().nullable(),
        lastError: z.string().nullable(),
      }),
    ),
  })
  .nullable()
  .meta({
    description:
      'The newest reminder of the period and its webhook deliveries (empty: no webhook set); null: none sent',
  });
const rank = z.object({
  among: z.enum(['park-streets', 'zone-streets', 'zone-parks']),
  parkCode: z.string().nullable(),
  position: z.int().meta({ description: '1 = best filing rate (then on-time rate); equal rates share a place' }),
  of: z.int(),
});

const scope = z.object({
  kind: z.enum(['zone', 'street', 'park']),
  codes: z.array(z.string()),
  namesZh: z.array(z.string().nullable()),
});

export const complianceViewSchema = z
  .object({
    formId: z.string(),
    period: z.string(),
    asOf: z.string(),
    scope,
    calendar: z.object({
      opensOn: z.string(),
      remindOn: z.string(),
      dueOn: z.string(),
      graceEndsOn: z.string(),
      locksOn: z.string(),
      dueAt: z.string(),
      graceEndsAt: z.string(),
      locksAt: z.string(),
    }),
    counts,
    ...rates,
    page: z.int(),
    pageSize: z.int(),
    queueTotal: z.int().meta({ description: 'Work-queue rows matching status and q, across all pages' }),
    queue: z.array(
      z.object({
        status: z.enum(STATUS),
        statusZh: z.string(),
        uscc: z.string(),
        nameZh: z.string(),
        industryCode: z.string(),
        industryNameZh: z.string().nullable(),
        contact: z.object({ name: z.string(), phone: z.string(), email: z.string() }),
        parkCode: z.string(),
        parkNameZh: z.string().nullable(),
        subParkCode: z.string(),
        carrierCode: z.string().nullable(),
        streetCode: z.string(),
        streetNameZh: z.string().nullable(),
        latestOutcome: z.string().nullable(),
        firstReceivedAt: z.string().nullable(),
        acceptedReceivedAt: z.string().nullable(),
        daysLate: z.int().nullable(),
        dueOn: z.string(),
        graceEndsOn: z.string(),
        locksOn: z.string(),
        lastReminder,
      }),
    ),
  })
  .meta({ id: 'ComplianceView' });

export const complianceTrendSchema = z
  .object({
    formId: z.string(),
    asOf: z.string(),
    scope,
    points: z.array(
      z.object({
        period: z.string(),
        dueOn: z.string(),
        graceEndsOn: z.string(),
        locksOn: z.string(),
        counts,
        ...rates,
      }),
    ),
    ranks: z.array(rank).meta({
      description: "The last period's rank of the one street (in its parks, in the zone) or park (among parks)",
    }),
  })
  .meta({ id: 'ComplianceTrend' });

const evaluatedUnit = z.object({
  code: z.string(),
  nameZh: z.string().nullable(),
  parkCode: z.string(),
  ...rates,
  below: z.boolean(),
  consecutivePeriodsBelow: z.int(),
  notice: z.enum(['first-notice', 'second-notice']).nullable(),
});

export const evaluationSchema = z
  .object({
    formId: z.string(),
    period: z.string(),
    threshold: z.string(),
    recorded: z.boolean(),
    evaluatedAt: z.string().nullable(),
    dueOn: z.string(),
    graceEndsOn: z.string(),
    locksOn: z.string(),
    parks: z.array(evaluatedUnit),
    carriers: z.array(evaluatedUnit),
  })
  .meta({ id: 'ParkEvaluation' });

export const webhookParams = z.strictObject({
  kind: z.enum(['street', 'park']),
  code: checkedByService(32, { description: 'The street/town or park code', example: '310115137' }),
});

export const webhookBody = z
  .object({
    url: safeText(2048).meta({
      description: 'https URL of a public host (private, loopback and link-local addresses are refused)',
      examples: ['https://hooks.example.org/huoju'],
    }),
    secret: safeText(256).meta({ description: '16–256 characters; signs every delivery (HMAC-SHA256)' }),
  })
  .meta({ id: 'WebhookInput' });

export const webhookSchema = z
  .object({
    kind: z.enum(['street', 'park']),
    code: z.string(),
    url: z.string(),
    updatedBy: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Webhook' });

export const deliveriesQuery = z.strictObject({
  limit: checkedByService(4, {
    description: 'Newest first, at most 1000 (default 100)',
    pattern: /^\d{1,4}$/,
  }).optional(),
});

export const deliveriesSchema = z
  .object({
    kind: z.enum(['street', 'park']),
    code: z.string(),
    deliveries: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        topic: z.string().nullable(),
        eventId: z.string().nullable(),
        uscc: z.string(),
        nameZh: z.string(),
        formId: z.string(),
        period: z.string(),
        state: z.string(),
        attempts: z.array(
          z.object({
            attempt: z.int(),
            url: z.string(),
            at: z.string(),
            statusCode: z.int().nullable(),
            error: z.string().nullable().meta({ description: 'A coarse reason code, never the network detail' }),
          }),
        ),
        lastError: z.string().nullable(),
        createdAt: z.string(),
        deliveredAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'WebhookDeliveries' });
