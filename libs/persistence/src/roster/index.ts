export * from './roster-projection.query';
export * from './roster-projection.repository';
