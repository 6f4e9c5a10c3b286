import fc from 'fast-check';
import { bearer, enterpriseBody, generateRoster, principals, sqlQuery } from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';

/** One generated request, kept as data so a failure can print exactly what was sent. */
interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array;
}

const SEED = 20_261_201;
/** 520 batches of 20: 10,400 requests. */
const RUNS = 520;
const BATCH = 20;
const CONCURRENCY = 10;

/** Text that broke the services before: NUL, lone surrogates, bidi marks, SQL, huge numbers as text, long text. */
const nastyText = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\ud800x',
  'x\udfff',
  '𠮷野家',
  '\u202emalicious',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '%00',
  '',
  ' ',
  '1e400',
  '-0',
  '99999999999999999999',
  '2026-13',
  '2026-09',
  '91310107MA1FL3XB5X',
);
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }), nastyText);
/** Long text only in bodies: a URL past Node's 16 KB header limit never reaches the application. */
const bodyText = fc.oneof(text, fc.constantFrom('x'.repeat(2_001), '张'.repeat(40_000)));

const { value: jsonValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    bodyText,
    fc.integer(),
    fc.double(),
    fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 0.1, null, true, false),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
}));

/** A valid body with one field (top level or nested) replaced by anything, or removed. */
function mutate(valid: unknown, choice: number, replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        slots.push([node, index]);
        walk(item);
      });
    } else if (node && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        slots.push([node as Record<string, unknown>, key]);
        walk(item);
      }
    }
  };
  walk(copy);
  if (slots.length === 0) return replacement;
  const [parent, key] = slots[choice % slots.length]!;
  if (remove && !Array.isArray(parent)) delete parent[key as string];
  else (parent as Record<string | number, unknown>)[key] = replacement;
  return copy;
}

/** Bytes of an odd body: not UTF-8, truncated, BOM, overlong, deep nesting, numbers JSON cannot hold. */
const rawBody = fc.constantFrom(
  Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
  Buffer.from('\uFEFF{"nameZh":"x"}'),
  Buffer.from('{"nameZh":"x"'),
  Buffer.from('{"page":1e400,"values":{"qc55":1e400}}'),
  Buffer.from('['.repeat(5_000) + ']'.repeat(5_000)),
  Buffer.from('{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'),
  Buffer.from('nameZh=x&uscc=y'),
  Buffer.from(''),
  Buffer.from('null'),
  Buffer.from('"\\u0000"'),
  Buffer.from('{"nameZh":"\\ud800"}'),
);

const oddContentType = fc.constantFrom(
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/problem+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'text/csv',
  'multipart/form-data; boundary=x',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ';;;',
  '',
  undefined,
);

/** A percent-encoding of every byte, so any string (lone surrogates included) can be sent. */
// Mostly JSON, so that most requests get past the media-type check to the validators and the services.
const contentType = fc.oneof(
  { weight: 7, arbitrary: fc.constant('application/json') },
  { weight: 3, arbitrary: oddContentType },
);

const percent = (value: string) =>
  [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const queryKey = fc.constantFrom(
  'page',
  'pageSize',
  'uscc',
  'period',
  'park',
  'q',
  'status',
  'formId',
  'dryRun',
  'format',
  'member',
  'asOf',
  'x',
);
const queryValue = fc.oneof(
  text,
  fc.constantFrom('1', '0', '-1', '1e20', '99999999999999999999', '2026-09', 'true', 'CN'),
);
const garbage = fc.constantFrom(
  '',
  '',
  '',
  '&',
  '&&==',
  '%',
  '%zz',
  '%C0%80',
  '%ff%fe',
  'a=%00',
  '=',
  '&page=1&page=2',
);
const query = fc
  .tuple(fc.array(fc.tuple(queryKey, queryValue, fc.boolean()), { maxLength: 5 }), garbage)
  .map(([pairs, junk]) =>
    [
      ...pairs.map(
        ([key, value, encoded]) =>
          `${key}=${encoded ? percent(value) : encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}`,
      ),
      junk,
    ]
      .filter(Boolean)
      .join('&'),
  );

const headerValue = fc.stringMatching(/^[!-~ ]{0,40}$/);

describe('intake HTTP fuzzing', () => {
  let intake: RunningIntake;
  const [first, second] = generateRoster({ size: 40, seed: 1_201 }).filter((e) =>
    e.scope.some((s) => s.formId === 'torch-monthly'),
  );
  const filing = {
    formId: 'torch-monthly',
    period: '2026-09',
    values: { qc05_0: '1200.5', qc55: '1000', qd01: '35', qj20: '88.25' },
  };
  let filingId = '';
  let tokens: string[] = [];

  beforeAll(async () => {
    intake = await startTestIntake();
    const created = await intake.http.post('/v1/enterprises', { as: principals.admin, body: enterpriseBody(first!) });
    expect(created.status).toBe(201);
    const submitted = await intake.http.post<{ filingId: string }>('/v1/filings', {
      as: principals.enterprise(first!.uscc),
      body: filing,
    });
    expect(submitted.status).toBeLessThan(300);
    filingId = submitted.body.filingId;
    tokens = await Promise.all(
      [
        principals.admin,
        principals.park(first!.parkCode),
        principals.enterprise(first!.uscc),
        principals.commission,
      ].map((principal) => bearer(principal)),
    );
  });

  afterAll(() => intake.stop());

  it('answers 10,000 generated requests with 2xx or 4xx problem+json, never 5xx, and stores nothing half', async () => {
    const uscc = fc.oneof(fc.constant(first!.uscc), fc.constant(second!.uscc), text);
    const id = fc.oneof(fc.constant(filingId), fc.uuid(), text);
    const pathParam = (value: string) => (value === '' ? '%20' : percent(value));
    const validBodies = [
      enterpriseBody(second!),
      filing,
      { nameZh: 'x', contact: { name: 'y', phone: '021-62345678' } },
    ];
    const body = fc.oneof(
      { weight: 3, arbitrary: jsonValue.map((value) => Buffer.from(JSON.stringify(value) ?? 'null')) },
      {
        weight: 6,
        arbitrary: fc
          .tuple(fc.constantFrom(...validBodies), fc.nat(), jsonValue, fc.boolean())
          .map(([valid, choice, replacement, remove]) =>
            Buffer.from(JSON.stringify(mutate(valid, choice, replacement, remove)) ?? 'null'),
          ),
      },
      { weight: 1, arbitrary: rawBody },
    );
    const target = fc.oneof(
      fc.constant(['POST', '/v1/filings']),
      fc.constant(['POST', '/v1/filings:validate']),
      id.map((value) => ['POST', `/v1/filings/${pathParam(value)}/explanations`]),
      id.map((value) => ['POST', `/v1/filings/${pathParam(value)}/return`]),
      fc.constant(['POST', '/v1/enterprises']),
      uscc.map((value) => ['PATCH', `/v1/enterprises/${pathParam(value)}`]),
      fc
        .tuple(
          uscc,
          fc.constantFrom('memberships', 'memberships/close', 'streets', 'qualifications', 'scope', 'scope/close'),
        )
        .map(([value, change]) => ['POST', `/v1/enterprises/${pathParam(value)}/${change}`]),
      fc.constant(['POST', '/v1/api-keys']),
      fc.constant(['POST', '/v1/auth/token']),
      fc.constant(['GET', '/v1/filings']),
      id.map((value) => ['GET', `/v1/filings/${pathParam(value)}`]),
      fc
        .tuple(id, text)
        .map(([value, revision]) => ['GET', `/v1/filings/${pathParam(value)}/revisions/${pathParam(revision)}`]),
      fc.constant(['GET', '/v1/enterprises']),
      uscc.map((value) => ['GET', `/v1/enterprises/${pathParam(value)}`]),
      uscc.map((value) => ['GET', `/v1/enterprises/${pathParam(value)}/history`]),
      fc.constant(['GET', '/v1/forms']),
      text.map((value) => ['GET', `/v1/forms/${pathParam(value)}/rules`]),
      fc.constant(['GET', '/v1/api-keys']),
      fc.constant(['GET', '/v1/enterprises:import/template']),
    );
    const request: fc.Arbitrary<FuzzRequest> = fc
      .record({
        target,
        query,
        body,
        contentType,
        token: fc.oneof(
          { weight: 8, arbitrary: fc.nat({ max: tokens.length - 1 }).map((index) => tokens[index]!) },
          { weight: 2, arbitrary: fc.constantFrom(undefined, 'Bearer x.y.z', 'ApiKey nope', 'Basic Og==') },
        ),
        extra: fc.dictionary(
          fc.constantFrom(
            'idempotency-key',
            'accept',
            'accept-language',
            'x-forwarded-for',
            'x-correlation-id',
            'content-encoding',
            'if-match',
          ),
          headerValue,
          { maxKeys: 3 },
        ),
      })
      .map(({ target: [method, path], query: search, body: bytes, contentType: type, token, extra }) => ({
        method: method!,
        path: path!,
        query: search,
        headers: {
          ...extra,
          ...(type === undefined ? {} : { 'content-type': type }),
          ...(token ? { authorization: token } : {}),
        },
        ...(method === 'GET' ? {} : { body: bytes }),
      }));

    let sent = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const failures: string[] = [];
        for (let start = 0; start < batch.length; start += CONCURRENCY) {
          await Promise.all(
            batch.slice(start, start + CONCURRENCY).map(async (fuzz) => {
              const response = await fetch(`${intake.url}${fuzz.path}${fuzz.query ? `?${fuzz.query}` : ''}`, {
                method: fuzz.method,
                headers: fuzz.headers,
                ...(fuzz.body ? { body: fuzz.body } : {}),
              });
              const type = response.headers.get('content-type') ?? '';
              await response.arrayBuffer();
              sent++;
              statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
              const ok = response.status < 400 || (response.status < 500 && type.includes('application/problem+json'));
              if (!ok)
                failures.push(
                  `${response.status} ${type} for ${fuzz.method} ${fuzz.path.slice(0, 200)}?${fuzz.query.slice(0, 300)} ${JSON.stringify(fuzz.headers).slice(0, 300)} ${fuzz.body ? Buffer.from(fuzz.body).toString('utf8').slice(0, 300) : ''}`,
                );
            }),
          );
        }
        expect(failures).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.info(`fuzzed ${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(sent).toBeGreaterThanOrEqual(10_000);

    const schema = `intake_${intake.namespace}`;
    const [halves] = await sqlQuery<{ filings: string; enterprises: string }>(
      `SELECT (SELECT count(*) FROM "${schema}".filing f WHERE NOT EXISTS (
                 SELECT 1 FROM "${schema}".filing_revision r WHERE r.filing_id = f.id AND r.revision = f.current_revision)) AS filings,
              (SELECT count(*) FROM "${schema}".enterprise e WHERE NOT EXISTS (
                 SELECT 1 FROM "${schema}".enterprise_membership m WHERE m.uscc = e.uscc)) AS enterprises`,
    );
    expect(halves).toEqual({ filings: '0', enterprises: '0' });
  }, 600_000);
});
