import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Outbox, OutboxMessage } from '@huoju/messaging';
import { generateRoster, principals, problemOf } from '@huoju/testing';
import { CSV, rosterCells, rosterCsv } from '../../test/roster-file.fixture';
import type { EnterpriseBatchRepository } from './enterprise-batch.repository';
import type { EnterpriseInput } from './enterprise-input';
import type { EnterpriseState } from './enterprise.repository';
import { RosterImportService } from './roster-import.service';

const [first, second] = generateRoster({ size: 20, seed: 7 });

function stateOf(input: EnterpriseInput): EnterpriseState {
  return {
    uscc: input.uscc,
    registryVersion: 0,
    nameZh: input.nameZh,
    industryCode: input.industryCode,
    registeredDistrict: input.registeredDistrict,
    contact: { ...input.contact },
    industryTags: [...(input.industryTags ?? [])],
    memberships: [
      {
        parkCode: input.parkCode,
        subParkCode: input.subParkCode,
        carrierCode: input.carrierCode ?? null,
        validFrom: input.validFrom,
        validTo: null,
      },
    ],
    streets: [{ streetCode: input.streetCode, validFrom: input.validFrom, validTo: null }],
    qualifications: (input.qualifications ?? []).map((q) => ({
      tag: q.tag,
      certificateNo: q.certificateNo ?? null,
      validFrom: q.validFrom,
      validTo: q.validTo ?? null,
    })),
    scope: (input.scope ?? []).map((s) => ({ formId: s.formId, validFrom: s.validFrom, validTo: s.validTo ?? null })),
  } as unknown as EnterpriseState;
}

/** The roster tables in memory behind the set-based repository the import uses; every write is logged. */
function setUp() {
  const states = new Map<string, EnterpriseState>();
  const writes: string[] = [];
  const published: OutboxMessage[] = [];
  const orm = {
    em: { fork: () => ({ transactional: <T>(work: (em: EntityManager) => Promise<T>) => work({} as EntityManager) }) },
  } as unknown as MikroORM;
  // A write with no rows changes nothing: the import calls every step, only the non-empty ones are logged.
  const logged = (name: string) => async (_em: EntityManager, rows: readonly unknown[]) =>
    void (rows.length > 0 && writes.push(name));
  const repository = {
    states: async (_em: EntityManager, usccs: readonly string[]) =>
      new Map(usccs.filter((u) => states.has(u)).map((u) => [u, states.get(u)!])),
    nameHolders: async (_em: EntityManager, names: readonly string[]) =>
      new Map([...states.values()].filter((s) => names.includes(s.nameZh)).map((s) => [s.nameZh, s.uscc])),
    lockImports: async () => undefined,
    lock: async () => undefined,
    insert: async (_em: EntityManager, inputs: readonly EnterpriseInput[]) => {
      if (inputs.length > 0) writes.push('insert');
      for (const input of inputs) states.set(input.uscc, stateOf(input));
    },
    updateDetails: async (_em: EntityManager, rows: readonly { uscc: string; nameZh: string }[]) => {
      if (rows.length > 0) writes.push('updateDetails');
      for (const row of rows) states.set(row.uscc, { ...states.get(row.uscc)!, nameZh: row.nameZh });
    },
    replaceMemberships: logged('replaceMemberships'),
    replaceStreets: logged('replaceStreets'),
    replaceQualifications: logged('replaceQualifications'),
    replaceScope: logged('replaceScope'),
    publish: async (_em: EntityManager, changes: Map<string, string>) =>
      [...changes.keys()].map((uscc) => {
        const state = states.get(uscc)!;
        states.set(uscc, { ...state, registryVersion: state.registryVersion + 1 });
        return states.get(uscc)!;
      }),
  } as unknown as EnterpriseBatchRepository;
  const outbox = {
    addAll: async (_em: EntityManager, messages: OutboxMessage[]) => void published.push(...messages),
  } as unknown as Outbox;
  return { sut: new RosterImportService(orm, repository, outbox), states, writes, published };
}

describe(RosterImportService.name, () => {
  const file = rosterCsv([rosterCells(first!), rosterCells(second!)]);

  it('answers a dry run with what would change, writing nothing', async () => {
    const { sut, writes, published } = setUp();
    const result = await sut.import(file, CSV, true, principals.admin);
    expect(result).toMatchObject({ dryRun: true, rows: 2, created: 2, updated: 0, unchanged: 0, errors: 0 });
    expect(writes).toEqual([]);
    expect(published).toEqual([]);
  });

  it('registers new enterprises and publishes each one’s state; the same file again changes nothing', async () => {
    const { sut, states, writes, published } = setUp();
    expect(await sut.import(file, CSV, false, principals.admin)).toMatchObject({ created: 2, updated: 0 });
    expect([...states.keys()].sort()).toEqual([first!.uscc, second!.uscc].sort());
    expect(published.map((m) => [m.topic, m.key]).sort()).toEqual(
      [first!.uscc, second!.uscc].sort().map((uscc) => ['registry.enterprise-changed.v1', uscc]),
    );
    writes.length = 0;
    const again = await sut.import(file, CSV, false, principals.admin);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(writes).toEqual([]);
    expect(published).toHaveLength(2);
  });

  it('records a renamed enterprise as an update with what changed', async () => {
    const { sut, states } = setUp();
    await sut.import(file, CSV, false, principals.admin);
    const renamed = rosterCsv([{ ...rosterCells(first!), nameZh: `${first!.nameZh}（更名）` }, rosterCells(second!)]);
    const result = await sut.import(renamed, CSV, false, principals.admin);
    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(result.updates.map((u) => u.uscc)).toEqual([first!.uscc]);
    expect(states.get(first!.uscc)!.nameZh).toBe(`${first!.nameZh}（更名）`);
  });

  it('refuses a file with a bad row as a whole, listing the row’s error, and a body of another type', async () => {
    const { sut, writes } = setUp();
    const bad = rosterCsv([rosterCells(first!), { ...rosterCells(second!), uscc: 'NOT-A-USCC' }]);
    const problem = await problemOf(sut.import(bad, CSV, false, principals.admin));
    expect(problem.status).toBe(422);
    expect(problem.errors.length).toBeGreaterThan(0);
    expect(writes).toEqual([]);
    expect((await problemOf(sut.import({ rows: [] }, 'application/json', false, principals.admin))).status).toBe(415);
  });
});
