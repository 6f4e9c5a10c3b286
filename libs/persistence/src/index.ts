export * from './orm-options';
export * from './database.module';
export * from './roster';
export * from './migrate-standalone';
export * from './advisory-lock.query';
export * from './verdicts';
export * from './transient-retry';
