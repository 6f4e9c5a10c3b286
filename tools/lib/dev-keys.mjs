// Development credentials made once per checkout in .run/keys (gitignored), never committed defaults:
// intake's Ed25519 signing key, the public JWKS the other services verify with, and the bootstrap
// admin API key. `rm -r .run/keys` makes new ones (the old tokens and admin key then stop working).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { root } from './infra.mjs';

const dir = `${root}/.run/keys`;

function once(file, make) {
  const path = `${dir}/${file}`;
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, make(), { mode: 0o600 });
  }
  return readFileSync(path, 'utf8').trim();
}

/** AUTH_SIGNING_KEY, AUTH_JWKS and ADMIN_API_KEY for the services started from this checkout. */
export function devCredentials() {
  const signingKey = once('signing-key.jwk.json', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const { x, d } = privateKey.export({ format: 'jwk' });
    const kid = `dev-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
    return JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x, d, kid });
  });
  const { kty, crv, x, kid } = JSON.parse(signingKey);
  const adminApiKey = once(
    'admin-api-key',
    () => `key_admin${randomBytes(4).toString('hex')}.${randomBytes(24).toString('base64url')}`,
  );
  return {
    AUTH_SIGNING_KEY: process.env.AUTH_SIGNING_KEY ?? signingKey,
    AUTH_JWKS: process.env.AUTH_JWKS ?? JSON.stringify({ keys: [{ kty, crv, x, kid }] }),
    ADMIN_API_KEY: process.env.ADMIN_API_KEY ?? adminApiKey,
  };
}
