/**
 * The time a submission is received at. Normally the clock's. The demo loader (`npm start`, the browser tests)
 * fills past months as enterprises would have — most before the due date — so in development only, with
 * DEMO_BACKDATING=on (refused in production), a `demo-received-at` header in the past stands for the receipt time.
 */
export function receiptTime(now: Date, requested: string | undefined, backdating: 'on' | 'off'): Date {
  if (backdating !== 'on' || requested === undefined) return now;
  const at = new Date(requested);
  return Number.isNaN(at.getTime()) || at > now ? now : at;
}
