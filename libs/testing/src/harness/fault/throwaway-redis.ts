import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import Redis from 'ioredis';
import { freePort } from '../platform-processes';

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.setTimeout(500, () => socket.destroy());
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/**
 * A Redis of the test's own (`redis-server --port <free> --save ''`, nothing persisted) that a test may stop,
 * start and flush at will; the shared Redis on 6379 is never touched.
 */
export class ThrowawayRedis {
  private process: ChildProcess | undefined;

  constructor(readonly port: number) {}

  static async onFreePort(): Promise<ThrowawayRedis> {
    return new ThrowawayRedis(await freePort());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server and waits until it answers PING. */
  async start(): Promise<void> {
    if (this.process) return;
    const child = spawn(
      process.env.FAULT_REDIS_SERVER ?? 'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    this.process = child;
    child.once('exit', () => {
      if (this.process === child) this.process = undefined;
    });
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await ping(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${this.port} did not answer`);
  }

  /** Kills the server (SIGKILL, as a crash): its clients see the connection drop. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Kills the server and starts an empty one on the same port (nothing is persisted). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** FLUSHALL: every key gone, queues and schedulers included; the clients stay connected. */
  async flushAll(): Promise<void> {
    await this.flush();
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

  /** FLUSHALL: every key gone while the connections stay up, as an operator's flush does. */
  async flush(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: this.port }, () => socket.write('FLUSHALL\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        if (data.toString().startsWith('+OK')) resolve();
        else reject(new Error(`FLUSHALL answered ${data.toString()}`));
      });
      socket.once('error', reject);
    });
  }
}
