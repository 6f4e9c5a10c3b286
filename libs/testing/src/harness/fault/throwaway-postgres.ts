import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

/**
 * A PostgreSQL cluster of the test's own (Debian's initdb / pg_ctl on another port, data in a temp dir) that a
 * fault test may restart at will; the machine's server on 5432 is never touched. initdb refuses to run as root,
 * so as root the cluster belongs to the `postgres` user (runuser); otherwise to whoever runs the test.
 */
export class ThrowawayPostgres {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'huoju-fault-pg-'));
  private readonly bin = postgresBin();
  private readonly owner = process.getuid?.() === 0 ? systemUser('postgres') : undefined;

  constructor(
    readonly port: number,
    readonly database = 'huoju_fault',
  ) {}

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${this.database}`;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  /** Creates the cluster and its database the first time, then starts it and waits until it accepts connections. */
  async start(): Promise<void> {
    if (!existsSync(this.dataDir)) {
      if (this.owner) chownSync(this.dir, this.owner.uid, this.owner.gid);
      await this.run('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
      await this.pgCtl('start');
      await this.createDatabase();
      return;
    }
    await this.pgCtl('start');
  }

  /** A real restart (fast shutdown: every session is cut, in-flight transactions roll back). */
  async restart(): Promise<void> {
    await this.pgCtl('restart');
  }

  /** Stops the cluster and removes its files. */
  destroy(): void {
    try {
      execFileSync(...this.command('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']), {
        stdio: 'ignore',
      });
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async pgCtl(command: 'start' | 'restart'): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dir}`,
      '-c max_connections=400',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    const args = ['-D', this.dataDir, '-l', path.join(this.dir, 'server.log'), '-w', '-t', '60', '-o', options];
    if (command === 'restart') args.push('-m', 'fast');
    await this.run('pg_ctl', [...args, command]);
  }

  /** Runs one of the server's programs (as `postgres` when the test runs as root), off the event loop. */
  private async run(program: string, args: string[]): Promise<void> {
    await promisify(execFile)(...this.command(program, args), { cwd: this.dir });
  }

  private command(program: string, args: string[]): [string, string[]] {
    const executable = path.join(this.bin, program);
    return this.owner ? ['runuser', ['-u', 'postgres', '--', executable, ...args]] : [executable, args];
  }

  private async createDatabase(): Promise<void> {
    const client = new Client({ connectionString: `postgresql://postgres@127.0.0.1:${this.port}/postgres` });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${this.database}"`);
    } finally {
      await client.end();
    }
  }
}

/** The newest installed server's binaries (Debian keeps them under /usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  if (process.env.FAULT_PG_BIN) return process.env.FAULT_PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((major) => existsSync(path.join(root, major, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) throw new Error(`no initdb under ${root}/*/bin; set FAULT_PG_BIN`);
  return path.join(root, majors[0]!, 'bin');
}

function systemUser(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
