import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

/** Where the real services are. Defaults are the ones this machine (and CI) runs on 127.0.0.1. */
export interface InfrastructureUrls {
  kafkaBrokers: string;
  databaseUrl: string;
  redisUrl: string;
}

/** The checkout's root (where nx.json is), whether this runs from the sources or from dist/. */
export const REPOSITORY_ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'nx.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export function infrastructureUrls(env: NodeJS.ProcessEnv = process.env): InfrastructureUrls {
  return {
    kafkaBrokers: env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    databaseUrl: env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/huoju_test',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

export function isReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function hostAndPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url.includes('://') ? url : `tcp://${url}`);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

/** Starts the project's own Kafka broker (infra/kafka); a broker already running is reused. */
export function startProjectKafka(): void {
  execFileSync('bash', [path.join(REPOSITORY_ROOT, 'infra/kafka/kafka.sh'), 'start'], { stdio: 'inherit' });
}

/** Stops the broker `startProjectKafka` started. */
export function stopProjectKafka(): void {
  execFileSync('bash', [path.join(REPOSITORY_ROOT, 'infra/kafka/kafka.sh'), 'stop'], { stdio: 'inherit' });
}

export function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
