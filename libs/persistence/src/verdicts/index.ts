export * from './accepted-revision';
export * from './accepted-revision.query';
