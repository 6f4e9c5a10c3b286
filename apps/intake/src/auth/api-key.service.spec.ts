import { principals, problemOf } from '@huoju/testing';
import type { IntakeConfig } from '../intake.config';
import { ApiKey } from './api-key.entity';
import type { ApiKeyRepository } from './api-key.repository';
import { ApiKeyService } from './api-key.service';

const DAY_MS = 24 * 3600 * 1000;

/** The api_key table in memory, behind the repository methods ApiKeyService calls. */
function setUp(config: Partial<IntakeConfig> = {}) {
  const keys = new Map<string, ApiKey>();
  const repository = {
    find: async (id: string) => keys.get(id) ?? null,
    list: async () => [...keys.values()],
    insert: async (key: Omit<ApiKey, 'createdAt' | 'revokedAt'>) => {
      const entity = Object.assign(new ApiKey(), { ...key, createdAt: new Date(), revokedAt: null });
      keys.set(key.id, entity);
      return entity;
    },
    insertIfAbsent: async (key: Omit<ApiKey, 'createdAt' | 'revokedAt'>) => {
      if (keys.has(key.id)) return false;
      keys.set(key.id, Object.assign(new ApiKey(), { ...key, createdAt: new Date(), revokedAt: null }));
      return true;
    },
    revoke: async (id: string, at: Date) => {
      const key = keys.get(id);
      if (!key || key.revokedAt) return false;
      key.revokedAt = at;
      return true;
    },
  } as unknown as ApiKeyRepository;
  return { keys, sut: new ApiKeyService(repository, config as IntakeConfig) };
}

describe(ApiKeyService.name, () => {
  it('shows the secret once and keeps only its hash; the key then stands for its role and scope', async () => {
    const { sut, keys } = setUp();
    const created = await sut.create({ role: 'park', scope: ['PT'], label: '普陀园 ERP' }, principals.admin);
    const [id, secret] = created.apiKey.split('.');
    expect(id).toBe(created.id);
    expect(JSON.stringify([...keys.values()])).not.toContain(secret);
    expect(await sut.authenticate(created.apiKey)).toEqual({ subject: created.id, role: 'park', scope: ['PT'] });
    expect(await sut.authenticate(`${created.id}.wrong-secret`)).toBeUndefined();
    expect(await sut.authenticate('no-dot')).toBeUndefined();
    const lifetime = new Date(created.expiresAt).getTime() - Date.now();
    expect(Math.round(lifetime / DAY_MS)).toBe(365);
    expect((await sut.list()).map((key) => [key.id, key.createdBy, key.revokedAt])).toEqual([
      [created.id, principals.admin.subject, null],
    ]);
  });

  it('refuses an expiry in the past or beyond two years, and a scope the role cannot have', async () => {
    const { sut, keys } = setUp();
    const past = await problemOf(
      sut.create({ role: 'admin', label: 'x', expiresAt: '2020-01-01T00:00:00Z' }, principals.admin),
    );
    expect(past.errors.map((e) => e.pointer)).toContain('/expiresAt');
    const far = new Date(Date.now() + 3 * 365 * DAY_MS).toISOString();
    expect((await problemOf(sut.create({ role: 'admin', label: 'x', expiresAt: far }, principals.admin))).status).toBe(
      422,
    );
    const noScope = await problemOf(sut.create({ role: 'park', scope: [], label: 'x' }, principals.admin));
    expect(noScope.status).toBe(422);
    expect(keys.size).toBe(0);
  });

  it('stops accepting a revoked or expired key', async () => {
    const { sut } = setUp();
    const created = await sut.create({ role: 'commission', label: '市科委' }, principals.admin);
    expect(await sut.authenticate(created.apiKey, new Date(Date.now() + 366 * DAY_MS))).toBeUndefined();
    await sut.revoke(created.id);
    expect(await sut.authenticate(created.apiKey)).toBeUndefined();
    expect(await problemOf(sut.revoke(created.id))).toMatchObject({ status: 404, code: 'API_KEY.NOT_FOUND' });
  });

  it('stores the bootstrap key once, so a revoked one stays revoked after a restart', async () => {
    const { sut, keys } = setUp({ ADMIN_API_KEY: 'key_boot.bootstrap-secret-value' });
    await sut.onApplicationBootstrap();
    expect(await sut.authenticate('key_boot.bootstrap-secret-value')).toMatchObject({ role: 'admin' });
    await sut.revoke('key_boot');
    await sut.onApplicationBootstrap();
    expect(keys.get('key_boot')!.revokedAt).not.toBeNull();
    expect(await sut.authenticate('key_boot.bootstrap-secret-value')).toBeUndefined();
  });
});
