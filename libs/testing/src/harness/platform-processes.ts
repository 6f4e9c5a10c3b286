import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { TEST_CLOCK_START, TEST_AUTH_ENV, httpClient } from './http-client';
import { REPOSITORY_ROOT } from './infrastructure';
import { cleanUpNamespace, eventually, serviceEnvironment, testNamespace } from './test-environment';

export type ServiceName = 'intake' | 'validation' | 'aggregation' | 'torch-export';
const SERVICES: readonly ServiceName[] = ['intake', 'validation', 'aggregation', 'torch-export'];
const SCHEMAS = ['intake', 'validation', 'aggregation', 'torch_export'];

interface RunningService {
  process: ChildProcess;
  port: number;
}

/**
 * The four services as separate Node processes built into dist/, on the real Kafka, PostgreSQL and Redis,
 * isolated in one namespace. Tests can kill (SIGKILL) and restart any of them.
 */
export class Platform {
  readonly namespace: string;
  private readonly running = new Map<ServiceName, RunningService>();
  private readonly ports = new Map<ServiceName, number>();
  private get logDir(): string {
    return path.join(REPOSITORY_ROOT, 'tmp', 'service-logs', this.namespace);
  }

  constructor(
    private readonly extraEnv: Record<string, string> = {},
    options: { namespace?: string; nodeArgs?: (service: ServiceName) => string[] } = {},
  ) {
    this.namespace = options.namespace ?? testNamespace('e2e');
    this.nodeArgs = options.nodeArgs ?? (() => []);
  }

  private readonly nodeArgs: (service: ServiceName) => string[];

  /** The process id of a running service (for CPU and memory readings). */
  pid(service: ServiceName): number | undefined {
    return this.running.get(service)?.process.pid;
  }

  url(service: ServiceName): string {
    return `http://127.0.0.1:${this.ports.get(service)}`;
  }

  http(service: ServiceName) {
    return httpClient(`http://127.0.0.1:${this.ports.get(service)}`);
  }

  async start(services: readonly ServiceName[] = SERVICES): Promise<void> {
    mkdirSync(this.logDir, { recursive: true });
    await Promise.all(services.map((service) => this.startService(service)));
  }

  async startService(service: ServiceName): Promise<void> {
    const port = this.ports.get(service) ?? (await freePort());
    this.ports.set(service, port);
    const log = createWriteStream(path.join(this.logDir, `${service}.log`), { flags: 'a' });
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=TimeoutNegativeWarning',
        ...this.nodeArgs(service),
        path.join(REPOSITORY_ROOT, `dist/apps/${service}/src/main.js`),
      ],
      {
        cwd: REPOSITORY_ROOT,
        env: serviceEnvironment(this.namespace, {
          PORT: String(port),
          ...TEST_AUTH_ENV,
          HUOJU_CLOCK_START: TEST_CLOCK_START,
          RATE_LIMIT_PER_MINUTE: '1000000',
          RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
          ROLLUP_DEBOUNCE_MS: '300',
          LOG_LEVEL: 'info',
          EXPORT_DIR: path.join(REPOSITORY_ROOT, 'tmp', 'exports', this.namespace),
          KAFKAJS_NO_PARTITIONER_WARNING: '1',
          NODE_OPTIONS: '',
          ...this.extraEnv,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.running.set(service, { process: child, port });
    await eventually(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`${service} exited with ${child.exitCode}; see ${this.logDir}/${service}.log`);
        const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        return response?.status === 200;
      },
      60_000,
      200,
    );
  }

  /** SIGKILL: no shutdown hooks run, in-flight work is simply lost to the process. */
  async kill(service: ServiceName): Promise<void> {
    const running = this.running.get(service);
    if (!running) return;
    running.process.kill('SIGKILL');
    await new Promise((resolve) =>
      running.process.exitCode !== null || running.process.signalCode !== null
        ? resolve(undefined)
        : running.process.once('exit', resolve),
    );
    this.running.delete(service);
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.running.entries()].map(async ([, { process: child }]) => {
        child.kill('SIGTERM');
        const exited = await Promise.race([
          new Promise((resolve) => child.once('exit', () => resolve(true))),
          new Promise((resolve) => setTimeout(() => resolve(false), 15_000)),
        ]);
        if (!exited) child.kill('SIGKILL');
      }),
    );
    this.running.clear();
    await cleanUpNamespace(this.namespace, SCHEMAS);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
