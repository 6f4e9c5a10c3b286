export * from './rule.types';
export * from './rule-engine';
export * from './rule-catalog';
export * from './explanation-policy';
export * from './reference-periods';
