import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../http/problem';
import type { Principal, Role } from './principal';
import { TokenVerifier } from './token';

const PUBLIC = 'huoju:public';
const ROLES_KEY = 'huoju:roles';

/** An endpoint anyone may call (health, docs, token exchange). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

/** The roles allowed to call an endpoint; scope within the role is checked by the use case. */
export const AllowRoles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().principal!;
});

/** Bearer-token authentication and role check for every HTTP endpoint not marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    const principal = token && token.length <= 8192 ? await this.tokens.verify(token) : undefined;
    if (!principal) {
      throw new ProblemException(
        401,
        'AUTH.UNAUTHENTICATED',
        'Unauthenticated',
        'Send a valid bearer token (POST /v1/auth/token exchanges an API key for one).',
        [],
        '请提供有效的访问令牌',
      );
    }
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ProblemException(
        403,
        'AUTH.FORBIDDEN',
        'Forbidden',
        `This endpoint is for: ${roles.join(', ')}.`,
        [],
        '您的角色无权调用此接口',
      );
    }
    return true;
  }
}
