// npm run openapi — writes the OpenAPI 3.1 documents of intake, aggregation and torch-export to openapi/
// without starting any service: the route tables (libs/contracts/src/http) are compiled with SWC and read.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { root } from './lib/infra.mjs';

const out = process.argv[2] ?? `${root}/openapi`;
const build = `${root}/dist/.openapi`;
rmSync(build, { recursive: true, force: true });
execFileSync(
  `${root}/node_modules/.bin/swc`,
  ['libs/contracts/src/http', '-d', build, '--quiet', '--ignore', '**/*.spec.ts'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
const { HTTP_SERVICES, serviceDocument } = createRequire(import.meta.url)(
  `${build}/libs/contracts/src/http/documents.js`,
);
mkdirSync(out, { recursive: true });
const ports = { intake: 3001, aggregation: 3003, 'torch-export': 3004 };
for (const service of Object.keys(HTTP_SERVICES)) {
  const file = `${out}/${service}.openapi.json`;
  writeFileSync(file, `${JSON.stringify(serviceDocument(service, `http://127.0.0.1:${ports[service]}`), null, 2)}\n`);
  console.log(`[openapi] ${file}`);
}
