export * from './events';
export * from './http';
export * from './http/auth.http';
