// The real platform for the browser tests: the four services as separate processes (the way e2e starts
// them, from dist/), a demo loaded through the public APIs, and the console host in front of them.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const REPOSITORY_ROOT = findRoot(process.cwd());

function findRoot(from: string): string {
  // Works the same under Playwright (CommonJS) and Node's type stripping (ESM): no __dirname.
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
  }
  throw new Error(`no nx.json above ${from}`);
}
const STATE_FILE = path.join(REPOSITORY_ROOT, 'tmp', 'web-e2e', 'state.json');
const requireDist = createRequire(path.join(REPOSITORY_ROOT, 'dist', 'index.js'));

export const ADMIN_API_KEY = 'admin.web-e2e-admin-secret-0123456789';

export interface DemoCredential {
  readonly role: string;
  readonly scope: readonly string[];
  readonly label: string;
  readonly apiKey: string;
}

export interface DemoAccount {
  readonly role: string;
  readonly username: string;
  readonly scope: readonly string[];
}

export interface PlatformState {
  readonly baseURL: string;
  /** The services' Kafka topic prefix and schema suffix: direct bulk loads publish into it. */
  readonly namespace: string;
  readonly accounts: DemoAccount[];
  readonly password: string;
  readonly urls: Record<'intake' | 'aggregation' | 'torchExport', string>;
  readonly credentials: DemoCredential[];
  readonly periods: string[];
  /** The test signing key the services were started with (each process of the harness makes its own). */
  readonly signingKey: Record<string, string>;
  readonly clockStart: string;
}

interface PlatformLike {
  readonly namespace: string;
  startService(service: string): Promise<void>;
  stop(): Promise<void>;
  url(service: string): string;
}
interface HostLike {
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startPlatform(options: { port?: number; size?: number } = {}) {
  const testing = requireDist('./libs/testing/src/index.js') as {
    Platform: new (env: Record<string, string>) => PlatformLike;
    TEST_SIGNING_KEY: Record<string, string>;
    TEST_CLOCK_START: string;
  };
  const { loadDemo } = requireDist('./tools/demo/src/load-demo.js') as {
    loadDemo: (
      options: Record<string, unknown>,
    ) => Promise<{ credentials: DemoCredential[]; periods: string[]; accounts: DemoAccount[]; password: string }>;
  };
  const { createHost } = requireDist('./apps/web-host/src/host.js') as {
    createHost: (options: Record<string, unknown>) => Promise<HostLike>;
  };
  const platform = new testing.Platform({
    ADMIN_API_KEY,
    DEMO_BACKDATING: 'on',
    // The webhook test's receiver listens on 127.0.0.1.
    COMPLIANCE_WEBHOOK_ALLOW_LOOPBACK: 'true',
  });
  try {
    // One after another: services creating their topics at the same moment on the shared broker sometimes
    // meet "This server does not host this topic-partition" and exit.
    mkdirSync(path.join(REPOSITORY_ROOT, 'tmp', 'service-logs', platform.namespace), { recursive: true });
    for (const service of ['intake', 'validation', 'aggregation', 'torch-export']) await platform.startService(service);
  } catch (error) {
    await platform.stop(); // stops what did start and drops the namespace
    throw error;
  }
  const urls = {
    intake: platform.url('intake'),
    aggregation: platform.url('aggregation'),
    torchExport: platform.url('torch-export'),
  };
  const demo = await loadDemo({
    intakeUrl: urls.intake,
    signingKey: testing.TEST_SIGNING_KEY,
    adminApiKey: ADMIN_API_KEY,
    size: options.size ?? 120,
    seed: 2026,
    now: new Date(testing.TEST_CLOCK_START),
  });
  const host = await createHost({ root: path.join(REPOSITORY_ROOT, 'dist', 'apps', 'web'), upstreams: urls });
  const port = options.port ?? 0;
  const address = await host.listen({ port, host: '127.0.0.1' });
  const state: PlatformState = {
    baseURL: address.replace('localhost', '127.0.0.1'),
    namespace: platform.namespace,
    urls,
    accounts: demo.accounts,
    password: demo.password,
    credentials: demo.credentials,
    periods: demo.periods,
    signingKey: testing.TEST_SIGNING_KEY,
    clockStart: testing.TEST_CLOCK_START,
  };
  mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
  return {
    state,
    stop: async () => {
      await host.close();
      await platform.stop();
    },
  };
}

/** A bearer token for one enterprise, signed with the key the platform under test trusts. */
export async function mintEnterpriseToken(state: PlatformState, uscc: string): Promise<string> {
  const { TokenIssuer } = requireDist('./libs/platform/src/index.js') as {
    TokenIssuer: new (key: Record<string, string>) => {
      mint(principal: { subject: string; role: string; scope: string[] }, ttl: number): Promise<{ token: string }>;
    };
  };
  const minted = await new TokenIssuer(state.signingKey).mint(
    { subject: `web-${uscc}`, role: 'enterprise', scope: [uscc] },
    900,
  );
  return minted.token;
}

export function readState(): PlatformState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as PlatformState;
}

/** A new enterprise with a valid USCC (the shared generator), placed in the given street of park PT. */
export function newEnterpriseIn(street: string): { uscc: string; body: Record<string, unknown> } {
  const { generateRoster } = requireDist('./libs/testing/src/generators/roster.generator.js') as {
    generateRoster: (options: { size: number; seed: number }) => Record<string, unknown>[];
  };
  const [generated] = generateRoster({ size: 1, seed: Date.now() % 1_000_000 });
  const body = {
    ...generated,
    industryCode: 'I6513',
    parkCode: 'PT',
    subParkCode: 'PT-CHANGFENG',
    carrierCode: undefined,
    streetCode: street,
    qualifications: [],
    scope: [{ formId: 'torch-monthly', validFrom: '2025-01-01' }],
    validFrom: '2025-01-01',
  };
  return { uscc: String(generated!.uscc), body };
}

export const ROSTER_HEADER =
  '统一社会信用代码 uscc,企业名称 nameZh,行业代码 industryCode,注册地区划代码 registeredDistrict,统计联系人 contactName,联系电话 contactPhone,电子邮箱 contactEmail,园区代码 parkCode,分园代码 subParkCode,载体代码 carrierCode,街镇代码 streetCode,生效日期 validFrom,资质 qualifications,产业标签 industryTags,报表范围 scope';

/** A roster CSV (the import template's columns) of `size` generated enterprises, all in one street of park PT. */
export function streetRosterCsv(street: string, size: number, seed: number): string {
  const { generateRoster } = requireDist('./libs/testing/src/generators/roster.generator.js') as {
    generateRoster: (options: { size: number; seed: number }) => {
      uscc: string;
      nameZh: string;
      registeredDistrict: string;
      contact: { name: string; phone: string; email: string };
    }[];
  };
  const rows = generateRoster({ size, seed }).map((e) =>
    [
      e.uscc,
      e.nameZh,
      'I6513',
      e.registeredDistrict,
      e.contact.name,
      e.contact.phone,
      e.contact.email,
      'PT',
      'PT-CHANGFENG',
      '',
      street,
      '2025-01-01',
      '',
      'AI',
      'torch-monthly:2025-01-01',
    ].join(','),
  );
  return `${ROSTER_HEADER}\n${rows.join('\n')}\n`;
}

/**
 * Puts `size` generated enterprises of one street of park PT into the services' roster projections by
 * publishing their registry events straight to Kafka (what intake would publish), in one batch: the bulk
 * path the integration tests use, not thousands of HTTP imports. Intake itself does not hold them.
 */
export async function publishStreetRoster(state: PlatformState, street: string, size: number, seed: number) {
  const testing = requireDist('./libs/testing/src/index.js') as {
    generateRoster: (options: { size: number; seed: number }) => Record<string, unknown>[];
    enterpriseChanged: (enterprise: Record<string, unknown>) => { uscc: string };
    testKafka: (clientId: string) => unknown;
    publishEvents: (kafka: unknown, namespace: string, topic: string, events: unknown[]) => Promise<unknown[]>;
  };
  const events = testing.generateRoster({ size, seed }).map((generated) => {
    const payload = testing.enterpriseChanged({
      ...generated,
      parkCode: 'PT',
      subParkCode: 'PT-CHANGFENG',
      carrierCode: null,
      streetCode: street,
      scope: [{ formId: 'torch-monthly', validFrom: '2025-01-01' }],
    });
    return { key: payload.uscc, payload };
  });
  await testing.publishEvents(
    testing.testKafka('web-speed'),
    state.namespace,
    'registry.enterprise-changed.v1',
    events,
  );
  return events.length;
}
