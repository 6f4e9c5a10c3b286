export * from './roster-projection.sql';
export * from './roster-projection';
