import { stopProjectKafka } from './infrastructure';

/** Stops what the global setup started (the project's Kafka, containers), so a test run leaves no processes behind. */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __huojuStartedKafka?: boolean; __huojuContainers?: { stop(): Promise<unknown> }[] };
  if (state.__huojuStartedKafka) stopProjectKafka();
  await Promise.all((state.__huojuContainers ?? []).map((container) => container.stop()));
}
