export { type IdentifierIssue } from './identifier.types';
export {
  USCC_CHARSET,
  computeUsccCheckCharacter,
  validateUscc,
  type UsccCheck,
  type UsccIssueCode,
  type UsccOptions,
} from './uscc';
export { defaultUsccOverrides, usccOverrideEntries, type UsccOverrideEntry } from './uscc-overrides';
