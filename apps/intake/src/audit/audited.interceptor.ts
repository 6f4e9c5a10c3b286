import { Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, type Observable } from 'rxjs';
import type { AuditAction } from '@huoju/contracts';
import type { Principal } from '@huoju/platform';
import { AuditService } from './audit.service';

const AUDITED = 'huoju:audited';

interface AuditedOptions {
  readonly action: AuditAction;
  /** What was acted on, from the route parameters (and the answer). */
  readonly target: (params: Record<string, string>, result: unknown) => string;
}

/** Records a successful call of the endpoint in the audit log (who, when, what, from where). */
export const Audited = (options: AuditedOptions): MethodDecorator => SetMetadata(AUDITED, options);

@Injectable()
export class AuditedInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<AuditedOptions | undefined>(AUDITED, context.getHandler());
    if (!options || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    return next.handle().pipe(
      mergeMap((result: unknown) =>
        from(
          this.audit
            .record({
              actor: request.principal?.subject ?? 'anonymous',
              role: request.principal?.role ?? 'anonymous',
              action: options.action,
              target: options.target((request.params ?? {}) as Record<string, string>, result),
              ip: request.ip,
              details: { method: request.method, path: request.url.split('?')[0] },
            })
            .then(() => result),
        ),
      ),
    );
  }
}
