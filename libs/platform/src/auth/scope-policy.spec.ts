import type { ProblemException } from '../http/problem';
import type { Principal } from './principal';
import { assertInScope, isInScope, queryScope, scopeCodes, scopeFilter } from './scope-policy';

const park: Principal = { subject: 'p', role: 'park', scope: ['PT', 'CN'] };
const street: Principal = { subject: 's', role: 'street', scope: ['310104003'] };
const commission: Principal = { subject: 'c', role: 'commission', scope: [] };

function refusal(run: () => unknown): ProblemException {
  try {
    run();
  } catch (error) {
    return error as ProblemException;
  }
  throw new Error('not refused');
}

describe('scope policy', () => {
  it('narrows a query to the code it names inside the scope, or to the whole scope', () => {
    expect(queryScope(park, { park: 'PT' })).toEqual({ kind: 'park', codes: ['PT'] });
    expect(queryScope(park, {})).toEqual({ kind: 'park', codes: ['PT', 'CN'] });
    expect(queryScope(commission, { street: '310104003' })).toEqual({ kind: 'street', codes: ['310104003'] });
    expect(queryScope(commission, {})).toEqual({ kind: 'all' });
  });

  it('refuses a foreign code of its own kind, or of a kind its scope cannot hold, with 403 naming it', () => {
    const foreign = refusal(() => queryScope(park, { park: 'PD' }));
    expect(foreign.status).toBe(403);
    expect(foreign.toProblem()).toMatchObject({ code: 'AUTH.FORBIDDEN', scope: { kind: 'park', code: 'PD' } });
    expect(foreign.detail).toContain('park PD');
    expect(foreign.detailZh).toContain('园区 PD');
    expect(refusal(() => queryScope(street, { park: 'PT' })).toProblem()).toMatchObject({
      scope: { kind: 'park', code: 'PT' },
    });
  });

  it('keeps the whole zone for the commission and admins', () => {
    expect(isInScope(commission, 'park', 'all')).toBe(true);
    expect(isInScope(park, 'park', 'all')).toBe(false);
    expect(refusal(() => assertInScope(park, 'park', 'all')).toProblem()).toMatchObject({ scope: { kind: 'zone' } });
  });

  it('turns the filter into the codes a repository binds', () => {
    expect(scopeCodes(scopeFilter(park), 'park')).toEqual(['PT', 'CN']);
    expect(scopeCodes(scopeFilter(street), 'park')).toEqual([]);
    expect(scopeCodes(scopeFilter(commission), 'park')).toBeUndefined();
  });
});
