import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { park, streetTown } from '@huoju/domain';
import {
  CLOCK,
  LOGGER,
  ProblemException,
  forbidden,
  isInScope,
  outOfScope,
  validationProblem,
  type Clock,
  type FieldError,
  type Principal,
} from '@huoju/platform';
import { COMPLIANCE_CONFIG, type ComplianceConfig } from './compliance.config';
import { ComplianceError, fieldError } from './compliance.errors';
import { postPinned } from './webhook-post';
import { WebhookSecretBox } from './webhook-secret';
import { WEBHOOK_HEADERS, signBody } from './webhook-signature';
import { WebhookRepository, type WebhookTargetKind } from './webhook.repository';
import { checkWebhookTarget, type WebhookTargetPolicy, type WebhookTargetRefusal } from './webhook-target';

export type { WebhookTargetKind };

export interface WebhookView {
  readonly kind: WebhookTargetKind;
  readonly code: string;
  readonly url: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** What a street or park team's endpoint receives, signed; the same bytes on every attempt. */
export interface WebhookBody {
  readonly deliveryId: string;
  readonly eventId: string | null;
  readonly topic: string;
  readonly kind: string;
  readonly target: { kind: WebhookTargetKind; code: string };
  readonly createdAt: string;
  readonly reminder: unknown;
  readonly enterprise: { uscc: string; nameZh: string; contact: { name: string; phone: string; email: string } };
}

export class WebhookDeliveryError extends Error {}

/** Webhooks per street/town and park: who may set them, and delivering reminders to them with a log of every attempt. */
@Injectable()
export class WebhookService {
  private readonly secrets: WebhookSecretBox;
  private readonly policy: WebhookTargetPolicy;

  constructor(
    private readonly orm: MikroORM,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLIANCE_CONFIG) private readonly config: ComplianceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly webhooks: WebhookRepository,
  ) {
    this.secrets = new WebhookSecretBox(config.COMPLIANCE_WEBHOOK_KEY);
    this.policy = {
      httpsOnly: config.NODE_ENV === 'production',
      allowLoopback: config.COMPLIANCE_WEBHOOK_ALLOW_LOOPBACK,
    };
  }

  async configure(
    principal: Principal,
    kind: string,
    code: string,
    body: { url?: unknown; secret?: unknown } | undefined,
  ): Promise<WebhookView> {
    const target = this.target(kind, code);
    if (!mayManage(principal, target.kind, target.code))
      throw forbidden('Only an admin or the street/park team itself may set its webhook.');
    const errors: FieldError[] = [];
    const url = typeof body?.url === 'string' ? body.url : '';
    const checked = await checkWebhookTarget(url, this.policy);
    if (!checked.ok) {
      const message = URL_REFUSALS[checked.reason];
      errors.push(fieldError('/url', ComplianceError.WEBHOOK_URL, message.zh, message.en));
    }
    const secret = typeof body?.secret === 'string' ? body.secret : '';
    if (secret.length < 16 || secret.length > 256)
      errors.push(
        fieldError(
          '/secret',
          ComplianceError.WEBHOOK_SECRET,
          'secret 长度须为 16–256 个字符',
          'secret must be 16–256 characters',
        ),
      );
    if (errors.length > 0) throw validationProblem(errors);
    const updatedAt = this.clock.now();
    await this.webhooks.save(this.orm.em.fork(), {
      ...target,
      url,
      sealedSecret: this.secrets.seal(secret),
      updatedBy: principal.subject,
      updatedAt,
    });
    return {
      kind: target.kind,
      code: target.code,
      url,
      updatedBy: principal.subject,
      updatedAt: updatedAt.toISOString(),
    };
  }

  async read(principal: Principal, kind: string, code: string): Promise<WebhookView> {
    const target = this.target(kind, code);
    if (!mayRead(principal, target.kind, target.code)) throw outOfScope(target.kind, target.code);
    const row = await this.webhooks.find(this.orm.em.fork(), target);
    if (!row)
      throw new ProblemException(
        404,
        ComplianceError.WEBHOOK_NOT_FOUND,
        'Not found',
        `No webhook is set for ${target.kind} ${target.code}.`,
        [],
        '尚未配置推送地址',
      );
    return {
      kind: target.kind,
      code: target.code,
      url: row.url,
      updatedBy: row.updated_by,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  /** The delivery log, newest first, each delivery with every attempt. */
  async deliveries(principal: Principal, kind: string, code: string, limitText: string | undefined) {
    const target = this.target(kind, code);
    if (!mayRead(principal, target.kind, target.code)) throw outOfScope(target.kind, target.code);
    const limit = Math.min(Math.max(Number(limitText) || 100, 1), 1000);
    const em = this.orm.em.fork();
    const deliveries = await this.webhooks.deliveries(em, target, limit);
    const attempts = await this.webhooks.attempts(
      em,
      deliveries.map((d) => d.id),
    );
    return {
      kind: target.kind,
      code: target.code,
      deliveries: deliveries.map((d) => ({
        id: d.id,
        kind: d.kind,
        topic: d.topic,
        eventId: d.event_id,
        uscc: d.uscc,
        nameZh: d.name_zh,
        formId: d.form_id,
        period: d.period,
        state: d.state,
        attempts: attempts
          .filter((a) => a.delivery_id === d.id)
          .map((a) => ({
            attempt: a.attempt,
            url: a.url,
            at: new Date(a.attempted_at).toISOString(),
            statusCode: a.status_code,
            error: a.error,
          })),
        lastError: d.last_error,
        createdAt: new Date(d.created_at).toISOString(),
        deliveredAt: d.delivered_at ? new Date(d.delivered_at).toISOString() : null,
      })),
    };
  }

  /**
   * One attempt of one delivery. Throws on failure so that the queue retries with back-off; on the last
   * attempt the delivery is marked failed first. A delivery already delivered is not sent again.
   */
  async deliver(deliveryId: string, attempt: number, lastAttempt: boolean): Promise<'delivered' | 'skipped'> {
    const em = this.orm.em.fork();
    const row = await this.webhooks.delivery(em, deliveryId);
    if (!row || row.state !== 'pending') return 'skipped';
    if (!row.url || !row.secret) {
      await this.webhooks.failWebhookRemoved(em, deliveryId);
      return 'skipped';
    }
    const body = JSON.stringify({
      deliveryId: row.id,
      eventId: row.event_id,
      topic: row.topic ?? '',
      kind: row.kind,
      target: { kind: row.target_kind, code: row.target_code },
      createdAt: new Date(row.reminder_created_at).toISOString(),
      reminder: row.payload,
      enterprise: { uscc: row.uscc, nameZh: row.name_zh, contact: row.contact },
    } satisfies WebhookBody);
    const attemptedAt = this.clock.now();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: DeliveryError | null = null;
    // Checked again at send time (the name may point elsewhere now), and the connection goes to that address.
    const checked = await checkWebhookTarget(row.url, this.policy);
    if (!checked.ok) error = 'TARGET_REFUSED';
    else {
      try {
        statusCode = await postPinned(checked, {
          timeoutMs: this.config.COMPLIANCE_WEBHOOK_TIMEOUT_MS,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'huoju-aggregation/compliance',
            // Wall-clock time, not the service clock: receivers compare it with their own clock.
            [WEBHOOK_HEADERS.signature]: signBody(this.openSecret(row.secret), body, new Date()),
            [WEBHOOK_HEADERS.delivery]: row.id,
            [WEBHOOK_HEADERS.event]: row.topic ?? '',
            [WEBHOOK_HEADERS.attempt]: String(attempt),
          },
          body,
        });
        // Redirects are not followed: a 3xx could point anywhere, the inside included.
        if (statusCode >= 300 && statusCode < 400) error = 'REDIRECT_REFUSED';
        else if (statusCode >= 400) error = 'HTTP_ERROR';
      } catch (caught) {
        // The cause stays in the log; callers see one coarse code, so the log is no port scanner.
        this.logger.info({ err: caught, deliveryId, attempt }, 'webhook delivery did not connect');
        error = 'UNREACHABLE';
      }
    }
    const durationMs = Math.round(performance.now() - started);
    const url = row.url;
    await em.transactional((tx) =>
      this.webhooks.recordAttempt(tx, {
        deliveryId,
        attempt,
        url,
        attemptedAt,
        statusCode,
        error,
        durationMs,
        state: error === null ? 'delivered' : lastAttempt ? 'failed' : 'pending',
        deliveredAt: error === null ? this.clock.now() : null,
      }),
    );
    if (error !== null) {
      const log = { deliveryId, target: `${row.target_kind}:${row.target_code}`, attempt, error };
      if (lastAttempt) this.logger.warn(log, 'webhook delivery failed for good');
      else this.logger.info(log, 'webhook delivery failed; will retry');
      throw new WebhookDeliveryError(`delivery ${deliveryId} attempt ${attempt}: ${error}`);
    }
    return 'delivered';
  }

  /** Secrets are sealed at rest; one stored before sealing existed is read as it is and sealed on its next PUT. */
  private openSecret(stored: string): string {
    return stored.startsWith('v1.') ? this.secrets.open(stored) : stored;
  }

  private target(kind: string, code: string): { kind: WebhookTargetKind; code: string } {
    if (kind === 'street' && streetTown(code)) return { kind, code };
    if (kind === 'park' && park(code)) return { kind, code };
    throw validationProblem([
      fieldError(
        '/target',
        ComplianceError.WEBHOOK_TARGET,
        `未知的街镇或园区 ${kind}/${code}`,
        `Unknown target ${kind}/${code}: street/<9-digit street/town code> or park/<park code>`,
      ),
    ]);
  }
}

/** The team of that street or park, or an admin; the commission reads every webhook but sets none. */
function mayManage(principal: Principal, kind: WebhookTargetKind, code: string): boolean {
  return principal.role !== 'commission' && isInScope(principal, kind, code);
}

function mayRead(principal: Principal, kind: WebhookTargetKind, code: string): boolean {
  return isInScope(principal, kind, code);
}

/** What a delivery attempt may show its readers: a code, never the network's own error text. */
type DeliveryError = 'TARGET_REFUSED' | 'UNREACHABLE' | 'REDIRECT_REFUSED' | 'HTTP_ERROR';

const URL_REFUSALS: Record<WebhookTargetRefusal, { zh: string; en: string }> = {
  URL_INVALID: { zh: 'url 须为绝对地址', en: 'url must be an absolute URL' },
  SCHEME: { zh: 'url 须为 https 地址（开发环境可用 http）', en: 'url must be https (http only outside production)' },
  CREDENTIALS: { zh: 'url 不能包含用户名或密码', en: 'url must not contain a user name or password' },
  ADDRESS_NOT_PUBLIC: {
    zh: 'url 指向内网、回环、链路本地或保留地址，不予接受',
    en: 'url points to a private, loopback, link-local or reserved address',
  },
  UNRESOLVABLE: { zh: 'url 的主机名无法解析', en: 'the host name of url does not resolve' },
};
