import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { createApiKeyRequestSchema } from '@huoju/contracts';
import { ProblemException, validateScope, validationProblem, type Principal } from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';
import type { ApiKey } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { parseRequest } from './parse-request';

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_LIFETIME_MS = 365 * DAY_MS;
const MAX_LIFETIME_MS = 2 * 365 * DAY_MS;

/**
 * API keys (id.secret) for machine clients: the secret is shown once and stored only as a SHA-256 hash;
 * keys expire (a year by default) and can be revoked. ADMIN_API_KEY from the environment is stored as an
 * ordinary key on first start, so it can be revoked like any other and a restart does not bring it back.
 */
@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bootstrap = this.config.ADMIN_API_KEY;
    if (!bootstrap) return;
    const [id, secret] = bootstrap.split('.', 2) as [string, string];
    await this.keys.insertIfAbsent({
      id,
      secretSha256: sha256(secret),
      role: 'admin',
      scope: [],
      label: 'bootstrap administrator (ADMIN_API_KEY)',
      createdBy: 'bootstrap',
      expiresAt: new Date(Date.now() + DEFAULT_LIFETIME_MS),
    });
  }

  async create(body: unknown, createdBy: Principal): Promise<{ id: string; apiKey: string; expiresAt: string }> {
    const request = parseRequest(createApiKeyRequestSchema, body);
    const now = Date.now();
    const expiresAt = request.expiresAt ? new Date(request.expiresAt) : new Date(now + DEFAULT_LIFETIME_MS);
    const errors = validateScope(request.role, request.scope);
    if (expiresAt.getTime() <= now || expiresAt.getTime() > now + MAX_LIFETIME_MS)
      errors.push({
        pointer: '/expiresAt',
        code: 'API_KEY.EXPIRES_AT',
        messageEn: 'a key expires in the future, at most two years from now',
        messageZh: '有效期须在将来，且不超过两年',
      });
    if (errors.length > 0) throw validationProblem(errors, 'The API key request has errors.');
    const id = `key_${randomBytes(8).toString('hex')}`;
    const secret = randomBytes(24).toString('base64url');
    await this.keys.insert({
      id,
      secretSha256: sha256(secret),
      role: request.role,
      scope: [...request.scope],
      label: request.label,
      createdBy: createdBy.subject,
      expiresAt,
    });
    return { id, apiKey: `${id}.${secret}`, expiresAt: expiresAt.toISOString() };
  }

  async list() {
    return (await this.keys.list()).map(apiKeyView);
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.keys.revoke(id, new Date())))
      throw new ProblemException(404, 'API_KEY.NOT_FOUND', 'Not found', `No active API key ${id}.`);
  }

  /** The principal an API key stands for, or undefined when it is unknown, wrong, expired or revoked. */
  async authenticate(apiKey: string, now = new Date()): Promise<Principal | undefined> {
    const [id, secret] = apiKey.split('.', 2);
    if (!id || !secret || id.length > 64 || secret.length > 128) return undefined;
    const key = await this.keys.find(id);
    if (!key || !safeEqual(sha256(secret), key.secretSha256)) return undefined;
    if (key.revokedAt || key.expiresAt <= now) return undefined;
    return { subject: key.id, role: key.role, scope: [...key.scope] };
  }
}

export function apiKeyView(key: ApiKey) {
  return {
    id: key.id,
    role: key.role,
    scope: [...key.scope],
    label: key.label,
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt.toISOString(),
    revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
