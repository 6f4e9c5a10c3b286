export * from './events';
export * from './http/auth.http';
