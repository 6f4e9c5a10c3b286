import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';

/** Where the real services are. Defaults are the ones this machine (and CI) runs on 127.0.0.1. */
export interface InfrastructureUrls {
  kafkaBrokers: string;
  databaseUrl: string;
  redisUrl: string;
}

export const REPOSITORY_ROOT = path.resolve(__dirname, '../../../..');

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
