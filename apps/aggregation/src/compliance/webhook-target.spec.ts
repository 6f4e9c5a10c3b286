import { checkWebhookTarget, isDeliverableAddress, type Resolve } from './webhook-target';

const production = { httpsOnly: true, allowLoopback: false };
const development = { httpsOnly: false, allowLoopback: false };
const tests = { httpsOnly: false, allowLoopback: true };
const dns: Record<string, string[]> = {
  '127.0.0.1.nip.io': ['127.0.0.1'],
  localhost: ['127.0.0.1', '::1'],
  'hooks.example.org': ['93.184.215.14'],
  'split.example.org': ['93.184.215.14', '10.0.0.7'],
  'metadata.example.org': ['169.254.169.254'],
};
const resolve: Resolve = async (hostname) => {
  const addresses = dns[hostname];
  if (!addresses) throw new Error('ENOTFOUND');
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe(checkWebhookTarget.name, () => {
  it.each([
    'http://127.0.0.1:5432/',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost:6379/',
    'http://127.0.0.1.nip.io/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://[::1]:3001/',
    'http://0.0.0.0:3001/',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://split.example.org/',
    'http://metadata.example.org/',
  ])('refuses %s, which points inside', async (url) => {
    expect(await checkWebhookTarget(url, development, resolve)).toEqual({ ok: false, reason: 'ADDRESS_NOT_PUBLIC' });
  });

  it('refuses credentials in the URL, other schemes, plain http in production and names that do not resolve', async () => {
    expect(await checkWebhookTarget('http://user:pass@127.0.0.1:3003/', tests, resolve)).toMatchObject({
      reason: 'CREDENTIALS',
    });
    expect(await checkWebhookTarget('ftp://hooks.example.org/', development, resolve)).toMatchObject({
      reason: 'SCHEME',
    });
    expect(await checkWebhookTarget('http://hooks.example.org/', production, resolve)).toMatchObject({
      reason: 'SCHEME',
    });
    expect(await checkWebhookTarget('https://nowhere.example.org/', production, resolve)).toMatchObject({
      reason: 'UNRESOLVABLE',
    });
    expect(await checkWebhookTarget('not a url', production, resolve)).toMatchObject({ reason: 'URL_INVALID' });
  });

  it('accepts a public https host and pins the address it checked', async () => {
    expect(await checkWebhookTarget('https://hooks.example.org/huoju', production, resolve)).toMatchObject({
      ok: true,
      address: '93.184.215.14',
      family: 4,
    });
  });

  it('lets tests deliver to loopback only when the switch is on, and never to other inside addresses', async () => {
    expect(await checkWebhookTarget('http://127.0.0.1:3001/hooks', tests, resolve)).toMatchObject({ ok: true });
    expect(isDeliverableAddress('::1', tests)).toBe(true);
    expect(isDeliverableAddress('10.0.0.1', tests)).toBe(false);
    expect(isDeliverableAddress('169.254.169.254', tests)).toBe(false);
    expect(isDeliverableAddress('127.0.0.1', development)).toBe(false);
  });
});
