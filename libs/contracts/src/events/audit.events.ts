import { z } from 'zod';
import { REMOTE_AUDIT_ACTIONS } from '../http/auth.http';
import { instantText } from './common.schema';

/**
 * Something a person or machine client did at aggregation or torch-export, for the audit log intake
 * keeps (one home for the log; no service writes another's schema). Key: the actor. Intake stores each
 * event once, by its envelope id.
 */
export const auditRecordedV1 = z.object({
  /** The service that saw it happen. */
  service: z.string().min(1).max(32),
  actor: z.string().min(1).max(200),
  role: z.string().min(1).max(32),
  action: z.enum(REMOTE_AUDIT_ACTIONS),
  target: z.string().max(200),
  /** The client address as the service's proxy trust (TRUST_PROXY) sees it. */
  ip: z.string().max(64),
  at: instantText,
  details: z.record(z.string(), z.unknown()),
});
