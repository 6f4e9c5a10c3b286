export {
  generateRoster,
  iterateRoster,
  type GenerateRosterOptions,
  type GeneratedEnterprise,
  type GeneratedQualification,
  type GeneratedScope,
} from './roster.generator';
export { cumulative, seededRandom, type SeededRandom } from './seeded-random.util';
export * from './enterprise-input';
export * from './event-payloads';
export * from './demo-filings';
