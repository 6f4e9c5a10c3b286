import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'street-team-secret-0001';

  it('signs the exact body bytes with HMAC-SHA256', () => {
    const body = JSON.stringify({ uscc: '91310000MA1FL0000X', nameZh: '上海甲公司' });
    expect(signBody(secret, body)).toBe(
      `sha256=${createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex')}`,
    );
    expect(verifySignature(secret, body, signBody(secret, body))).toBe(true);
  });

  it('refuses a changed body, another secret or no header', () => {
    const body = '{"a":1}';
    expect(verifySignature(secret, '{"a":2}', signBody(secret, body))).toBe(false);
    expect(verifySignature('another-secret-000000', body, signBody(secret, body))).toBe(false);
    expect(verifySignature(secret, body, undefined)).toBe(false);
  });
});
