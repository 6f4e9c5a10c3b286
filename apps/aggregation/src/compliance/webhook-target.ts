import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a reminder webhook may point. Checked when the URL is saved and again before every delivery (a
 * name can be re-pointed between the two), and the delivery connects to exactly the address checked
 * here, so DNS cannot swap in an inside address afterwards.
 */
export interface WebhookTargetPolicy {
  /** Production: https only, so contact data never goes over plain http. */
  readonly httpsOnly: boolean;
  /** Tests and local demos deliver to 127.0.0.1; the config refuses this in production. */
  readonly allowLoopback: boolean;
}

export type WebhookTargetRefusal = 'URL_INVALID' | 'SCHEME' | 'CREDENTIALS' | 'ADDRESS_NOT_PUBLIC' | 'UNRESOLVABLE';

export type CheckedTarget =
  | { readonly ok: true; readonly url: URL; readonly address: string; readonly family: 4 | 6 }
  | { readonly ok: false; readonly reason: WebhookTargetRefusal };

/** Addresses that are not on the public internet: private, loopback, link-local (cloud metadata), unspecified, reserved. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for an address a webhook may be delivered to under the policy. */
export function isDeliverableAddress(address: string, policy: WebhookTargetPolicy): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is checked as the IPv4 address it is.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped) return isDeliverableAddress(mapped, policy);
  if (policy.allowLoopback && LOOPBACK.check(address, type)) return true;
  return !NOT_PUBLIC.check(address, type);
}

export type Resolve = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Parses, resolves and checks a webhook URL. The URL parser already turns `http://2130706433/`,
 * `http://0x7f000001/` and `http://[::1]/` into their addresses; names such as `127.0.0.1.nip.io` are
 * resolved, and every address they resolve to must be deliverable (one inside address refuses the name).
 */
export async function checkWebhookTarget(
  text: string,
  policy: WebhookTargetPolicy,
  resolve: Resolve = systemResolve,
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'URL_INVALID' };
  }
  if (url.protocol !== 'https:' && (policy.httpsOnly || url.protocol !== 'http:'))
    return { ok: false, reason: 'SCHEME' };
  if (url.username || url.password) return { ok: false, reason: 'CREDENTIALS' };
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (!hostname) return { ok: false, reason: 'URL_INVALID' };
  let addresses: readonly { address: string; family: number }[];
  try {
    addresses = isIP(hostname) ? [{ address: hostname, family: isIP(hostname) }] : await resolve(hostname);
  } catch {
    return { ok: false, reason: 'UNRESOLVABLE' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'UNRESOLVABLE' };
  if (!addresses.every((entry) => isDeliverableAddress(entry.address, policy)))
    return { ok: false, reason: 'ADDRESS_NOT_PUBLIC' };
  const [first] = addresses;
  return { ok: true, url, address: first!.address, family: first!.family === 6 ? 6 : 4 };
}
