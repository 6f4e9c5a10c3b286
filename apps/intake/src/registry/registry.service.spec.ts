import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Outbox, OutboxMessage } from '@huoju/messaging';
import type { ScopeFilter } from '@huoju/platform';
import { principals, problemOf } from '@huoju/testing';
import type { EnterpriseBatchRepository } from './enterprise-batch.repository';
import type { EnterpriseSearch, EnterpriseSearchQuery } from './enterprise-search.query';
import type { EnterpriseChanges, EnterpriseRepository, EnterpriseState } from './enterprise.repository';
import { RegistryService } from './registry.service';

const USCC = '91310000MA1KREG001';

function stateOf(uscc: string, parkCode: string, changes: EnterpriseChanges = {}): EnterpriseState {
  return {
    uscc,
    nameZh: changes.nameZh ?? '登记测试企业',
    industryCode: changes.industryCode ?? 'I6510',
    registeredDistrict: '310107',
    contact: changes.contact ?? { name: '王', phone: '13800000000', email: 'w@example.com' },
    industryTags: [...(changes.industryTags ?? [])],
    memberships: [
      { parkCode, subParkCode: `${parkCode}-1`, carrierCode: null, validFrom: '2025-01-01', validTo: null },
    ],
    streets: [],
    qualifications: [],
    scope: [],
    registryVersion: 1,
  } as unknown as EnterpriseState;
}

/** The roster tables in memory, behind the repository methods RegistryService calls. */
function setUp() {
  const states = new Map<string, EnterpriseState>([[USCC, stateOf(USCC, 'PT')]]);
  const updates: { uscc: string; changes: EnterpriseChanges }[] = [];
  const searches: EnterpriseSearch[] = [];
  const published: OutboxMessage[] = [];
  const orm = {
    em: { fork: () => ({ transactional: <T>(work: (em: EntityManager) => Promise<T>) => work({} as EntityManager) }) },
  } as unknown as MikroORM;
  const enterprises = {
    lock: async (_em: EntityManager, uscc: string) => (states.has(uscc) ? { uscc } : undefined),
    nameHolder: async (_em: EntityManager, name: string, except: string) =>
      [...states.values()].find((s) => s.nameZh === name && s.uscc !== except)?.uscc,
    update: async (_em: EntityManager, uscc: string, changes: EnterpriseChanges) => {
      updates.push({ uscc, changes });
      const current = states.get(uscc)!;
      states.set(uscc, { ...current, ...stateOf(uscc, current.memberships[0]!.parkCode, changes) });
    },
  } as unknown as EnterpriseRepository;
  const batch = {
    states: async (_em: EntityManager, usccs: readonly string[]) =>
      new Map(usccs.filter((u) => states.has(u)).map((u) => [u, states.get(u)!])),
    publish: async (_em: EntityManager, changes: Map<string, string>) => [...changes.keys()].map((u) => states.get(u)!),
  } as unknown as EnterpriseBatchRepository;
  const outbox = { add: async (_em: EntityManager, message: OutboxMessage) => void published.push(message) };
  const search = {
    page: async (_em: EntityManager, filter: EnterpriseSearch) => {
      searches.push(filter);
      return { total: states.size, usccs: [...states.keys()] };
    },
  } as unknown as EnterpriseSearchQuery;
  const sut = new RegistryService(orm, enterprises, batch, outbox as unknown as Outbox, search);
  return { sut, states, updates, searches, published };
}

describe('RegistryService (in-memory repositories)', () => {
  it('changes only the fields sent, once checked, and publishes the new state', async () => {
    const { sut, updates, published } = setUp();
    const state = await sut.update(
      USCC,
      { nameZh: '  新名称企业  ', industryTags: ['AI', 'AI'] },
      principals.park('PT'),
    );
    expect(updates).toEqual([{ uscc: USCC, changes: { nameZh: '新名称企业', industryTags: ['AI'] } }]);
    expect(state.nameZh).toBe('新名称企业');
    expect(published.map((m) => [m.topic, m.key])).toEqual([['registry.enterprise-changed.v1', USCC]]);
  });

  it('refuses an empty change, another park’s team and an unknown enterprise without writing', async () => {
    const { sut, updates, published } = setUp();
    const empty = await problemOf(sut.update(USCC, {}, principals.admin));
    expect(empty.errors.map((e) => e.code)).toEqual(['REQUEST.EMPTY']);
    expect((await problemOf(sut.update(USCC, { nameZh: '别家园区改名' }, principals.park('CN')))).status).toBe(403);
    expect((await problemOf(sut.update('91310000MA1KNOBODY', { nameZh: '没有这家' }, principals.admin))).status).toBe(
      404,
    );
    expect(updates).toEqual([]);
    expect(published).toEqual([]);
  });

  it('searches within the caller’s scope, with the page size capped', async () => {
    const { sut, searches } = setUp();
    const page = await sut.list({ park: 'PT', pageSize: 10_000, on: '2026-10-01' }, principals.park('PT'));
    expect(page).toMatchObject({ on: '2026-10-01', page: 1, pageSize: 500, total: 1 });
    expect(page.items.map((item) => item.uscc)).toEqual([USCC]);
    expect(searches[0]).toMatchObject({
      park: 'PT',
      on: '2026-10-01',
      scope: { kind: 'park', codes: ['PT'] } satisfies ScopeFilter,
    });
    expect((await problemOf(sut.list({ park: 'CN' }, principals.park('PT')))).status).toBe(403);
  });
});
