import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { ApiKey } from './api-key.entity';

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly orm: MikroORM) {}

  find(id: string): Promise<ApiKey | null> {
    return this.orm.em.fork().findOne(ApiKey, { id });
  }

  list(): Promise<ApiKey[]> {
    return this.orm.em.fork().find(ApiKey, {}, { orderBy: { createdAt: 'asc' } });
  }

  async insert(key: Omit<ApiKey, 'createdAt' | 'revokedAt'> & { createdAt?: Date }): Promise<ApiKey> {
    const em = this.orm.em.fork();
    const entity = em.create(ApiKey, { ...key, revokedAt: null });
    await em.flush();
    return entity;
  }

  /** Inserts the key unless a row with its id exists (revoked or not): a revoked bootstrap key stays revoked. */
  async insertIfAbsent(key: Omit<ApiKey, 'createdAt' | 'revokedAt'>): Promise<boolean> {
    const em = this.orm.em.fork();
    if (await em.count(ApiKey, { id: key.id })) return false;
    em.create(ApiKey, { ...key, revokedAt: null });
    await em.flush();
    return true;
  }

  /** Revokes an active key; false when there is none by that id. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const changed = await this.orm.em.fork().nativeUpdate(ApiKey, { id, revokedAt: null }, { revokedAt: at });
    return changed > 0;
  }
}
