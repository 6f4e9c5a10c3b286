import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';

/** Who is guessing: one account name (or API key id), or one client address across all names. */
export type AttemptSubject = { kind: 'name'; value: string } | { kind: 'address'; value: string };

const WINDOW_SECONDS = 15 * 60;
const MAX_LOCK_SECONDS = 15 * 60;
/** Failures allowed before the back-off starts: few per name, more per address (a shared office NAT). */
const FREE_FAILURES = { name: 5, address: 20 } as const;
const FIRST_LOCK_SECONDS = { name: 30, address: 60 } as const;

/**
 * Back-off and lockout after failed sign-ins and API-key exchanges, shared by every intake instance
 * through Redis. Past the free failures each further failure doubles the lock (30 s, 60 s, … 15 min).
 * Unknown names are counted like real ones, so the lockout tells nobody which names exist. When Redis is
 * unreachable the counts live in this process, so guessing stays slow and nothing answers 500.
 */
@Injectable()
export class AttemptLimiter {
  private readonly local = new Map<string, { failures: number; lockedUntil: number; windowEnds: number }>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  /** Seconds until the subjects may try again; 0 when none is locked. */
  async retryAfter(subjects: readonly AttemptSubject[], now = Date.now()): Promise<number> {
    let wait = 0;
    for (const subject of subjects) {
      const lockedUntil = await this.lockedUntil(subject);
      if (lockedUntil > now) wait = Math.max(wait, Math.ceil((lockedUntil - now) / 1000));
    }
    return wait;
  }

  /** Counts a failure for each subject; the one that uses up the free failures starts the lock. */
  async recordFailure(subjects: readonly AttemptSubject[], now = Date.now()): Promise<void> {
    for (const subject of subjects) {
      const failures = await this.increment(subject, now);
      const over = failures - FREE_FAILURES[subject.kind];
      if (over < 0) continue;
      const seconds = Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS[subject.kind] * 2 ** Math.min(over, 20));
      await this.lock(subject, now + seconds * 1000);
    }
  }

  /** A success clears the name's count (not the address's: one good password must not reset a spray). */
  async recordSuccess(name: string): Promise<void> {
    const subject: AttemptSubject = { kind: 'name', value: name };
    this.local.delete(this.key(subject));
    await this.redis.del(this.key(subject), `${this.key(subject)}:lock`).catch(() => undefined);
  }

  private key(subject: AttemptSubject): string {
    return `${this.config.HUOJU_NAMESPACE || 'huoju'}:auth:attempts:${subject.kind}:${subject.value}`;
  }

  private async lockedUntil(subject: AttemptSubject): Promise<number> {
    const local = this.local.get(this.key(subject))?.lockedUntil ?? 0;
    try {
      const stored = await this.redis.get(`${this.key(subject)}:lock`);
      return Math.max(local, Number(stored ?? 0));
    } catch {
      return local;
    }
  }

  private async increment(subject: AttemptSubject, now: number): Promise<number> {
    const key = this.key(subject);
    const entry = this.local.get(key);
    const local =
      entry && entry.windowEnds > now
        ? { ...entry, failures: entry.failures + 1 }
        : { failures: 1, lockedUntil: 0, windowEnds: now + WINDOW_SECONDS * 1000 };
    this.local.set(key, local);
    this.forgetExpired(now);
    try {
      const [[, count]] = (await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').exec()) as [
        [null, number],
        [null, number],
      ];
      return Math.max(count, local.failures);
    } catch {
      return local.failures;
    }
  }

  private async lock(subject: AttemptSubject, until: number): Promise<void> {
    const key = this.key(subject);
    const entry = this.local.get(key);
    if (entry) entry.lockedUntil = Math.max(entry.lockedUntil, until);
    await this.redis.set(`${key}:lock`, String(until), 'PX', Math.max(1, until - Date.now())).catch(() => undefined);
  }

  private forgetExpired(now: number): void {
    if (this.local.size < 10_000) return;
    for (const [key, entry] of this.local)
      if (entry.windowEnds < now && entry.lockedUntil < now) this.local.delete(key);
  }
}
