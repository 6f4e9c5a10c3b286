import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { ProblemException, ROLES, type FieldError, type Principal, type Role } from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';

export interface ApiKeySummary {
  readonly id: string;
  readonly role: Role;
  readonly scope: readonly string[];
  readonly label: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** API keys (id.secret): the secret is shown once and stored only as a SHA-256 hash; keys can be revoked. */
@Injectable()
export class ApiKeyService {
  constructor(
    private readonly orm: MikroORM,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async create(
    request: { role: Role; scope: readonly string[]; label: string },
    createdBy: Principal,
  ): Promise<{ id: string; apiKey: string }> {
    const errors: FieldError[] = [];
    if (!ROLES.includes(request.role))
      errors.push(
        fieldError(
          '/role',
          'API_KEY.ROLE',
          `role must be one of ${ROLES.join(', ')}`,
          `角色须为 ${ROLES.join('、')} 之一`,
        ),
      );
    const needsScope = request.role === 'enterprise' || request.role === 'street' || request.role === 'park';
    if (needsScope && (!Array.isArray(request.scope) || request.scope.length === 0)) {
      errors.push(
        fieldError(
          '/scope',
          'API_KEY.SCOPE',
          'enterprise, street and park keys need a scope (USCCs, street codes or park codes)',
          '企业、街镇和园区的密钥必须指定范围',
        ),
      );
    }
    if (typeof request.label !== 'string' || request.label.trim() === '')
      errors.push(fieldError('/label', 'API_KEY.LABEL', 'a label says whose key this is', '请填写密钥用途或持有人'));
    if (errors.length > 0)
      throw new ProblemException(
        422,
        'REQUEST.INVALID',
        'Unprocessable request',
        'The API key request has errors.',
        errors,
      );

    const id = `key_${randomBytes(8).toString('hex')}`;
    const secret = randomBytes(24).toString('base64url');
    await this.orm.em
      .fork()
      .execute(
        'INSERT INTO api_key (id, secret_sha256, role, scope, label, created_by) VALUES (?, ?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), ?, ?)',
        [id, sha256(secret), request.role, JSON.stringify(request.scope ?? []), request.label, createdBy.subject],
      );
    return { id, apiKey: `${id}.${secret}` };
  }

  async list(): Promise<ApiKeySummary[]> {
    const rows = await this.orm.em.fork().execute<
      {
        id: string;
        role: Role;
        scope: string[];
        label: string;
        created_by: string;
        created_at: Date;
        revoked_at: Date | null;
      }[]
    >('SELECT id, role, scope, label, created_by, created_at, revoked_at FROM api_key ORDER BY created_at');
    return rows.map((row) => ({
      id: row.id,
      role: row.role,
      scope: row.scope,
      label: row.label,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at).toISOString(),
      revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    }));
  }

  async revoke(id: string): Promise<void> {
    const result = await this.orm.em.fork().execute<{
      affectedRows?: number;
    }>('UPDATE api_key SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL', [id], 'run');
    if (!result.affectedRows)
      throw new ProblemException(404, 'API_KEY.NOT_FOUND', 'Not found', `No active API key ${id}.`);
  }

  /** The principal an API key stands for, or undefined when it is unknown, wrong or revoked. */
  async authenticate(apiKey: string): Promise<Principal | undefined> {
    const [id, secret] = apiKey.split('.', 2);
    if (!id || !secret) return undefined;
    const admin = this.config.ADMIN_API_KEY;
    if (admin && safeEqual(apiKey, admin)) return { subject: id, role: 'admin', scope: [] };
    const [row] = await this.orm.em
      .fork()
      .execute<
        { secret_sha256: string; role: Role; scope: string[] }[]
      >('SELECT secret_sha256, role, scope FROM api_key WHERE id = ? AND revoked_at IS NULL', [id]);
    if (!row || !safeEqual(sha256(secret), row.secret_sha256)) return undefined;
    return { subject: id, role: row.role, scope: row.scope };
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function fieldError(pointer: string, code: string, messageEn: string, messageZh: string): FieldError {
  return { pointer, code, messageEn, messageZh };
}
