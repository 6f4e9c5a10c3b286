import { startPlatform } from './platform';

/**
 * Starts the platform once for all browser tests; the returned function stops it afterwards. A service that
 * fails to start on the shared broker (a topic-creation race under load) gets one more try in a fresh namespace.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  try {
    return (await startPlatform({ size: 120 })).stop;
  } catch (error) {
    console.warn(`[web-e2e] the platform did not start (${String(error)}); trying once more`);
    return (await startPlatform({ size: 120 })).stop;
  }
}
