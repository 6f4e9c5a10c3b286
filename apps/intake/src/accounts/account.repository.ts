import { Injectable } from '@nestjs/common';
import { MikroORM, type FilterQuery } from '@mikro-orm/postgresql';
import type { Role } from '@huoju/platform';
import { Account } from './account.entity';

export interface AccountFilter {
  readonly q?: string;
  readonly role?: Role;
  /** Only street accounts whose every street is one of these (a park team's view). */
  readonly streetsWithin?: readonly string[];
}

/** Accounts through the ORM's unit of work: one fork per use case. */
@Injectable()
export class AccountRepository {
  constructor(private readonly orm: MikroORM) {}

  find(username: string): Promise<Account | null> {
    return this.orm.em.fork().findOne(Account, { username });
  }

  async page(filter: AccountFilter, page: number, pageSize: number): Promise<{ items: Account[]; total: number }> {
    const where: FilterQuery<Account> = {};
    if (filter.role) where.role = filter.role;
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      where.$or = [{ username: { $ilike: like } }, { displayName: { $ilike: like } }];
    }
    if (filter.streetsWithin) {
      where.role = 'street';
      // scope <@ allowed: every street of the account is one the park covers.
      where.scope = { $contained: [...filter.streetsWithin] };
    }
    const [items, total] = await this.orm.em
      .fork()
      .findAndCount(Account, where, { orderBy: { username: 'asc' }, limit: pageSize, offset: (page - 1) * pageSize });
    return { items, total };
  }

  /** Inserts a new account; false when the username is taken. */
  async insert(account: Account): Promise<boolean> {
    const em = this.orm.em.fork();
    if (await em.count(Account, { username: account.username })) return false;
    await em.persist(account).flush();
    return true;
  }

  /** Applies `change` to the stored account in one unit of work; null when there is none. */
  async update(username: string, change: (account: Account) => void | Promise<void>): Promise<Account | null> {
    const em = this.orm.em.fork();
    const account = await em.findOne(Account, { username });
    if (!account) return null;
    await change(account);
    await em.flush();
    return account;
  }

  async recordSignIn(username: string, at: Date): Promise<void> {
    await this.orm.em.fork().nativeUpdate(Account, { username }, { lastSignInAt: at });
  }
}
