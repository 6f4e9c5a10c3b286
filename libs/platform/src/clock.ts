/** The time, injectable so that deadline logic can be tested with a frozen or shifted clock. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that starts at `startAt` and then runs at normal speed: demos and tests can place the service
 * at a chosen day (e.g. the 16th, one day after a deadline) while timers still work.
 */
export function shiftedClock(startAt: Date, realStart = Date.now()): Clock {
  return { now: () => new Date(startAt.getTime() + (Date.now() - realStart)) };
}

export function clockFromEnvironment(value: string | undefined): Clock {
  if (!value) return systemClock;
  const start = new Date(value);
  if (Number.isNaN(start.getTime())) throw new Error(`HUOJU_CLOCK_START is not an ISO instant: ${value}`);
  return shiftedClock(start);
}
