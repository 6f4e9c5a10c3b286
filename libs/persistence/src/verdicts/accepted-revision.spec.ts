import { acceptedRevisions } from './accepted-revision';

const v = (revision: number, verdict: number, outcome: string) => ({
  uscc: 'A',
  formId: 'torch-monthly',
  period: '2026-09',
  revision,
  verdict,
  outcome,
});

describe(acceptedRevisions.name, () => {
  it('takes the highest revision whose newest verdict accepted it', () => {
    expect(
      acceptedRevisions([v(1, 1, 'accepted'), v(2, 1, 'needs-explanation')]).get('torch-monthly|2026-09|A')?.revision,
    ).toBe(1);
    expect(acceptedRevisions([v(2, 1, 'accepted'), v(1, 1, 'accepted')]).get('torch-monthly|2026-09|A')?.revision).toBe(
      2,
    );
  });

  it('lets a newer verdict of a revision replace an older one, in any order of arrival', () => {
    expect(
      acceptedRevisions([v(1, 2, 'accepted'), v(1, 1, 'needs-explanation')]).get('torch-monthly|2026-09|A')?.verdict,
    ).toBe(2);
    expect(acceptedRevisions([v(1, 1, 'accepted'), v(1, 2, 'rejected')]).size).toBe(0);
  });
});
