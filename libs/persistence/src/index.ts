export * from './orm-options';
