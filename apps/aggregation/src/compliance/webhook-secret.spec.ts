import { randomBytes } from 'node:crypto';
import { WebhookSecretBox } from './webhook-secret';

describe(WebhookSecretBox.name, () => {
  const sut = new WebhookSecretBox(randomBytes(32).toString('base64'));

  it('stores a secret encrypted and opens it again', () => {
    const sealed = sut.seal('zhenru-secret-0123456789');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('zhenru');
    expect(sut.seal('zhenru-secret-0123456789')).not.toBe(sealed);
    expect(sut.open(sealed)).toBe('zhenru-secret-0123456789');
  });

  it('refuses a tampered value, another key and a plain-text secret', () => {
    const sealed = sut.seal('zhenru-secret-0123456789');
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => sut.open([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new WebhookSecretBox(randomBytes(32).toString('base64')).open(sealed)).toThrow();
    expect(() => sut.open('zhenru-secret-0123456789')).toThrow();
    expect(() => new WebhookSecretBox('c2hvcnQ=')).toThrow();
  });
});
