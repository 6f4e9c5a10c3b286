import {
  FILING_STATUSES,
  moveStatus,
  nextStatus,
  statusListSql,
  type FilingStatus,
  type FilingTransition,
} from './filing-status';

const OUTCOMES = ['accepted', 'needs-explanation', 'rejected'] as const;

describe('a filing status machine', () => {
  it('opens every new revision as received, whatever the filing was', () => {
    for (const current of [null, ...FILING_STATUSES])
      expect(nextStatus(current, { kind: 'submitted' })).toBe('received');
  });

  it('marks only a received revision validating when its event is published', () => {
    for (const current of FILING_STATUSES)
      expect(nextStatus(current, { kind: 'published' })).toBe(current === 'received' ? 'validating' : null);
  });

  it('takes the verdict’s outcome, except that a returned revision stays returned', () => {
    for (const current of FILING_STATUSES)
      for (const outcome of OUTCOMES)
        expect(nextStatus(current, { kind: 'validated', outcome })).toBe(current === 'returned' ? 'returned' : outcome);
  });

  it('re-opens only a revision that needs explanation', () => {
    for (const current of FILING_STATUSES)
      expect(nextStatus(current, { kind: 'explained' })).toBe(current === 'needs-explanation' ? 'received' : null);
  });

  it('lets a reviewer return a stored revision in any status', () => {
    for (const current of FILING_STATUSES) expect(nextStatus(current, { kind: 'returned' })).toBe('returned');
    expect(nextStatus(null, { kind: 'returned' })).toBeNull();
  });

  it('never leads to a status outside the list', () => {
    const transitions: FilingTransition[] = [
      { kind: 'submitted' },
      { kind: 'published' },
      { kind: 'explained' },
      { kind: 'returned' },
      ...OUTCOMES.map((outcome) => ({ kind: 'validated' as const, outcome })),
    ];
    for (const current of FILING_STATUSES)
      for (const transition of transitions) {
        const next = nextStatus(current, transition);
        if (next !== null) expect(FILING_STATUSES).toContain(next);
      }
  });

  it('writes status lists as SQL literals', () => {
    expect(statusListSql(['received', 'validating'] as FilingStatus[])).toBe("('received', 'validating')");
  });

  it('moves a revision and, only when it is the current one, its filing', () => {
    const before = new Date('2026-01-01T00:00:00Z');
    const filing = { status: 'needs-explanation' as FilingStatus, currentRevision: 2, updatedAt: before };
    const older = { status: 'needs-explanation' as FilingStatus, revision: 1 };
    expect(moveStatus(filing, older, { kind: 'explained' })).toBe(true);
    expect([older.status, filing.status, filing.updatedAt]).toEqual(['received', 'needs-explanation', before]);

    const current = { status: 'needs-explanation' as FilingStatus, revision: 2 };
    expect(moveStatus(filing, current, { kind: 'explained' })).toBe(true);
    expect([current.status, filing.status]).toEqual(['received', 'received']);
    expect(filing.updatedAt.getTime()).toBeGreaterThan(before.getTime());
  });

  it('leaves both alone when the transition is not allowed', () => {
    const filing = { status: 'accepted' as FilingStatus, currentRevision: 1, updatedAt: new Date(0) };
    const revision = { status: 'accepted' as FilingStatus, revision: 1 };
    expect(moveStatus(filing, revision, { kind: 'explained' })).toBe(false);
    expect([revision.status, filing.status, filing.updatedAt.getTime()]).toEqual(['accepted', 'accepted', 0]);
  });
});
