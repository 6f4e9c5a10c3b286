import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/logging.module';
import { REDIS } from '../redis/redis.module';
import type { PrivateJwk, PublicJwks } from './keys';
import { RevocationList } from './revocation';
import { DEFAULT_ISSUER, TokenIssuer, TokenVerifier, type TokenAudience } from './token';

export interface AuthOptions {
  /** This service's name, required in every token's `aud`. */
  readonly audience: TokenAudience;
  readonly jwks: PublicJwks;
  /** Prefixes the revocation list's Redis key (the deployment's or test run's namespace). */
  readonly namespace: string;
  readonly issuer?: string;
  /** Only intake, the issuer, has one. */
  readonly signingKey?: PrivateJwk;
}

/** Bearer-token verification for a service (the app registers AuthGuard), its revocation list, and intake's issuer. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    const issuer = options.issuer ?? DEFAULT_ISSUER;
    const providers: Provider[] = [
      {
        provide: RevocationList,
        inject: [REDIS, LOGGER],
        useFactory: (redis: Redis, logger: Logger) =>
          new RevocationList(redis, `${options.namespace || 'huoju'}:auth:revoked`, logger),
      },
      {
        provide: TokenVerifier,
        inject: [RevocationList],
        useFactory: (revocations: RevocationList) =>
          new TokenVerifier(options.jwks, options.audience, revocations, issuer),
      },
    ];
    if (options.signingKey)
      providers.push({ provide: TokenIssuer, useValue: new TokenIssuer(options.signingKey, issuer) });
    return {
      module: AuthModule,
      providers,
      exports: [RevocationList, TokenVerifier, ...(options.signingKey ? [TokenIssuer] : [])],
    };
  }
}
