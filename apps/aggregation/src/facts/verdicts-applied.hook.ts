/** A verdict's key, as the facts transaction applied it. */
export interface AppliedVerdict {
  readonly uscc: string;
  readonly formId: string;
  readonly period: string;
}

/**
 * What another feature of the app does once a batch of verdicts is applied and committed (compliance
 * announces late first filings at once). Facts knows only this contract, not who implements it; it must
 * not fail the consumer.
 */
export abstract class VerdictsAppliedHook {
  abstract filingsValidated(verdicts: readonly AppliedVerdict[]): Promise<void>;
}
