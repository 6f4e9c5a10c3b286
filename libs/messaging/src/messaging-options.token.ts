/** The injection token of a service's MessagingOptions (its own file, so that providers can import it without a cycle). */
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
