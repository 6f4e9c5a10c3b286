import { Injectable } from '@nestjs/common';
import { LockMode, MikroORM } from '@mikro-orm/postgresql';
import { RefreshToken } from './refresh-token.entity';

export type Rotation =
  | { outcome: 'rotated'; username: string; familyId: string }
  | { outcome: 'invalid' }
  | { outcome: 'reused'; username: string; familyId: string };

/** Refresh tokens by their SHA-256; rotation and reuse detection in one transaction with a row lock. */
@Injectable()
export class RefreshTokenRepository {
  constructor(private readonly orm: MikroORM) {}

  async insert(token: {
    tokenSha256: string;
    familyId: string;
    username: string;
    issuedAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    const em = this.orm.em.fork();
    em.create(RefreshToken, { ...token, usedAt: null, revokedAt: null });
    await em.flush();
  }

  /**
   * Marks the presented token used and stores its successor in the same family. A token used before
   * (outside the grace a second tab's simultaneous refresh needs) is a stolen copy: the family is revoked.
   */
  async rotate(
    presentedSha256: string,
    successor: { tokenSha256: string; issuedAt: Date; expiresAt: Date },
    reuseGraceMs: number,
  ): Promise<Rotation> {
    return this.orm.em.fork().transactional(async (em) => {
      const token = await em.findOne(
        RefreshToken,
        { tokenSha256: presentedSha256 },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!token || token.revokedAt || token.expiresAt <= successor.issuedAt) return { outcome: 'invalid' };
      if (token.usedAt && successor.issuedAt.getTime() - token.usedAt.getTime() > reuseGraceMs) {
        await em.nativeUpdate(
          RefreshToken,
          { familyId: token.familyId, revokedAt: null },
          { revokedAt: successor.issuedAt },
        );
        return { outcome: 'reused', username: token.username, familyId: token.familyId };
      }
      token.usedAt ??= successor.issuedAt;
      em.create(RefreshToken, {
        ...successor,
        familyId: token.familyId,
        username: token.username,
        usedAt: null,
        revokedAt: null,
      });
      return { outcome: 'rotated', username: token.username, familyId: token.familyId };
    });
  }

  /** Revokes the family of a presented token (sign-out); the username it belonged to, if any. */
  async revokeFamilyOf(presentedSha256: string, at: Date): Promise<string | undefined> {
    const em = this.orm.em.fork();
    const token = await em.findOne(RefreshToken, { tokenSha256: presentedSha256 });
    if (!token) return undefined;
    await em.nativeUpdate(RefreshToken, { familyId: token.familyId, revokedAt: null }, { revokedAt: at });
    return token.username;
  }

  /** Revokes every family of an account (disabled, password changed). */
  async revokeAllOf(username: string, at: Date): Promise<void> {
    await this.orm.em.fork().nativeUpdate(RefreshToken, { username, revokedAt: null }, { revokedAt: at });
  }
}
