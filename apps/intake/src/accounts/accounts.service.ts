import { Inject, Injectable } from '@nestjs/common';
import {
  createAccountRequestSchema,
  listAccountsQuerySchema,
  updateAccountRequestSchema,
  type Account as AccountView,
} from '@huoju/contracts';
import {
  ProblemException,
  forbidden,
  notFound,
  streetsOfPark,
  validateScope,
  validationProblem,
  type Principal,
  type Role,
} from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';
import { parseRequest } from '../auth/parse-request';
import { Account } from './account.entity';
import { AccountRepository } from './account.repository';
import { hashPassword, passwordProblems } from './password';
import { RefreshTokenRepository } from './refresh-token.repository';

export type AccountChange = { kind: 'created' | 'updated'; account: AccountView; revokeSessions: boolean };

/**
 * People's accounts: admins manage all; a park team manages the street accounts of the streets its
 * park covers (and only gives them streets of its park).
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async list(query: unknown, principal: Principal) {
    const { page, pageSize, q, role } = parseRequest(listAccountsQuerySchema, query, '/query');
    const streetsWithin = this.managedStreets(principal);
    if (streetsWithin && role && role !== 'street') throw forbidden('A park team manages street accounts only.');
    const result = await this.accounts.page({ q, role, streetsWithin }, page, pageSize);
    return { items: result.items.map(accountView), total: result.total, page, pageSize };
  }

  async create(body: unknown, principal: Principal): Promise<AccountChange> {
    const request = parseRequest(createAccountRequestSchema, body);
    const errors = [
      ...validateScope(request.role, request.scope),
      ...passwordProblems(request.password, request.username, { production: this.production }),
    ];
    if (errors.length > 0) throw validationProblem(errors);
    this.assertMayManage(principal, request.role, request.scope);
    const account = new Account();
    Object.assign(account, {
      username: request.username,
      displayName: request.displayName.trim(),
      passwordHash: await hashPassword(request.password),
      role: request.role,
      scope: [...request.scope],
      disabled: false,
      createdBy: principal.subject,
      lastSignInAt: null,
    });
    if (!(await this.accounts.insert(account)))
      throw new ProblemException(
        409,
        'ACCOUNT.EXISTS',
        'Conflict',
        `The username ${request.username} is taken.`,
        [],
        '该用户名已存在',
      );
    return { kind: 'created', account: accountView(account), revokeSessions: false };
  }

  async update(username: string, body: unknown, principal: Principal): Promise<AccountChange> {
    const request = parseRequest(updateAccountRequestSchema, body);
    let revokeSessions = false;
    const updated = await this.accounts.update(username, async (account) => {
      this.assertMayManage(principal, account.role, account.scope);
      const role = request.role ?? account.role;
      const scope = request.scope ?? (request.role && request.role !== account.role ? [] : account.scope);
      const errors = [
        ...(request.role !== undefined || request.scope !== undefined ? validateScope(role, scope) : []),
        ...(request.password !== undefined
          ? passwordProblems(request.password, username, { production: this.production })
          : []),
      ];
      if (errors.length > 0) throw validationProblem(errors);
      this.assertMayManage(principal, role, scope);
      if (principal.subject === subjectOf(username) && (request.disabled || (request.role && request.role !== 'admin')))
        throw forbidden('You cannot disable your own account or take away your own admin role.');
      // Old tokens carry the old role and scope: a change of either, a disabling or a new password ends them.
      revokeSessions =
        request.password !== undefined ||
        request.disabled === true ||
        role !== account.role ||
        scope.join(',') !== account.scope.join(',');
      if (request.displayName !== undefined) account.displayName = request.displayName.trim();
      account.role = role;
      account.scope = [...scope];
      if (request.disabled !== undefined) account.disabled = request.disabled;
      if (request.password !== undefined) {
        account.passwordHash = await hashPassword(request.password);
        account.passwordChangedAt = new Date();
      }
    });
    if (!updated) throw notFound('ACCOUNT.NOT_FOUND', `The account ${username}`);
    if (revokeSessions) await this.refreshTokens.revokeAllOf(username, new Date());
    return { kind: 'updated', account: accountView(updated), revokeSessions };
  }

  private get production(): boolean {
    return this.config.NODE_ENV === 'production';
  }

  /** The streets a park team may hand out; undefined for admins (no restriction). */
  private managedStreets(principal: Principal): string[] | undefined {
    if (principal.role === 'admin') return undefined;
    if (principal.role === 'park') return principal.scope.flatMap(streetsOfPark);
    throw forbidden();
  }

  private assertMayManage(principal: Principal, role: Role, scope: readonly string[]): void {
    const streets = this.managedStreets(principal);
    if (!streets) return;
    if (role !== 'street' || scope.length === 0 || !scope.every((street) => streets.includes(street)))
      throw forbidden('A park team manages the accounts of the street teams of its own park only.');
  }
}

/** The token subject of an account, distinct from API key ids (key_…). */
export function subjectOf(username: string): string {
  return `account:${username}`;
}

export function accountView(account: Account): AccountView {
  return {
    username: account.username,
    displayName: account.displayName,
    role: account.role,
    scope: [...account.scope],
    disabled: account.disabled,
    createdAt: account.createdAt.toISOString(),
    lastSignInAt: account.lastSignInAt ? account.lastSignInAt.toISOString() : null,
  };
}
