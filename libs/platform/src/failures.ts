/**
 * How a consumer's failure is handled. Transient: the world is not ready yet (a connection lost, a
 * serialization conflict, a dependency not yet known) — wait and retry without limit, never park.
 * Permanent: the message itself is wrong (unparseable, a broken contract, a domain impossibility) —
 * park it in the dead-letter topic with its reason, where `npm run dlq` can replay it after a fix.
 */
export type FailureKind = 'transient' | 'permanent' | 'unknown';

/** Throw (or extend) this from a handler when the message must wait, e.g. for an event still on its way. */
export class TransientError extends Error {
  override readonly name: string = 'TransientError';
}

/** Throw (or extend) this from a handler when the message can never be applied as it is. */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
}

// PostgreSQL SQLSTATEs that say "try again": serialization failure, deadlock, the server shutting down or
// restarting, too many connections, and the whole connection-exception class (08xxx).
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '53400']);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /connection (?:is )?closed/i,
  /terminating connection/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is closed/i, // ioredis
];

/** Classifies an error thrown by a handler, looking through its `cause` chain. */
export function classifyFailure(error: unknown): FailureKind {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof TransientError) return 'transient';
    if (current instanceof PermanentError) return 'permanent';
    if (typeof current !== 'object') break;
    const candidate = current as {
      code?: unknown;
      sqlState?: unknown;
      retriable?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    const sqlState = typeof candidate.sqlState === 'string' ? candidate.sqlState : candidate.code;
    if (typeof sqlState === 'string' && (TRANSIENT_SQLSTATES.has(sqlState) || /^08[0-9A-Z]{3}$/.test(sqlState))) {
      return 'transient';
    }
    if (typeof candidate.code === 'string' && TRANSIENT_NODE_CODES.has(candidate.code)) return 'transient';
    // kafkajs marks what a retry can fix; its connection errors are retriable too.
    if (candidate.retriable === true) return 'transient';
    // kafkajs calls "no coordinator for the group" non-retriable, but it is what a consumer meets while the
    // broker is away (no broker answers the lookup): the group is there again once the broker is.
    if (
      typeof candidate.name === 'string' &&
      /^KafkaJS(Connection|RequestTimeout|Broker|GroupCoordinatorNotFound)/.test(candidate.name)
    ) {
      return 'transient';
    }
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return 'transient';
    current = candidate.cause;
  }
  return 'unknown';
}
