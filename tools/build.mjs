// npm run build — compiles apps and libs with SWC into dist/ (CommonJS, decorators with metadata,
// path aliases rewritten), copying the JSON data files next to the code that reads them.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { root } from './lib/infra.mjs';

rmSync(`${root}/dist`, { recursive: true, force: true });
execFileSync(
  `${root}/node_modules/.bin/swc`,
  [
    'apps',
    'libs',
    'bench/src',
    'tools/demo/src',
    '-d',
    'dist',
    '--copy-files',
    '--ignore',
    '**/*.spec.ts,**/test/**,**/*.int-spec.ts,**/*.e2e-spec.ts,**/jest.config.cjs,apps/web/**',
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);
console.log('[build] dist/ ready');
