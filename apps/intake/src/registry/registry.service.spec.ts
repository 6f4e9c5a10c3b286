import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Outbox, OutboxMessage } from '@huoju/messaging';
import type { ScopeFilter } from '@huoju/platform';
import { principals, problemOf } from '@huoju/testing';
import type { EnterpriseBatchRepository } from './enterprise-batch.repository';
import type { EnterpriseSearch, EnterpriseSearchQuery } from './enterprise-search.query';
import { Enterprise, EnterpriseMembership, EnterpriseStreet } from './enterprise.entity';
import type { EnterpriseRepository, EnterpriseState } from './enterprise.repository';
import { RegistryService } from './registry.service';

const USCC = '91310000MA1KREG001';
const OTHER = '91310000MA1KREG002';

/**
 * The roster tables in memory behind the repository methods RegistryService calls: the enterprise and its
 * park and street links as entities (changed in place, like the unit of work's identity map), the state
 * read back from them.
 */
function setUp() {
  const enterprises = new Map<string, Enterprise>();
  const memberships: EnterpriseMembership[] = [];
  const streets: EnterpriseStreet[] = [];
  const searches: EnterpriseSearch[] = [];
  const published: OutboxMessage[] = [];
  const flushes: number[] = [];
  const register = (uscc: string, nameZh: string, parkCode: string) => {
    enterprises.set(
      uscc,
      Object.assign(new Enterprise(), {
        uscc,
        nameZh,
        industryCode: 'I6510',
        registeredDistrict: '310107',
        contact: { name: '王', phone: '13800000000', email: 'w@example.com' },
        industryTags: [],
        registryVersion: 1,
      }),
    );
    memberships.push(
      Object.assign(new EnterpriseMembership(), {
        id: memberships.length + 1,
        uscc,
        parkCode,
        subParkCode: `${parkCode}-1`,
        carrierCode: null,
        validFrom: '2025-01-01',
        validTo: null,
      }),
    );
  };
  register(USCC, '登记测试企业', 'PT');
  register(OTHER, '另一家测试企业', 'PT');
  const stateOf = (uscc: string): EnterpriseState => {
    const e = enterprises.get(uscc)!;
    return {
      uscc,
      registryVersion: e.registryVersion,
      nameZh: e.nameZh,
      industryCode: e.industryCode,
      registeredDistrict: e.registeredDistrict,
      contact: e.contact,
      industryTags: [...e.industryTags],
      memberships: memberships
        .filter((m) => m.uscc === uscc)
        .map((m) => ({
          parkCode: m.parkCode,
          subParkCode: m.subParkCode,
          carrierCode: m.carrierCode ?? null,
          validFrom: m.validFrom,
          validTo: m.validTo ?? null,
        })),
      streets: streets
        .filter((l) => l.uscc === uscc)
        .map((l) => ({ streetCode: l.streetCode, validFrom: l.validFrom, validTo: l.validTo ?? null })),
      qualifications: [],
      scope: [],
    } as unknown as EnterpriseState;
  };
  const em = { flush: async () => void flushes.push(published.length) } as unknown as EntityManager;
  const orm = { em: { fork: () => ({ transactional: <T>(work: (em: EntityManager) => Promise<T>) => work(em) }) } };
  const repository = {
    lock: async (_em: EntityManager, uscc: string) => enterprises.get(uscc) ?? null,
    nameHolder: async (_em: EntityManager, name: string, except: string) =>
      [...enterprises.values()].find((e) => e.nameZh === name && e.uscc !== except)?.uscc,
    openMemberships: async (_em: EntityManager, uscc: string) =>
      memberships.filter((m) => m.uscc === uscc && !m.validTo),
    openStreets: async (_em: EntityManager, uscc: string) => streets.filter((l) => l.uscc === uscc && !l.validTo),
    addMembership: (_em: EntityManager, link: Partial<EnterpriseMembership>) =>
      void memberships.push(Object.assign(new EnterpriseMembership(), { ...link, validTo: null })),
    addStreet: (_em: EntityManager, link: Partial<EnterpriseStreet>) =>
      void streets.push(Object.assign(new EnterpriseStreet(), { ...link, validTo: null })),
    remove: (_em: EntityManager, link: EnterpriseMembership | EnterpriseStreet) => {
      const list: unknown[] = link instanceof EnterpriseStreet ? streets : memberships;
      list.splice(list.indexOf(link), 1);
    },
  } as unknown as EnterpriseRepository;
  const batch = {
    states: async (_em: EntityManager, usccs: readonly string[]) =>
      new Map(usccs.filter((u) => enterprises.has(u)).map((u) => [u, stateOf(u)])),
    publish: async (_em: EntityManager, changes: Map<string, string>) =>
      [...changes.keys()].map((u) => {
        enterprises.get(u)!.registryVersion += 1;
        return stateOf(u);
      }),
  } as unknown as EnterpriseBatchRepository;
  const outbox = { add: async (_em: EntityManager, message: OutboxMessage) => void published.push(message) };
  const search = {
    page: async (_em: EntityManager, filter: EnterpriseSearch) => {
      searches.push(filter);
      return { total: 1, usccs: [USCC] };
    },
  } as unknown as EnterpriseSearchQuery;
  const sut = new RegistryService(orm as unknown as MikroORM, repository, batch, outbox as unknown as Outbox, search);
  return { sut, enterprises, memberships, streets, searches, published, flushes };
}

describe('RegistryService (in-memory repositories)', () => {
  it('changes only the fields sent, once checked, and publishes the new state', async () => {
    const { sut, enterprises, published, flushes } = setUp();
    const state = await sut.update(
      USCC,
      { nameZh: '  新名称企业  ', industryTags: ['AI', 'AI'] },
      principals.park('PT'),
    );
    expect(enterprises.get(USCC)).toMatchObject({ nameZh: '新名称企业', industryTags: ['AI'], industryCode: 'I6510' });
    expect(state).toMatchObject({ nameZh: '新名称企业', registryVersion: 2 });
    expect(published.map((m) => [m.topic, m.key])).toEqual([['registry.enterprise-changed.v1', USCC]]);
    // The change is written before the state is read back and published.
    expect(flushes).toEqual([0]);
  });

  it('refuses an empty change, another park’s team and an unknown enterprise without writing', async () => {
    const { sut, enterprises, published } = setUp();
    const empty = await problemOf(sut.update(USCC, {}, principals.admin));
    expect(empty.errors.map((e) => e.code)).toEqual(['REQUEST.EMPTY']);
    expect((await problemOf(sut.update(USCC, { nameZh: '别家园区改名' }, principals.park('CN')))).status).toBe(403);
    expect((await problemOf(sut.update('91310000MA1KNOBODY', { nameZh: '没有这家' }, principals.admin))).status).toBe(
      404,
    );
    expect(enterprises.get(USCC)!.nameZh).toBe('登记测试企业');
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

  it('refuses a name another enterprise carries', async () => {
    const { sut, enterprises, published } = setUp();
    const problem = await problemOf(sut.update(USCC, { nameZh: '另一家测试企业' }, principals.admin));
    expect(problem).toMatchObject({ status: 409, code: 'ENTERPRISE.EXISTS' });
    expect(enterprises.get(USCC)!.nameZh).toBe('登记测试企业');
    expect(published).toEqual([]);
  });

  it('moves the membership: the open one ends the day before, the new one opens', async () => {
    const { sut, published } = setUp();
    const state = await sut.move(
      USCC,
      { parkCode: 'CN', subParkCode: 'CN-E', validFrom: '2026-03-01' },
      principals.park('PT'),
    );
    expect(state.memberships).toEqual([
      { parkCode: 'PT', subParkCode: 'PT-1', carrierCode: null, validFrom: '2025-01-01', validTo: '2026-02-28' },
      { parkCode: 'CN', subParkCode: 'CN-E', carrierCode: null, validFrom: '2026-03-01', validTo: null },
    ]);
    expect(published).toHaveLength(1);
    // The park left behind records a move; the new park cannot pull the enterprise back in.
    expect(
      (
        await problemOf(
          sut.move(USCC, { parkCode: 'PT', subParkCode: 'PT-SUHE', validFrom: '2026-04-01' }, principals.park('PT')),
        )
      ).status,
    ).toBe(403);
  });

  it('supersedes outright a membership opened the same day, and answers every field error at once', async () => {
    const { sut } = setUp();
    await sut.move(USCC, { parkCode: 'CN', subParkCode: 'CN-E', validFrom: '2026-03-01' }, principals.admin);
    const state = await sut.move(
      USCC,
      { parkCode: 'CN', subParkCode: 'CN-C', validFrom: '2026-03-01' },
      principals.admin,
    );
    expect(state.memberships.map((m) => [m.subParkCode, m.validFrom, m.validTo])).toEqual([
      ['PT-1', '2025-01-01', '2026-02-28'],
      ['CN-C', '2026-03-01', null],
    ]);
    const invalid = await problemOf(
      sut.move(USCC, { parkCode: 'XX', subParkCode: 'CN-E', validFrom: '3月' }, principals.admin),
    );
    expect(invalid.errors.map((e) => e.pointer)).toEqual(['/parkCode', '/subParkCode', '/validFrom']);
  });

  it('ends the membership when the enterprise leaves, and says when nothing is open', async () => {
    const { sut, memberships } = setUp();
    const state = await sut.close(USCC, 'membership', { validTo: '2026-06-30' }, principals.park('PT'));
    expect(state.memberships.map((m) => m.validTo)).toEqual(['2026-06-30']);
    expect(memberships[0]!.validTo).toBe('2026-06-30');
    const again = await problemOf(sut.close(USCC, 'membership', { validTo: '2026-07-31' }, principals.admin));
    expect(again).toMatchObject({ status: 409, code: 'REGISTRY.NOTHING_OPEN' });
  });

  it('links the enterprise to a street from a date', async () => {
    const { sut } = setUp();
    await sut.changeStreet(USCC, { streetCode: '310101002', validFrom: '2026-01-01' }, principals.admin);
    const state = await sut.changeStreet(USCC, { streetCode: '310101013', validFrom: '2026-05-01' }, principals.admin);
    expect(state.streets).toEqual([
      { streetCode: '310101002', validFrom: '2026-01-01', validTo: '2026-04-30' },
      { streetCode: '310101013', validFrom: '2026-05-01', validTo: null },
    ]);
  });
});
