import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HTTP_SERVICES, serviceDocument, type HttpServiceName } from './documents';

const root = resolve(__dirname, '../../../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const services = Object.keys(HTTP_SERVICES) as HttpServiceName[];

interface Operation {
  operationId: string;
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

describe('OpenAPI documents', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'huoju-openapi-'));
    for (const service of services)
      writeFileSync(join(dir, `${service}.json`), JSON.stringify(serviceDocument(service, 'http://127.0.0.1')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('give every operation its schemas: a request body where it takes one, a success and problem+json responses', () => {
    for (const service of services) {
      const document = serviceDocument(service) as { paths: Record<string, Record<string, Operation>> };
      const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
      expect(operations).toHaveLength(Object.keys(HTTP_SERVICES[service].routes).length);
      for (const operation of operations) {
        const route = HTTP_SERVICES[service].routes[operation.operationId]!;
        if (route.body || route.bodyFiles) expect(operation.requestBody).toBeDefined();
        const success = Object.entries(operation.responses).filter(([status]) => Number(status) < 300);
        expect(success.length).toBeGreaterThan(0);
        for (const [status, response] of success)
          if (status !== '204')
            expect([operation.operationId, Object.keys(response.content ?? {}).length > 0]).toEqual([
              operation.operationId,
              true,
            ]);
        expect(operation.responses['400']?.content?.['application/problem+json']?.schema).toBeDefined();
      }
    }
  });

  it('list the console’s sign-in, session, account and audit operations of intake', () => {
    const document = serviceDocument('intake') as { paths: Record<string, Record<string, Operation>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => `${method} ${path} ${operation.operationId}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'post /v1/auth/sign-in signIn',
        'post /v1/auth/refresh refreshSession',
        'post /v1/auth/sign-out signOut',
        'get /v1/auth/me getMe',
        'get /v1/accounts listAccounts',
        'post /v1/accounts createAccount',
        'patch /v1/accounts/{username} updateAccount',
        'get /v1/audit listAudit',
      ]),
    );
  });

  it('lint clean with Redocly (recommended rules, no warnings)', () => {
    const output = execFileSync(bin('redocly'), ['lint', ...services.map((s) => join(dir, `${s}.json`))], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output).not.toMatch(/\bwarning\b|\berror\b/i);
  });

  it('make a typed client (openapi-typescript) that compiles', () => {
    for (const service of services)
      execFileSync(bin('openapi-typescript'), [join(dir, `${service}.json`), '-o', join(dir, `${service}.ts`)], {
        cwd: root,
        stdio: 'pipe',
      });
    writeFileSync(
      join(dir, 'client.ts'),
      `import type { paths as Intake } from './intake';
import type { paths as Aggregation } from './aggregation';
import type { paths as Exports } from './torch-export';
type Receipt = Intake['/v1/filings']['post']['responses'][202]['content']['application/json'];
type FilingInput = NonNullable<Intake['/v1/filings']['post']['requestBody']>['content']['application/json'];
type Problem = Intake['/v1/filings']['post']['responses'][422]['content']['application/problem+json'];
type Rows = Aggregation['/v1/aggregates']['get']['responses'][200]['content']['application/json']['rows'];
type ExportView = Exports['/v1/exports/{id}']['get']['responses'][200]['content']['application/json'];
export const input: FilingInput = { formId: 'torch-monthly', period: '2026-10', values: { qc05_0: '1.5' } };
export const seen = (r: Receipt, p: Problem, rows: Rows, e: ExportView): string =>
  [r.filingId, r.revision.toFixed(), p.code, p.errors?.[0]?.pointer, rows[0]?.value, e.state].join(' ');
`,
    );
    execFileSync(
      bin('tsc'),
      ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--skipLibCheck', join(dir, 'client.ts')],
      { cwd: dir, stdio: 'pipe', encoding: 'utf8' },
    );
  });
});
