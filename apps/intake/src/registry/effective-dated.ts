import { addDays } from '@huoju/domain';

/** An effective-dated link's validity: inclusive YYYY-MM-DD dates, open while validTo is empty. */
export interface Validity {
  validFrom: string;
  validTo?: string | null;
}

/**
 * A new link from `from` supersedes the open ones: one that started earlier ends the day before; one that
 * starts that day or later is superseded outright (returned, to be removed) rather than left with an
 * empty validity. The same rule as the roster import's set-based SQL.
 */
export function supersede<T extends Validity>(open: readonly T[], from: string): T[] {
  const superseded: T[] = [];
  for (const link of open) {
    if (link.validFrom < from) link.validTo = addDays(from, -1);
    else superseded.push(link);
  }
  return superseded;
}

/** Ends on `to` the open links that started on or before it; returns the ones it ended. */
export function endOpen<T extends Validity>(open: readonly T[], to: string): T[] {
  const ended = open.filter((link) => link.validFrom <= to);
  for (const link of ended) link.validTo = to;
  return ended;
}
