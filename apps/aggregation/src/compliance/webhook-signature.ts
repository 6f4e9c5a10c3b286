import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers every webhook delivery carries. Receivers check the signature and drop repeated delivery ids. */
export const WEBHOOK_HEADERS = {
  signature: 'x-huoju-signature',
  delivery: 'x-huoju-delivery',
  event: 'x-huoju-event',
  attempt: 'x-huoju-attempt',
} as const;

/** How far a receiver accepts the signed timestamp from its own clock; older requests are replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * `x-huoju-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<exact body bytes>">` with the target's
 * secret (the Stripe convention). The timestamp is signed too, so a captured request cannot be replayed
 * after the tolerance window.
 */
export function signBody(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, `${t}.${body}`)}`;
}

export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  now: Date,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, `${t}.${body}`));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function hmac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}
