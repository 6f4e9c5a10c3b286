import { bearer, enterpriseBody, generateRoster, principals, type JsonResponse } from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';
import { CSV, postRoster, rosterCells, rosterCsv, type ImportProblem } from './roster-file.fixture';

interface Problem {
  status: number;
  code: string;
  errors?: { pointer: string; code: string; messageZh: string; messageEn: string }[];
}

/** Issue 12, holes 1, 2 and 5: every bad input is a 4xx problem+json naming its field, and nothing is stored. */
describe('intake input hardening', () => {
  let intake: RunningIntake;
  const [first, second] = generateRoster({ size: 40, seed: 12 }).filter((e) =>
    e.scope.some((s) => s.formId === 'torch-monthly'),
  );
  const filer = principals.enterprise(first!.uscc);
  const filing = {
    formId: 'torch-monthly',
    period: '2026-09',
    values: { qc05_0: '1200.5', qc55: '1000', qd01: '35', qj20: '88.25' },
  };
  const someFiling = '0b6f9a52-3f1e-4f5a-9c43-2d7c1b7e8a10';

  beforeAll(async () => {
    intake = await startTestIntake();
    for (const e of [first!, second!]) {
      const created = await intake.http.post('/v1/enterprises', { as: principals.admin, body: enterpriseBody(e) });
      expect(created.status).toBe(201);
    }
  });

  afterAll(() => intake.stop());

  function expectProblem(response: JsonResponse<unknown>, status: number, pointer: string, code?: string): void {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = response.body as Problem;
    const errors = (problem.errors ?? []).filter((e) => e.pointer === pointer);
    expect(errors.length > 0 ? errors.map((e) => e.pointer) : [problem]).toEqual([pointer]);
    if (code) expect(errors.map((e) => e.code)).toContain(code);
    for (const error of errors) expect(error.messageZh && error.messageEn).toBeTruthy();
  }

  async function stored(uscc: string): Promise<{ nameZh: string; contact: { name: string; email: string } }> {
    const response = await intake.http.get<{ nameZh: string; contact: { name: string; email: string } }>(
      `/v1/enterprises/${uscc}`,
      { as: principals.admin },
    );
    return response.body;
  }

  it('refuses NUL in every text: names, explanations, return comments, CSV cells, query strings and paths', async () => {
    const created = await intake.http.post('/v1/enterprises', {
      as: principals.admin,
      body: { ...enterpriseBody(generateRoster({ size: 1, seed: 99 })[0]!), nameZh: '上海\u0000科技' },
    });
    expectProblem(created, 422, '/nameZh', 'TEXT.NUL');
    expectProblem(
      await intake.http.patch(`/v1/enterprises/${first!.uscc}`, { as: principals.admin, body: { nameZh: 'a\u0000b' } }),
      422,
      '/nameZh',
      'TEXT.NUL',
    );
    expectProblem(
      await intake.http.post(`/v1/filings/${someFiling}/explanations`, {
        as: filer,
        body: { explanations: [{ ruleCode: 'TM-YTD-001', reasonCode: 'OTHER', text: '收入\u0000确认' }] },
      }),
      422,
      '/explanations/0/text',
      'TEXT.NUL',
    );
    expectProblem(
      await intake.http.post(`/v1/filings/${someFiling}/return`, {
        as: principals.commission,
        body: { comment: '请核实\u0000研发费用' },
      }),
      422,
      '/comment',
      'TEXT.NUL',
    );
    const cells = { ...rosterCells(generateRoster({ size: 1, seed: 98 })[0]!), nameZh: '名录\u0000企业' };
    const imported = await postRoster<ImportProblem>(intake.url, rosterCsv([cells]), {
      as: principals.admin,
      contentType: CSV,
    });
    expect(imported.status).toBe(422);
    expect(imported.body.errors.map((e) => `${e.column} ${e.code}`)).toContain('企业名称 nameZh TEXT.NUL');
    for (const [path, pointer] of [
      ['/v1/filings?uscc=a%00b', '/query/uscc'],
      ['/v1/filings?period=%00', '/query/period'],
      ['/v1/enterprises?q=a%00b', '/query/q'],
      ['/v1/enterprises/%00', '/path/uscc'],
    ] as const) {
      expectProblem(await intake.http.get(path, { as: principals.admin }), 400, pointer, 'TEXT.NUL');
    }
  });

  it('refuses lone surrogates instead of storing U+FFFD', async () => {
    const before = await stored(first!.uscc);
    expectProblem(
      await intake.http.patch(`/v1/enterprises/${first!.uscc}`, {
        as: principals.admin,
        raw: '{"nameZh":"\\ud800x公司"}',
      }),
      422,
      '/nameZh',
      'TEXT.ENCODING',
    );
    expectProblem(
      await intake.http.post(`/v1/filings/${someFiling}/explanations`, {
        as: filer,
        raw: '{"explanations":[{"ruleCode":"TM-YTD-001","reasonCode":"OTHER","text":"\\udc00 说明"}]}',
      }),
      422,
      '/explanations/0/text',
      'TEXT.ENCODING',
    );
    expect(await stored(first!.uscc)).toEqual(before);
  });

  it('caps every text field before any pattern: explanations, return comments, names and contacts', async () => {
    for (const text of ['说'.repeat(2001), 'x'.repeat(100 * 1024)]) {
      expectProblem(
        await intake.http.post(`/v1/filings/${someFiling}/explanations`, {
          as: filer,
          body: { explanations: [{ ruleCode: 'TM-YTD-001', reasonCode: 'OTHER', text }] },
        }),
        422,
        '/explanations/0/text',
        'FIELD.TOO_LONG',
      );
    }
    expectProblem(
      await intake.http.post(`/v1/filings/${someFiling}/return`, {
        as: principals.commission,
        body: { comment: '请'.repeat(100 * 1024) },
      }),
      422,
      '/comment',
      'FIELD.TOO_LONG',
    );
    const before = await stored(first!.uscc);
    const contact = { name: '张'.repeat(100 * 1024), phone: '021-50801234', email: 'a@example.com' };
    expectProblem(
      await intake.http.patch(`/v1/enterprises/${first!.uscc}`, { as: principals.admin, body: { contact } }),
      422,
      '/contact/name',
      'FIELD.TOO_LONG',
    );
    // The ReDoS input of the review: refused by its length, so the e-mail pattern never sees it.
    const redos = { ...contact, name: '张三', email: `${'a'.repeat(16_000)}@${'.a'.repeat(8_000)}` };
    expectProblem(
      await intake.http.patch(`/v1/enterprises/${first!.uscc}`, { as: principals.admin, body: { contact: redos } }),
      422,
      '/contact/email',
      'FIELD.TOO_LONG',
    );
    // PATCH checks the contact like POST does.
    expectProblem(
      await intake.http.patch(`/v1/enterprises/${first!.uscc}`, {
        as: principals.admin,
        body: { contact: { ...contact, name: '张三', email: 'not-an-address' } },
      }),
      422,
      '/contact/email',
      'CONTACT.EMAIL',
    );
    expectProblem(
      await intake.http.patch(`/v1/enterprises/${first!.uscc}`, {
        as: principals.admin,
        body: { nameZh: { a: 'bc' } },
      }),
      422,
      '/nameZh',
      'FIELD.TYPE',
    );
    expect(await stored(first!.uscc)).toEqual(before);
  });

  it('answers a PATCH to another enterprise’s name with 409, like POST', async () => {
    const response = await intake.http.patch<Problem>(`/v1/enterprises/${first!.uscc}`, {
      as: principals.admin,
      body: { nameZh: second!.nameZh },
    });
    expect(response).toMatchObject({ status: 409, body: { code: 'ENTERPRISE.EXISTS' } });
    expect((await stored(first!.uscc)).nameZh).toBe(first!.nameZh);
  });

  it('bounds query integers, refuses repeated and unknown parameters, and ids that are not UUIDs', async () => {
    for (const [path, pointer, code] of [
      ['/v1/filings?page=1e20', '/query/page', 'FIELD.FORMAT'],
      ['/v1/filings?page=99999999999999999999', '/query/page', 'FIELD.FORMAT'],
      ['/v1/enterprises?pageSize=501', '/query/pageSize', 'FIELD.TOO_BIG'],
      ['/v1/filings?period=2026-09&period=2026-08', '/query/period', 'PARAMETER.REPEATED'],
      [`/v1/filings?uscc=${first!.uscc}&uscc=${second!.uscc}`, '/query/uscc', 'PARAMETER.REPEATED'],
      ['/v1/enterprises?park=CORE&park=PT', '/query/park', 'PARAMETER.REPEATED'],
      ['/v1/enterprises?colour=red', '/query/colour', 'PARAMETER.UNKNOWN'],
      ['/v1/filings/not-a-uuid', '/path/id', 'FIELD.FORMAT'],
      [`/v1/filings/${someFiling}/revisions/1e3`, '/path/revision', 'FIELD.FORMAT'],
    ] as const) {
      expectProblem(await intake.http.get(path, { as: principals.admin }), 400, pointer, code);
    }
  });

  it('reads bodies only as JSON in UTF-8: no form data, other charsets, BOM or invalid bytes', async () => {
    const send = async (contentType: string, body: Uint8Array | string): Promise<JsonResponse<Problem>> => {
      const response = await fetch(`${intake.url}/v1/filings`, {
        method: 'POST',
        headers: { authorization: await bearer(filer), 'content-type': contentType },
        body,
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Problem };
    };
    const json = JSON.stringify(filing);
    expect(await send('application/x-www-form-urlencoded', 'formId=torch-monthly&period=2026-09')).toMatchObject({
      status: 415,
    });
    expect(await send('text/plain', json)).toMatchObject({ status: 415 });
    expect(await send('application/json; charset=utf-16', json)).toMatchObject({
      status: 415,
      body: { code: 'REQUEST.CHARSET' },
    });
    expect(await send('application/json', `\uFEFF${json}`)).toMatchObject({
      status: 400,
      body: { code: 'REQUEST.BOM' },
    });
    const utf8 = Buffer.from(
      JSON.stringify({ ...filing, explanations: [{ ruleCode: 'R', reasonCode: 'X', text: '@@' }] }),
    );
    const at = utf8.indexOf('@@');
    utf8[at] = 0xc3; // a lead byte followed by "@" is not UTF-8
    const invalid = await send('application/json', new Uint8Array(utf8));
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('REQUEST.ENCODING');
    expect(invalid.body.errors?.map((e) => e.pointer)).toEqual(['/explanations/0/text']);
    const filings = await intake.http.get<{ total: number }>('/v1/filings', { as: filer });
    expect(filings.body.total).toBe(0);
  });

  it('answers the dry run with PERIOD_NOT_OPEN like the submission', async () => {
    const early = { ...filing, period: '2027-05' };
    const submitted = await intake.http.post<Problem>('/v1/filings', { as: filer, body: early });
    const dryRun = await intake.http.post<Problem>('/v1/filings:validate', { as: filer, body: early });
    expect(submitted.body.errors?.map((e) => e.code)).toContain('FILING.PERIOD_NOT_OPEN');
    expect(dryRun.status).toBe(422);
    expect(dryRun.body.errors?.map((e) => e.code)).toEqual(submitted.body.errors?.map((e) => e.code));
  });

  it('keeps text with SQL, markup, supplementary characters, emoji and RTL marks byte-identical', async () => {
    const name = `'; DROP TABLE enterprise; -- <script>alert(1)</script> 𠮷野家 😀 \u200f\u202eمرحبا`;
    const updated = await intake.http.patch(`/v1/enterprises/${first!.uscc}`, {
      as: principals.admin,
      body: { nameZh: name },
    });
    expect(updated.status).toBe(200);
    expect(Buffer.from((await stored(first!.uscc)).nameZh)).toEqual(Buffer.from(name));
  });

  it('serves its OpenAPI document, made from the same contracts, at /docs-json', async () => {
    const docs = await intake.http.get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      '/docs-json',
    );
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toBe('3.1.0');
    expect(docs.body.paths['/v1/filings']).toHaveProperty('post.requestBody.content.application/json.schema');
    expect(docs.body.paths['/v1/filings/{id}']).toHaveProperty('get.responses.200.content.application/json.schema');
  });
});
