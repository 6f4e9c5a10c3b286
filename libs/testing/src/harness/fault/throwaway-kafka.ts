import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from '../infrastructure';

/**
 * A Kafka broker of the test's own (infra/kafka/kafka.sh on another port, data under tmp/) that a fault test
 * may stop and start at will; the shared broker on 9092 is never touched. The Maven jars are shared with
 * the project's broker when it has them (read only), so a throwaway broker starts in seconds.
 */
export class ThrowawayKafka {
  readonly home: string;

  constructor(readonly port: number) {
    this.home = path.join(REPOSITORY_ROOT, 'tmp', 'fault', `kafka-${port}`);
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Formats fresh storage the first time and starts the broker; waits until it is ready. */
  start(): void {
    mkdirSync(this.home, { recursive: true });
    const projectJars = path.join(REPOSITORY_ROOT, '.kafka', 'libs');
    const jars = path.join(this.home, 'libs');
    if (!existsSync(jars) && existsSync(path.join(projectJars, '.complete'))) symlinkSync(projectJars, jars);
    this.script('start');
  }

  /** A clean stop (SIGTERM, then SIGKILL after 30 s): its clients see the broker vanish. */
  stop(): void {
    this.script('stop');
  }

  /** Stops the broker, keeps it down for `downMs` and starts it again, without blocking the test's event loop. */
  async stopFor(downMs: number): Promise<void> {
    await this.scriptInBackground('stop');
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.scriptInBackground('start');
  }

  /** Stops the broker and removes its data. */
  destroy(): void {
    this.stop();
    rmSync(this.home, { recursive: true, force: true });
  }

  private script(command: 'start' | 'stop'): void {
    execFileSync('bash', [path.join(REPOSITORY_ROOT, 'infra/kafka/kafka.sh'), command], {
      env: this.env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  private async scriptInBackground(command: 'start' | 'stop'): Promise<void> {
    await promisify(execFile)('bash', [path.join(REPOSITORY_ROOT, 'infra/kafka/kafka.sh'), command], {
      env: this.env,
    });
  }

  private get env(): NodeJS.ProcessEnv {
    return { ...process.env, KAFKA_PORT: String(this.port), KAFKA_HOME_DIR: this.home };
  }
}
