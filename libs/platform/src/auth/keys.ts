import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Tokens are signed with Ed25519 (JWS "EdDSA"): small keys, fast, no parameter choices to get wrong. */
export const TOKEN_ALGORITHM = 'EdDSA';

const publicJwkSchema = z.looseObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(43),
  kid: z.string().min(1).max(100),
});
const privateJwkSchema = publicJwkSchema.extend({ d: z.string().min(43) });

export type PublicJwk = z.infer<typeof publicJwkSchema>;
export type PrivateJwk = z.infer<typeof privateJwkSchema>;
export interface PublicJwks {
  readonly keys: readonly PublicJwk[];
}

function json<S extends z.ZodType>(schema: S, what: string) {
  return z.string().transform((text, context): z.infer<S> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: `${what}: not JSON` });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    context.addIssue({ code: 'custom', message: `${what}: ${result.error.issues.map((i) => i.message).join('; ')}` });
    return z.NEVER;
  });
}

/** AUTH_SIGNING_KEY (intake only): the private Ed25519 JWK, with its `kid`. */
export const signingKeyEnv = json(privateJwkSchema, 'an Ed25519 private JWK with kid');

/**
 * AUTH_JWKS: every public key a token may be signed with — the current one and, during a rotation, the
 * previous and the next one. Without private parts: a verifier must never be able to sign.
 */
export const jwksEnv = json(
  z
    .object({ keys: z.array(publicJwkSchema.strict()).min(1) })
    .refine((set) => new Set(set.keys.map((key) => key.kid)).size === set.keys.length, 'kids must be unique'),
  'a JWKS of Ed25519 public keys, each with a unique kid and no private part',
);

/** The public half of a private JWK, as published in the JWKS. */
export function publicJwkOf(key: PrivateJwk): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: key.x, kid: key.kid };
}

/** A fresh key pair (dev keys per checkout, test keys per test run); `kid` names its purpose and date. */
export function generateSigningKey(kidPrefix: string): PrivateJwk {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as { x: string; d: string };
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x: jwk.x,
    d: jwk.d,
    kid: `${kidPrefix}-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`,
  };
}

/** Key ids of generated development and test keys; production refuses them. */
export function isNonProductionKid(kid: string): boolean {
  return /^(dev|test|demo)-/.test(kid);
}
