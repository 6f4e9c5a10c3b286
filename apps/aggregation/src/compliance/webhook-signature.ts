import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers every webhook delivery carries. Receivers check the signature and drop repeated delivery ids. */
export const WEBHOOK_HEADERS = {
  signature: 'x-huoju-signature',
  delivery: 'x-huoju-delivery',
  event: 'x-huoju-event',
  attempt: 'x-huoju-attempt',
} as const;

/** HMAC-SHA256 of the exact body bytes with the target's secret, as "sha256=<hex>" (the GitHub convention). */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
