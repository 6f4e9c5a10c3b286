import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { TEST_CLOCK_START, TEST_AUTH_ENV, httpClient } from './http-client';
import { REPOSITORY_ROOT, type InfrastructureUrls } from './infrastructure';
import { cleanUpNamespace, eventually, serviceEnvironment, testNamespace } from './test-environment';

export type ServiceName = 'intake' | 'validation' | 'aggregation' | 'torch-export';
/** A service, or a further instance of it (`validation#2`) on its own port with the same databases. */
export type InstanceName = ServiceName | `${ServiceName}#${number}`;
const SERVICES: readonly ServiceName[] = ['intake', 'validation', 'aggregation', 'torch-export'];
const SCHEMAS = ['intake', 'validation', 'aggregation', 'torch_export'];

interface RunningService {
  process: ChildProcess;
  port: number;
}

function serviceOf(instance: InstanceName): ServiceName {
  return instance.split('#')[0] as ServiceName;
}

/**
 * The four services as separate Node processes built into dist/, on the real Kafka, PostgreSQL and Redis,
 * isolated in one namespace. Tests can kill (SIGKILL) and restart any of them.
 */
export class Platform {
  readonly namespace: string;
  private readonly running = new Map<InstanceName, RunningService>();
  private readonly ports = new Map<InstanceName, number>();
  private readonly ready = new Set<InstanceName>();
  /** Instances that exited by themselves (a crashed consumer exits so that the orchestrator restarts it). */
  readonly exits: { instance: InstanceName; code: number | null; signal: string | null; at: Date }[] = [];
  private get logDir(): string {
    return path.join(REPOSITORY_ROOT, 'tmp', 'service-logs', this.namespace);
  }

  constructor(
    private readonly extraEnv: Record<string, string> = {},
    options: {
      namespace?: string;
      nodeArgs?: (service: ServiceName) => string[];
      /** Throwaway infrastructure of the test's own instead of the shared services (then `stop` leaves it be). */
      infrastructure?: InfrastructureUrls;
      /** Restart an instance that exits by itself, as an orchestrator would. */
      restartOnExit?: boolean;
      /** How long an instance may take to become ready (a loaded machine starts eight slowly). */
      readyTimeoutMs?: number;
    } = {},
  ) {
    this.namespace = options.namespace ?? testNamespace('e2e');
    this.nodeArgs = options.nodeArgs ?? (() => []);
    this.infrastructure = options.infrastructure;
    this.restartOnExit = options.restartOnExit ?? false;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  }

  private readonly readyTimeoutMs: number;

  private readonly infrastructure: InfrastructureUrls | undefined;
  private readonly restartOnExit: boolean;
  private stopping = false;

  private readonly nodeArgs: (service: ServiceName) => string[];

  /** The process id of a running service (for CPU and memory readings). */
  pid(service: InstanceName): number | undefined {
    return this.running.get(service)?.process.pid;
  }

  /** Whether the instance answered ready since it was last started (and was not killed or exited since). */
  isReady(instance: InstanceName): boolean {
    return this.ready.has(instance);
  }

  url(service: InstanceName): string {
    return `http://127.0.0.1:${this.ports.get(service)}`;
  }

  http(service: InstanceName) {
    return httpClient(`http://127.0.0.1:${this.ports.get(service)}`);
  }

  async start(services: readonly InstanceName[] = SERVICES): Promise<void> {
    mkdirSync(this.logDir, { recursive: true });
    await Promise.all(services.map((service) => this.startService(service)));
  }

  async startService(instance: InstanceName): Promise<void> {
    const service = serviceOf(instance);
    const port = this.ports.get(instance) ?? (await freePort());
    this.ports.set(instance, port);
    const logFile = path.join(this.logDir, `${instance.replace('#', '-')}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const infrastructure: Record<string, string> = this.infrastructure
      ? {
          DATABASE_URL: this.infrastructure.databaseUrl,
          KAFKA_BROKERS: this.infrastructure.kafkaBrokers,
          REDIS_URL: this.infrastructure.redisUrl,
        }
      : {};
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
          ...infrastructure,
          ...this.extraEnv,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const running = { process: child, port };
    this.running.set(instance, running);
    child.once('exit', (code, signal) => {
      this.ready.delete(instance);
      if (this.running.get(instance) !== running) return; // killed or stopped on purpose
      this.running.delete(instance);
      this.exits.push({ instance, code, signal, at: new Date() });
      if (this.restartOnExit && !this.stopping) void this.startService(instance).catch(() => undefined);
    });
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`${instance} exited with ${child.exitCode}; see ${logFile}`);
        const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        return response?.status === 200;
      },
      this.readyTimeoutMs,
      200,
    );
    this.ready.add(instance);
  }

  /** SIGKILL: no shutdown hooks run, in-flight work is simply lost to the process. */
  async kill(service: InstanceName): Promise<void> {
    const running = this.running.get(service);
    if (!running) return;
    this.running.delete(service);
    this.ready.delete(service);
    running.process.kill('SIGKILL');
    await new Promise((resolve) =>
      running.process.exitCode !== null || running.process.signalCode !== null
        ? resolve(undefined)
        : running.process.once('exit', resolve),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const stopping = [...this.running.values()];
    this.running.clear();
    await Promise.all(
      stopping.map(async ({ process: child }) => {
        child.kill('SIGTERM');
        const exited = await Promise.race([
          new Promise((resolve) => child.once('exit', () => resolve(true))),
          new Promise((resolve) => setTimeout(() => resolve(false), 15_000)),
        ]);
        if (!exited) child.kill('SIGKILL');
      }),
    );
    if (!this.infrastructure) await cleanUpNamespace(this.namespace, SCHEMAS);
  }
}

/** A TCP port nothing listens on now (for a service or a throwaway server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
