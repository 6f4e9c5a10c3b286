export * from './common.schema';
export * from './filing.events';
export * from './registry.events';
export * from './aggregate.events';
export * from './audit.events';
export * from './topics';
export * from './envelope';
