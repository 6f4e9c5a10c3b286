import { signingKeyEnv } from '@huoju/platform';
import { loadDemo } from './load-demo';

/** `node dist/tools/demo/src/demo.main.js` — run by `npm start` once the services are healthy. */
async function main(): Promise<void> {
  const result = await loadDemo({
    intakeUrl: process.env.INTAKE_URL ?? 'http://127.0.0.1:3001',
    signingKey: signingKeyEnv.parse(required('AUTH_SIGNING_KEY')),
    adminApiKey: required('ADMIN_API_KEY'),
    size: Number(process.env.DEMO_ENTERPRISES ?? 400),
    seed: Number(process.env.DEMO_SEED ?? 2026),
    log: (line) => console.log(`[demo] ${line}`),
  });
  // The start script reads this line to print the credentials.
  console.log(`DEMO_RESULT ${JSON.stringify(result)}`);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
