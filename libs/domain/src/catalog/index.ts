export * from './catalog.types';
export * from './form-catalog';
