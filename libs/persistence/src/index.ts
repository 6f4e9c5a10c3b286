export * from './orm-options';
export * from './database.module';
export * from './roster';
export * from './advisory-lock.query';
