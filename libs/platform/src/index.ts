export * from './config/config';
export * from './logging/correlation';
export * from './logging/logger';
export * from './http/problem';
export * from './http/problem.filter';
export * from './http/http-app';
export * from './health/health';
