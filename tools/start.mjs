// npm start — brings up what is not already running (Kafka via infra/kafka, database, migrations),
// builds and starts the four services, loads a small demo through the public APIs and prints how to
// call them. Runs in the foreground: Ctrl-C stops the services (and the broker, if this run started it).
// `npm start -- --detach` leaves them running in the background; `npm run stop` stops them.
import { execFileSync, spawnSync } from 'node:child_process';
import { devCredentials } from './lib/dev-keys.mjs';
import { ensureInfrastructure, root, stopKafka, urls } from './lib/infra.mjs';
import { SERVICES, healthy, savePids, startService, waitHealthy } from './lib/services.mjs';

const detach = process.argv.includes('--detach');
const env = {
  DATABASE_URL: urls.database,
  REDIS_URL: urls.redis,
  KAFKA_BROKERS: urls.kafka,
  ...devCredentials(),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  EXPORT_DIR: process.env.EXPORT_DIR ?? `${root}/.run/exports`,
  KAFKAJS_NO_PARTITIONER_WARNING: '1',
  // The demo dates its past filings as enterprises would have filed them (intake honours it only in development).
  DEMO_BACKDATING: process.env.NODE_ENV === 'production' ? 'off' : 'on',
};

const { startedKafka } = await ensureInfrastructure();
execFileSync(`${root}/node_modules/.bin/node`, [`${root}/tools/build.mjs`], { stdio: 'inherit' });
execFileSync(`${root}/node_modules/.bin/vite`, ['build', '-c', 'apps/web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});

const children = [];
const pids = {};
for (const service of SERVICES) {
  if (await healthy(service.port)) {
    console.log(`[start] ${service.name} already answers on :${service.port}; reusing it`);
    continue;
  }
  const child = startService(service, env, { detached: detach });
  children.push({ service, child });
  pids[service.name] = child.pid;
}
try {
  for (const { service, child } of children) {
    await waitHealthy(service, child);
    console.log(`[start] ${service.name} ready on http://127.0.0.1:${service.port}`);
  }
} catch (error) {
  console.error(`[start] ${error.message}`);
  for (const { child } of children) child.kill('SIGTERM');
  process.exit(1);
}
savePids({ ...pids, startedKafka });

const demo = spawnSync(`${root}/node_modules/.bin/node`, [`${root}/dist/tools/demo/src/demo.main.js`], {
  env: { ...process.env, ...env, INTAKE_URL: 'http://127.0.0.1:3001' },
  encoding: 'utf8',
});
process.stdout.write(
  demo.stdout
    .split('\n')
    .filter((line) => !line.startsWith('DEMO_RESULT'))
    .join('\n'),
);
if (demo.status !== 0) {
  console.error(`[demo] failed: ${demo.stderr}`);
} else {
  const result = JSON.parse(
    demo.stdout
      .split('\n')
      .find((line) => line.startsWith('DEMO_RESULT'))
      .slice('DEMO_RESULT '.length),
  );
  printWelcome(result);
}

if (detach) {
  for (const { child } of children) child.unref();
  console.log('\nRunning in the background. Stop with: npm run stop');
  process.exit(0);
}

console.log('\nPress Ctrl-C to stop.');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping services…');
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        }),
    ),
  );
  if (startedKafka) stopKafka();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

function printWelcome(result) {
  const key = (role) => result.credentials.find((c) => c.role === role);
  const enterprise = key('enterprise');
  const period = result.example.period;
  const body = JSON.stringify({ formId: 'torch-monthly', period, values: result.example.values });
  console.log(`
Huoju is running with demo data: ${result.enterprises} enterprises, ${result.filings} filings for ${result.periods.length > 1 ? `${result.periods[0]} … ${result.periods[result.periods.length - 1]}` : result.periods[0]}.

  intake        http://127.0.0.1:3001   docs: http://127.0.0.1:3001/docs
  validation    http://127.0.0.1:3002   (health: /health)
  aggregation   http://127.0.0.1:3003   docs: http://127.0.0.1:3003/docs
  torch-export  http://127.0.0.1:3004   docs: http://127.0.0.1:3004/docs

Web console  http://127.0.0.1:3000   sign in with one of (password ${result.password} for all):
${result.accounts.map((a) => `  ${a.role.padEnd(11)} ${a.username.padEnd(20)} ${a.scope.length ? `scope ${a.scope.join(',')}` : ''}`).join('\n')}

Demo API keys (exchange one for a 15-minute token: POST /v1/auth/token with "Authorization: ApiKey <key>"):
${result.credentials.map((c) => `  ${c.role.padEnd(11)} ${c.apiKey}   ${c.scope.length ? `scope ${c.scope.join(',')}` : ''}  (${c.label})`).join('\n')}

Try it (the demo enterprise amends its ${period} filing; its park's figures update within seconds):
  TOKEN=$(curl -s -X POST http://127.0.0.1:3001/v1/auth/token -H 'Authorization: ApiKey ${enterprise.apiKey}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')
  curl -s -X POST http://127.0.0.1:3001/v1/filings -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '${body}'
  TOKEN=$(curl -s -X POST http://127.0.0.1:3001/v1/auth/token -H 'Authorization: ApiKey ${key('commission').apiKey}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')
  curl -s "http://127.0.0.1:3003/v1/aggregates?formId=torch-monthly&period=${period}&indicator=qc05_0&groupBy=park" -H "Authorization: Bearer $TOKEN"
`);
}
