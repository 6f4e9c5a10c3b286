import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'street-team-secret-0001';
  const at = new Date('2026-11-16T01:00:00.000Z');
  const t = at.getTime() / 1000;

  it('signs "<timestamp>.<body>" with HMAC-SHA256', () => {
    const body = JSON.stringify({ uscc: '91310000MA1FL0000X', nameZh: '上海甲公司' });
    expect(signBody(secret, body, at)).toBe(
      `t=${t},v1=${createHmac('sha256', secret)
        .update(Buffer.from(`${t}.${body}`, 'utf8'))
        .digest('hex')}`,
    );
    expect(verifySignature(secret, body, signBody(secret, body, at), at)).toBe(true);
  });

  it('refuses a changed body, another secret, no header, a changed timestamp and a replay after the window', () => {
    const body = '{"a":1}';
    const header = signBody(secret, body, at);
    expect(verifySignature(secret, '{"a":2}', header, at)).toBe(false);
    expect(verifySignature('another-secret-000000', body, header, at)).toBe(false);
    expect(verifySignature(secret, body, undefined, at)).toBe(false);
    expect(verifySignature(secret, body, header.replace(`t=${t}`, `t=${t + 1}`), at)).toBe(false);
    expect(verifySignature(secret, body, header, new Date(at.getTime() + 299_000))).toBe(true);
    expect(verifySignature(secret, body, header, new Date(at.getTime() + 301_000))).toBe(false);
  });
});
