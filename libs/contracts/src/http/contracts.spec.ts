import { z } from 'zod';
import { aggregationRoutes } from './aggregation.routes';
import { queryInt, safeText } from './common.http';
import { explanationBody, filingListQuery } from './filings.http';
import { intakeRoutes } from './intake.routes';
import type { RouteSpec } from './route';
import { torchExportRoutes } from './torch-export.routes';

const tables = { intake: intakeRoutes, aggregation: aggregationRoutes, 'torch-export': torchExportRoutes };
const routes: RouteSpec[] = Object.values(tables).flatMap((table) => Object.values(table));

describe('HTTP contracts', () => {
  it('give every operation a unique id, a success response and JSON-Schema-convertible schemas', () => {
    expect(new Set(routes.map((route) => route.operationId)).size).toBe(routes.length);
    for (const route of routes) {
      expect(Object.keys(route.responses).some((status) => Number(status) < 300)).toBe(true);
      for (const schema of [route.params, route.query, route.headers, route.body]) {
        if (schema) expect(() => z.toJSONSchema(schema, { io: 'input' })).not.toThrow();
      }
      for (const response of Object.values(route.responses)) {
        if (response.schema) expect(() => z.toJSONSchema(response.schema!, { io: 'output' })).not.toThrow();
      }
    }
  });

  it('refuse NUL and lone surrogates, and cap text before anything else runs', () => {
    const text = safeText(16);
    expect(text.safeParse('𠮷😀\u200f<script>').success).toBe(true);
    expect(
      text.safeParse('a\u0000b').error?.issues.map((i) => (i.code === 'custom' ? i.params?.code : i.code)),
    ).toEqual(['TEXT.NUL']);
    expect(text.safeParse('\ud800x').error?.issues.map((i) => (i.code === 'custom' ? i.params?.code : i.code))).toEqual(
      ['TEXT.ENCODING'],
    );
    // One issue only: the cap aborts the chain, so no later check sees the long text.
    expect(text.safeParse('\u0000'.repeat(17)).error?.issues.map((i) => i.code)).toEqual(['too_big']);
    const long = explanationBody.safeParse({ ruleCode: 'R', reasonCode: 'OTHER', text: 'x'.repeat(2001) });
    expect(long.error?.issues.map((i) => [i.path.join('/'), i.code])).toEqual([['text', 'too_big']]);
  });

  it('bound integers in query strings by their text, and refuse repeated or unknown parameters', () => {
    const page = queryInt(100_000);
    expect(page.parse('42')).toBe(42);
    for (const bad of ['1e20', '99999999999999999999', '0', '-1', '1.5', ' 1', '100001']) {
      expect(page.safeParse(bad).success).toBe(false);
    }
    expect(filingListQuery.safeParse({ period: ['2026-09', '2026-10'] }).success).toBe(false);
    expect(filingListQuery.safeParse({ nope: '1' }).success).toBe(false);
  });
});
