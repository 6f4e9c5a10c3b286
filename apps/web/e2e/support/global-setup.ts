import { startPlatform } from './platform';

/** Starts the platform once for all browser tests; the returned function stops it afterwards. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const running = await startPlatform({ size: 120 });
  return running.stop;
}
