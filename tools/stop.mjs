// npm run stop — stops services started with `npm start -- --detach`, and the broker if that run started it.
import { stopKafka } from './lib/infra.mjs';
import { clearPids, readPids } from './lib/services.mjs';

const { startedKafka, ...pids } = readPids();
for (const [name, pid] of Object.entries(pids)) {
  try {
    process.kill(pid, 'SIGTERM');
    console.log(`[stop] ${name} (pid ${pid})`);
  } catch {
    // already gone
  }
}
clearPids();
if (startedKafka) stopKafka();
