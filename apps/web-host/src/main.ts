import path from 'node:path';
import { createHost } from './host';

/** `node dist/apps/web-host/src/main.js` — serves the console on WEB_PORT (3000) with the API routed. */
async function main(): Promise<void> {
  const port = Number(process.env.WEB_PORT ?? process.env.PORT ?? 3000);
  const host = await createHost({
    root: process.env.WEB_ROOT ?? path.resolve(__dirname, '../../web'),
    upstreams: {
      intake: process.env.INTAKE_URL ?? 'http://127.0.0.1:3001',
      aggregation: process.env.AGGREGATION_URL ?? 'http://127.0.0.1:3003',
      torchExport: process.env.TORCH_EXPORT_URL ?? 'http://127.0.0.1:3004',
    },
    logger: process.env.LOG_LEVEL === 'debug',
  });
  await host.listen({ port, host: process.env.WEB_HOST ?? '127.0.0.1' });
  console.log(`web console on http://127.0.0.1:${port}`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
