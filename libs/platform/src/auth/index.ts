export * from './principal';
export * from './keys';
export * from './token';
export * from './revocation';
export * from './auth.guard';
export * from './auth.module';
export * from './scope-validation';
export * from './scope-policy';
