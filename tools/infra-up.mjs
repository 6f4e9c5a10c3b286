// npm run infra:up — make sure PostgreSQL, Redis and Kafka answer (starting Kafka if needed).
import { ensureInfrastructure } from './lib/infra.mjs';

await ensureInfrastructure();
console.log('[infra] ready');
