import { Injectable } from '@nestjs/common';
import { MikroORM, type FilterQuery } from '@mikro-orm/postgresql';
import type { AuditQuery } from '@huoju/contracts';
import { AuditEntry } from './audit-entry.entity';

@Injectable()
export class AuditRepository {
  constructor(private readonly orm: MikroORM) {}

  async append(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    const em = this.orm.em.fork();
    em.create(AuditEntry, entry);
    await em.flush();
  }

  async page(query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
    const where: FilterQuery<AuditEntry> = {};
    if (query.actor) where.actor = query.actor;
    if (query.action) where.action = query.action;
    if (query.from || query.to)
      where.at = {
        ...(query.from ? { $gte: new Date(query.from) } : {}),
        ...(query.to ? { $lt: new Date(query.to) } : {}),
      };
    const [items, total] = await this.orm.em.fork().findAndCount(AuditEntry, where, {
      orderBy: { at: 'desc', id: 'desc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items, total };
  }
}
