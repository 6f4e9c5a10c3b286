export * from './decimal';
export * from './period';
export * from './catalog';
export * from './rules';
