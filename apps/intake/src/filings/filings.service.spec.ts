import { generateRoster, principals, problemOf } from '@huoju/testing';
import type { Clock } from '@huoju/platform';
import type { IntakeConfig } from '../intake.config';
import { FilingsService } from './filings.service';
import { InMemoryFilings } from './in-memory-filings.fake';

const clock: Clock = { now: () => new Date('2026-10-12T02:00:00Z') };
const [enterprise, neighbour] = generateRoster({ size: 40, seed: 11 }).filter((e) =>
  e.scope.some((s) => s.formId === 'torch-monthly'),
);
const body = {
  formId: 'torch-monthly',
  period: '2026-09',
  values: { qc05_0: '1200.5', qc55: '1000', qd01: '35', qj20: '88.25' },
};
const explanation = { ruleCode: 'TM-YTD-001', reasonCode: 'OTHER', text: '本月新签大额合同，收入确认集中' };

function setUp() {
  const store = new InMemoryFilings();
  store.roster.set(enterprise!.uscc, { industry: 'I65', forms: ['torch-monthly'], parks: ['P01'], streets: [] });
  store.roster.set(neighbour!.uscc, { industry: 'I65', forms: ['torch-monthly'], parks: ['P02'], streets: [] });
  const service = new FilingsService(
    store.orm,
    store.filingRepository as never,
    store.idempotencyRepository as never,
    store.contexts,
    store.outbox,
    clock,
    { DEMO_BACKDATING: 'off' } as IntakeConfig,
  );
  return { store, service, filer: principals.enterprise(enterprise!.uscc) };
}

describe('FilingsService (in-memory repositories)', () => {
  it('answers a submission with a receipt and puts its event in the outbox', async () => {
    const { store, service, filer } = setUp();
    const { receipt, replayed } = await service.submit(body, filer, undefined);
    expect(replayed).toBe(false);
    expect(receipt).toMatchObject({ uscc: enterprise!.uscc, revision: 1, attempt: 1, status: 'received' });
    expect(receipt.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(store.published.map((m) => m.topic)).toEqual(['filing.submitted.v1']);
  });

  it('replays a retry with the same key and refuses the key with another body', async () => {
    const { store, service, filer } = setUp();
    const first = await service.submit(body, filer, 'key-1');
    const again = await service.submit(body, filer, 'key-1');
    expect(again).toMatchObject({ replayed: true, receipt: { filingId: first.receipt.filingId, revision: 1 } });
    expect(store.revisions).toHaveLength(1);
    const reused = await problemOf(service.submit({ ...body, values: { ...body.values, qd01: '36' } }, filer, 'key-1'));
    expect(reused).toMatchObject({ status: 409, code: 'IDEMPOTENCY.KEY_REUSED' });
  });

  it('files an amendment as the next revision of the same filing', async () => {
    const { service, filer } = setUp();
    const first = await service.submit(body, filer, undefined);
    const second = await service.submit({ ...body, values: { ...body.values, qc05_0: '1300' } }, filer, undefined);
    expect(second.receipt).toMatchObject({ filingId: first.receipt.filingId, revision: 2 });
    expect(second.receipt.contentSha256).not.toBe(first.receipt.contentSha256);
  });

  it('refuses an unknown enterprise with a field error, storing nothing', async () => {
    const { store, service } = setUp();
    const stranger = '91310000MA1FL9999X';
    const problem = await problemOf(service.submit(body, principals.enterprise(stranger), undefined));
    expect(problem.status).toBe(422);
    expect(problem.errors.map((e) => e.code)).toContain('FILING.ENTERPRISE_UNKNOWN');
    expect(store.revisions).toHaveLength(0);
  });

  it('takes explanations only while the revision needs them, then sends it back to validation', async () => {
    const { store, service, filer } = setUp();
    const { receipt } = await service.submit(body, filer, undefined);
    const early = await problemOf(service.explain(receipt.filingId, { explanations: [explanation] }, filer));
    expect(early).toMatchObject({ status: 409, code: 'FILING.NOT_AWAITING_EXPLANATION' });

    store.validated(receipt.filingId, 'needs-explanation', [{ ruleCode: 'TM-YTD-001', severity: 'warning' } as never]);
    const explained = await service.explain(receipt.filingId, { explanations: [explanation] }, filer);
    expect(explained).toMatchObject({ revision: 1, attempt: 2, status: 'received' });
    expect(store.published).toHaveLength(2);
  });

  it('lets a park team in scope return a filing, which a later verdict does not undo', async () => {
    const { store, service, filer } = setUp();
    const { receipt } = await service.submit(body, filer, undefined);
    const comment = { comment: '营业收入与上月差异过大，请核实' };
    expect(await problemOf(service.returnFiling(receipt.filingId, comment, filer))).toMatchObject({ status: 403 });
    expect(await problemOf(service.returnFiling(receipt.filingId, comment, principals.park('P02')))).toMatchObject({
      status: 403,
    });

    const returned = await service.returnFiling(receipt.filingId, comment, principals.park('P01'));
    expect(returned.status).toBe('returned');
    store.validated(receipt.filingId, 'accepted', []);
    expect((await service.view(receipt.filingId, filer)).status).toBe('returned');
  });

  it('lists only the filings in the caller’s scope and refuses a foreign enterprise by name', async () => {
    const { service, filer } = setUp();
    await service.submit(body, filer, undefined);
    await service.submit(body, principals.enterprise(neighbour!.uscc), undefined);
    const park = await service.list({}, principals.park('P01'));
    expect(park.items.map((i) => i.uscc)).toEqual([enterprise!.uscc]);
    expect(await problemOf(service.list({ uscc: neighbour!.uscc }, principals.park('P01')))).toMatchObject({
      status: 403,
    });
  });

  it('reads one filing with every revision, the current one in full', async () => {
    const { store, service, filer } = setUp();
    const first = await service.submit(body, filer, undefined);
    store.validated(first.receipt.filingId, 'accepted', []);
    await service.submit({ ...body, values: { ...body.values, qc05_0: '1300' } }, filer, undefined);

    const view = await service.view(first.receipt.filingId, filer);
    expect(view).toMatchObject({ currentRevision: 2, status: 'received', current: { revision: 2, returned: null } });
    expect(view.current.values).toMatchObject({ qc05_0: '1300' });
    expect(view.revisions.map((r) => [r.revision, r.status, r.outcome])).toEqual([
      [1, 'accepted', 'accepted'],
      [2, 'received', null],
    ]);
    expect(view.deadlines.dueOn).toMatch(/^2026-10-\d\d$/);
    expect((await service.revisionView(first.receipt.filingId, 1, filer)).values).toEqual(body.values);
    expect(await problemOf(service.revisionView(first.receipt.filingId, 3, filer))).toMatchObject({
      status: 404,
      code: 'FILING.REVISION_NOT_FOUND',
    });
    expect(await problemOf(service.view(first.receipt.filingId, principals.park('P02')))).toMatchObject({
      status: 403,
    });
  });

  it('records an explanation on the revision, merged with earlier ones, as its next attempt', async () => {
    const { store, service, filer } = setUp();
    const { receipt } = await service.submit(body, filer, undefined);
    const warnings = [{ ruleCode: 'TM-YTD-001', severity: 'warning' } as never];
    store.validated(receipt.filingId, 'needs-explanation', warnings);
    await service.explain(receipt.filingId, { explanations: [explanation] }, filer);
    store.validated(receipt.filingId, 'needs-explanation', warnings);
    const better = { ...explanation, text: '本月新签大额合同，已附合同编号' };
    const again = await service.explain(receipt.filingId, { explanations: [better] }, filer);

    expect(again).toMatchObject({ revision: 1, attempt: 3, status: 'received' });
    const revision = store.revisions[0]!;
    expect(revision.explanations).toEqual([better]);
    expect(again.contentSha256).toBe(revision.contentSha256);
    expect(again.contentSha256).not.toBe(receipt.contentSha256);
    expect(store.filings.get(receipt.filingId)!.status).toBe('received');
    expect(store.published.at(-1)!.payload).toMatchObject({ attempt: 3, explanations: [better] });
  });

  it('refuses an explanation of a warning the revision does not have, changing nothing', async () => {
    const { store, service, filer } = setUp();
    const { receipt } = await service.submit(body, filer, undefined);
    store.validated(receipt.filingId, 'needs-explanation', [{ ruleCode: 'TM-YTD-001', severity: 'warning' } as never]);
    const problem = await problemOf(
      service.explain(receipt.filingId, { explanations: [{ ...explanation, ruleCode: 'TM-SUM-001' }] }, filer),
    );
    expect(problem.errors.map((e) => e.code)).toContain('EXPLANATION.NO_SUCH_WARNING');
    expect(store.revisions[0]).toMatchObject({ status: 'needs-explanation', attempt: 1, explanations: [] });
    expect(store.published).toHaveLength(1);
    expect(
      await problemOf(service.explain(receipt.filingId, { explanations: [explanation] }, principals.park('P01'))),
    ).toMatchObject({ status: 403 });
  });

  it('records who returned a filing and why, keeping the figures', async () => {
    const { store, service, filer } = setUp();
    const { receipt } = await service.submit(body, filer, undefined);
    const view = await service.returnFiling(
      receipt.filingId,
      { comment: '  请核实研发人员数  ' },
      principals.park('P01'),
    );
    expect(view.current.returned).toEqual({
      comment: '请核实研发人员数',
      by: principals.park('P01').subject,
      at: clock.now().toISOString(),
    });
    expect(view.current.values).toEqual(body.values);
    expect(store.revisions[0]!.contentSha256).toBe(receipt.contentSha256);
    const short = await problemOf(service.returnFiling(receipt.filingId, { comment: '不对' }, principals.park('P01')));
    expect(short.errors.map((e) => e.code)).toEqual(['RETURN.COMMENT']);
  });
});
