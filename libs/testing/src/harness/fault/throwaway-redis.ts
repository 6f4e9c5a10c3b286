import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { eventually } from '../test-environment';

/**
 * A Redis of the test's own (`redis-server` on another port, no persistence) that a fault test may flush or
 * restart at will; the shared one on 6379 is never touched. A restart starts empty, as a flush does.
 */
export class ThrowawayRedis {
  private server: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = spawn(
      process.env.FAULT_REDIS_SERVER ?? 'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.server = server;
    await eventually(
      async () => {
        if (server.exitCode !== null) throw new Error(`redis-server exited with ${server.exitCode}`);
        return (await this.command((redis) => redis.ping())) === 'PONG';
      },
      20_000,
      100,
    );
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** FLUSHALL: every key gone, queues and schedulers included; the clients stay connected. */
  async flushAll(): Promise<void> {
    await this.command((redis) => redis.flushall());
  }

  /** Runs commands on a connection of its own (no retries: a fault test wants to know). */
  async command<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await redis.connect();
      return await use(redis);
    } finally {
      redis.disconnect();
    }
  }
}
