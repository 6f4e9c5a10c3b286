import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import type { EnterpriseChanged, FilingValidated } from '@huoju/contracts';
import type { Principal } from '@huoju/platform';
import {
  bearer,
  enterpriseChanged,
  filingValidated,
  infrastructureUrls,
  type GeneratedEnterprise,
} from '@huoju/testing';
import { verifySignature } from '../src/compliance/webhook-signature';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

/** Two streets of 普陀园 (PT): 真如镇街道 and 长寿路街道. */
export const ZHENRU = '310107022';
export const CHANGSHOU = '310107015';

/**
 * Starts aggregation with its clock at `clockStart` and quick compliance timings. The compliance variables
 * are read from process.env once at module creation, so they are set around the start only.
 */
export async function startCompliance(
  clockStart: string,
  namespace?: string,
  env: Record<string, string> = {},
): Promise<RunningAggregation> {
  const settings: Record<string, string> = {
    COMPLIANCE_SWEEP_EVERY_MS: '1000',
    COMPLIANCE_WEBHOOK_BACKOFF_MS: '300',
    // The receivers below listen on 127.0.0.1: the test-only switch lets deliveries reach them.
    COMPLIANCE_WEBHOOK_ALLOW_LOOPBACK: 'true',
    ...env,
  };
  const previous = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
  Object.assign(process.env, settings);
  try {
    return await startTestAggregation({ HUOJU_CLOCK_START: clockStart }, namespace);
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Service time that keeps running across restarts: restart a service with `timeline.now()` as its clock start. */
export class Timeline {
  private readonly realStart = Date.now();
  constructor(private readonly start: string) {}
  now(): string {
    return new Date(Date.parse(this.start) + (Date.now() - this.realStart)).toISOString();
  }
  /** Real milliseconds until the service clock reaches `instant`. */
  msUntil(instant: string): number {
    return Date.parse(instant) - Date.parse(this.now());
  }
}

/** Removes the namespace's BullMQ keys (delayed deadline jobs, schedulers) so nothing fires after the test. */
export async function clearQueues(namespace: string): Promise<void> {
  const redis = new Redis(infrastructureUrls().redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `huoju:${namespace}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

export function baseUrl(aggregation: RunningAggregation): string {
  return `http://127.0.0.1:${(aggregation.app.getHttpServer().address() as AddressInfo).port}`;
}

export async function putJson(
  aggregation: RunningAggregation,
  path: string,
  body: unknown,
  as: Principal,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl(aggregation)}${path}`, {
    method: 'PUT',
    headers: { authorization: await bearer(as), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getBytes(
  aggregation: RunningAggregation,
  path: string,
  as: Principal,
): Promise<{ status: number; contentType: string | null; bytes: Buffer }> {
  const response = await fetch(`${baseUrl(aggregation)}${path}`, { headers: { authorization: await bearer(as) } });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

export interface ReceivedDelivery {
  readonly deliveryId: string;
  readonly attempt: number;
  readonly signatureValid: boolean;
  readonly body: {
    kind: string;
    topic: string;
    target: { kind: string; code: string };
    reminder: { uscc: string; period: string; streetCode: string; status?: string; daysLate?: number };
    enterprise: { uscc: string; contact: { phone: string } };
  };
  readonly status: number;
}

/** A street or park team's endpoint: checks signatures and keeps every request; optionally answers 503 to each delivery's first try. */
export class WebhookReceiver {
  readonly requests: ReceivedDelivery[] = [];
  private server: Server | undefined;

  constructor(
    readonly secret: string,
    private readonly failFirstAttempt = false,
  ) {}

  /** Accepted deliveries (2xx answered), one entry per request. */
  get delivered(): ReceivedDelivery[] {
    return this.requests.filter((request) => request.status === 200);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const deliveryId = header(request.headers, 'x-huoju-delivery');
        const seenBefore = this.requests.some((r) => r.deliveryId === deliveryId);
        const status = this.failFirstAttempt && !seenBefore ? 503 : 200;
        this.requests.push({
          deliveryId,
          attempt: Number(header(request.headers, 'x-huoju-attempt')),
          signatureValid: verifySignature(this.secret, raw, header(request.headers, 'x-huoju-signature'), new Date()),
          body: JSON.parse(raw) as ReceivedDelivery['body'],
          status,
        });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/huoju`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** How many accepted deliveries each (kind, uscc, period) got. */
  countsByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.delivered) {
      const key = `${request.body.kind}|${request.body.reminder.uscc}|${request.body.reminder.period}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value[0]! : (value ?? '');
}

export interface RosterPlan {
  /** Street periods, newest last; validTo inclusive. */
  readonly streets: readonly { streetCode: string; validFrom: string; validTo?: string }[];
  readonly carrierCode?: string | null;
  readonly scopeFrom?: string;
  readonly scopeTo?: string;
}

/** A registry event for a generated enterprise placed in 普陀园 (真如 sub-park) with the streets and monthly scope given. */
export function rosterEvent(enterprise: GeneratedEnterprise, plan: RosterPlan): EnterpriseChanged {
  return {
    ...enterpriseChanged(enterprise),
    memberships: [
      {
        parkCode: 'PT',
        subParkCode: 'PT-ZHENRU',
        carrierCode: plan.carrierCode ?? null,
        validFrom: '2025-01-01',
        validTo: null,
      },
    ],
    streets: plan.streets.map((s) => ({
      streetCode: s.streetCode,
      validFrom: s.validFrom,
      validTo: s.validTo ?? null,
    })),
    scope: [{ formId: 'torch-monthly', validFrom: plan.scopeFrom ?? '2025-01-01', validTo: plan.scopeTo ?? null }],
  };
}

/** Validation's verdict on a monthly filing, received at `receivedAt`. */
export function verdict(
  uscc: string,
  period: string,
  receivedAt: string,
  outcome: FilingValidated['outcome'] = 'accepted',
): FilingValidated {
  return filingValidated(uscc, period, { qc05_0: '100', qd01: '5' }, { receivedAt, outcome });
}
