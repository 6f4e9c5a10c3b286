// npm run screenshots — refreshes docs/screenshots/*.png (1440×900): builds, then runs the console's
// browser tests against a real platform; each main page's test saves its screenshot.
import { run } from './lib/run.mjs';

await run('node', ['tools/build.mjs'], { label: 'build' });
await run('nx', ['run', 'web:browser', '--outputStyle=stream'], {
  env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  label: 'browser tests (screenshots)',
});
