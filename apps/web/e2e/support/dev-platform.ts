// `node apps/web/e2e/support/dev-platform.ts [port]` — the test platform kept running for working on the
// console (services on free ports, the host on the given port). Ctrl-C stops it and drops its namespace.
import { startPlatform } from './platform.ts';

const running = await startPlatform({ port: Number(process.argv[2] ?? 3100) });
console.log(JSON.stringify(running.state, null, 2));
const stop = () => void running.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
