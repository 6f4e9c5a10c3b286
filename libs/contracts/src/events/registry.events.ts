import { z } from 'zod';
import { formIdSchema, isoDateText, usccText } from './common.schema';

const validity = { validFrom: isoDateText, validTo: isoDateText.nullable() };

/**
 * The full current state of one enterprise in the roster, with every validity period.
 * Published on a compacted topic keyed by USCC: the latest message per key is the enterprise.
 * validTo is inclusive; null means open-ended.
 */
export const enterpriseChangedV1 = z.object({
  uscc: usccText,
  /** Increases with every change of this enterprise; consumers ignore anything not newer than what they hold. */
  registryVersion: z.number().int().positive(),
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
  scope: z.array(z.object({ formId: formIdSchema, ...validity })),
  changedAt: z.string(),
});
