import { TokenIssuer, type PrivateJwk, type Principal } from '@huoju/platform';
import { formVersionFor, previousMonth, scheduleFor, shanghaiMonth, subParks, type Period } from '@huoju/domain';
// The generators alone: the demo runs at start-up and needs none of the test harness.
import { demoValues, enterpriseBody, generateRoster, inScopeOn } from '@huoju/testing/generators';

export interface DemoOptions {
  readonly intakeUrl: string;
  /** intake's signing key: the demo files as each enterprise without an API key per enterprise (development only). */
  readonly signingKey: PrivateJwk;
  readonly adminApiKey: string;
  readonly size: number;
  readonly seed: number;
  readonly now?: Date;
  readonly log?: (line: string) => void;
}

/** The password of every demo account (production mode refuses it). */
export const DEMO_ACCOUNT_PASSWORD = 'Huoju-Demo-2026';

export interface DemoAccount {
  readonly username: string;
  readonly role: string;
  readonly scope: readonly string[];
  readonly displayName: string;
}

export interface DemoCredentials {
  readonly role: string;
  readonly scope: readonly string[];
  readonly label: string;
  readonly apiKey: string;
}

/**
 * Loads the demo through the public APIs only: a generated roster, one API key per role, and this year's
 * months still open for filing, filed by the enterprises themselves (a few late, a few missing,
 * a few with warnings). Idempotent: a second run creates no new revisions (Idempotency-Key per filing).
 */
export async function loadDemo(options: DemoOptions): Promise<{
  credentials: DemoCredentials[];
  accounts: DemoAccount[];
  password: string;
  enterprises: number;
  filings: number;
  periods: string[];
  example: { period: string; values: Record<string, string> };
}> {
  const log = options.log ?? (() => undefined);
  const admin = await exchange(options.intakeUrl, options.adminApiKey);
  const roster = generateRoster({ size: options.size, seed: options.seed });
  let created = 0;
  for (const enterprise of roster) {
    const response = await call(options.intakeUrl, 'POST', '/v1/enterprises', admin, enterpriseBody(enterprise));
    if (response.status === 201) created++;
    else if (response.status !== 409)
      throw new Error(`registering ${enterprise.uscc}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  log(`roster: ${roster.length} enterprises (${created} new)`);

  const park = 'PT';
  const inPark = roster.filter((e) => e.parkCode === park);
  const street = mostCommon(inPark.map((e) => e.streetCode));
  const periods = openMonths(options.now ?? new Date());
  // The demo enterprise is a service firm filing monthly: its example amendment needs no industrial output.
  const filer = inPark.find(
    (e) => !/^[BCD]/.test(e.industryCode) && periods.every((p) => inScopeOn(e, 'torch-monthly', lastDay(p))),
  )!;
  const wanted: { role: Principal['role']; scope: string[]; label: string }[] = [
    { role: 'commission', scope: [], label: 'demo: 市科委 commission' },
    { role: 'park', scope: [park], label: `demo: park team ${park} 普陀园` },
    { role: 'street', scope: [street], label: `demo: street team ${street}` },
    { role: 'enterprise', scope: [filer.uscc], label: `demo: enterprise ${filer.nameZh}` },
  ];
  const credentials: DemoCredentials[] = [
    { role: 'admin', scope: [], label: 'demo: administrator (ADMIN_API_KEY)', apiKey: options.adminApiKey },
  ];
  for (const key of wanted) {
    const response = await call(options.intakeUrl, 'POST', '/v1/api-keys', admin, key);
    if (response.status !== 201)
      throw new Error(`creating an API key: ${response.status} ${JSON.stringify(response.body)}`);
    credentials.push({ ...key, apiKey: (response.body as { apiKey: string }).apiKey });
  }

  const accounts = demoAccounts(park, filer.uscc, filer.nameZh);
  for (const account of accounts) {
    const response = await call(options.intakeUrl, 'POST', '/v1/accounts', admin, {
      ...account,
      password: DEMO_ACCOUNT_PASSWORD,
    });
    if (response.status !== 201 && response.status !== 409)
      throw new Error(`creating the account ${account.username}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  log(`accounts: ${accounts.map((account) => account.username).join(', ')} (password ${DEMO_ACCOUNT_PASSWORD})`);

  const tokens = new TokenIssuer(options.signingKey);
  const now = options.now ?? new Date();
  let filings = 0;
  const tally = { onTime: 0, late: 0, missing: 0, warned: 0 };
  for (const [index, enterprise] of roster.entries()) {
    for (const period of periods) {
      if (!inScopeOn(enterprise, 'torch-monthly', lastDay(period))) continue;
      const timing = demoTiming(index, period === periods[periods.length - 1]);
      if (timing === 'missing') {
        tally.missing++;
        continue;
      }
      const { token } = await tokens.mint(
        { subject: `demo-${enterprise.uscc}`, role: 'enterprise', scope: [enterprise.uscc] },
        600,
      );
      const warn = index % 17 === 5;
      const body = {
        formId: 'torch-monthly',
        period: period.text,
        values: demoValues(enterprise, period.month, { warn }),
      };
      const receivedAt = demoReceivedAt(period, timing, index, now);
      const response = await call(options.intakeUrl, 'POST', '/v1/filings', token, body, {
        'idempotency-key': `demo-${period.text}-${enterprise.uscc}`,
        // Honoured only by a development intake with DEMO_BACKDATING=on; elsewhere the filing is received now.
        'demo-received-at': receivedAt.toISOString(),
      });
      if (response.status !== 202)
        throw new Error(
          `filing ${enterprise.uscc} ${period.text}: ${response.status} ${JSON.stringify(response.body)}`,
        );
      filings++;
      if (warn) tally.warned++;
      else if (receivedAt <= scheduleFor(formVersionFor('torch-monthly', period.text)!, period).dueAt) tally.onTime++;
      else tally.late++;
    }
  }
  log(
    `filings: ${filings} for ${periods.map((p) => p.text).join(', ')} (about ${tally.onTime} on time, ${tally.late} late, ${tally.warned} needing an explanation; ${tally.missing} missing)`,
  );
  const latest = periods[periods.length - 1]!;
  const values = demoValues(filer, latest.month);
  // An amendment the README can show: revenue up by 1,000 千元 on what the demo filed.
  const example = { period: latest.text, values: { ...values, qc05_0: (Number(values.qc05_0) + 1000).toFixed(3) } };
  return {
    credentials,
    accounts,
    password: DEMO_ACCOUNT_PASSWORD,
    enterprises: roster.length,
    filings,
    periods: periods.map((p) => p.text),
    example,
  };
}

/** One console account per role: the park team of 普陀, its first street, and the demo enterprise. */
function demoAccounts(park: string, uscc: string, enterpriseName: string): DemoAccount[] {
  const street = subParks(park).flatMap((subPark) => subPark.streetCodes)[0]!;
  return [
    { username: 'admin', role: 'admin', scope: [], displayName: '系统管理员 Administrator' },
    { username: 'commission', role: 'commission', scope: [], displayName: '市科委 Commission' },
    { username: `park-${park.toLowerCase()}`, role: 'park', scope: [park], displayName: '普陀园 Park team' },
    { username: `street-${street}`, role: 'street', scope: [street], displayName: `街镇 ${street}` },
    { username: 'enterprise-demo', role: 'enterprise', scope: [uscc], displayName: enterpriseName },
  ];
}

type DemoTiming = 'on-time' | 'late' | 'missing';

/**
 * How an enterprise files a month in the demo, deterministic by its place in the roster: most on time, one in
 * ten late, one in twenty never; the newest month, whose deadline may still be ahead, has a quarter not filed yet.
 */
function demoTiming(index: number, newest: boolean): DemoTiming {
  if (newest ? index % 4 === 3 : index % 20 === 19) return 'missing';
  return index % 10 === 3 ? 'late' : 'on-time';
}

/**
 * When the demo filing is received: on time a few days before the due date (never before the month ended),
 * late one to four days after it; never after `now` (intake would not accept a receipt in the future anyway).
 */
function demoReceivedAt(period: Period, timing: Exclude<DemoTiming, 'missing'>, index: number, now: Date): Date {
  const { dueAt } = scheduleFor(formVersionFor('torch-monthly', period.text)!, period);
  const day = 86_400_000;
  const monthEnd = Date.UTC(period.year, period.month, 1); // 00:00 UTC on the 1st of the next month
  const at =
    timing === 'on-time'
      ? Math.max(monthEnd + day / 3, dueAt.getTime() - (1 + (index % 9)) * day)
      : dueAt.getTime() + (1 + (index % 4)) * day - day / 2;
  return new Date(Math.min(at, now.getTime()));
}

/** This year's months open for filing today (opened and not yet locked), at most twelve. */
function openMonths(now: Date): Period[] {
  const form = formVersionFor('torch-monthly', shanghaiMonth(now).text)!;
  const months: Period[] = [];
  let cursor = previousMonth(shanghaiMonth(now));
  while (months.length < 12 && cursor.year === previousMonth(shanghaiMonth(now)).year) {
    const schedule = scheduleFor(form, cursor);
    if (now < schedule.locksAt) months.unshift(cursor);
    else break;
    cursor = previousMonth(cursor);
  }
  return months;
}

function lastDay(period: Period): string {
  const end = new Date(Date.UTC(period.year, period.month, 0)).getUTCDate();
  return `${period.text}-${String(end).padStart(2, '0')}`;
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

async function exchange(baseUrl: string, apiKey: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { authorization: `ApiKey ${apiKey}` },
  });
  if (response.status !== 200) throw new Error(`the admin API key was refused (${response.status})`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
