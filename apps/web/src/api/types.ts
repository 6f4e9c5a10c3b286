// The services' answers as the console reads them: aliases of the shared HTTP contracts
// (@huoju/contracts/http), never shapes declared here, so the console cannot drift from the services.
import type {
  AggregationRoutes,
  IntakeRoutes,
  ResponseOf,
  RoleName,
  TorchExportRoutes,
  explanationViewSchema,
  importIssueSchema,
} from '@huoju/contracts/http';
import type { z } from 'zod';
import type { ReplyOf } from './client';

type Intake<K extends keyof IntakeRoutes> = ReplyOf<IntakeRoutes[K]>;
type Aggregation<K extends keyof AggregationRoutes> = ReplyOf<AggregationRoutes[K]>;

export type Role = RoleName;
export type FormDefinition = Intake<'getForm'>;
export type FormId = FormDefinition['formId'];
export type Indicator = FormDefinition['indicators'][number];
export type FormRules = Intake<'getFormRules'>;
export type ExplanationReason = FormRules['explanationReasons'][number];
export type DryRun = Intake<'validateFiling'>;
export type Finding = DryRun['findings'][number];
export type Explanation = z.infer<typeof explanationViewSchema>;
export type Receipt = ResponseOf<IntakeRoutes['submitFiling'], 202>;
export type FilingList = Intake<'listFilings'>;
export type FilingSummary = FilingList['items'][number];
export type Filing = Intake<'getFiling'>;
export type RevisionDetail = Intake<'getFilingRevision'>;
export type Compliance = Aggregation<'getCompliance'>;
export type WorkQueueItem = Compliance['queue'][number];
export type ComplianceStatus = WorkQueueItem['status'];
export type Trend = Aggregation<'getComplianceTrend'>;
export type TrendPoint = Trend['points'][number];
export type AccountView = Intake<'listAccounts'>['items'][number];
export type ApiKey = Intake<'listApiKeys'>[number];
export type EnterpriseState = Intake<'getEnterprise'>;
export type Evaluation = Aggregation<'getEvaluation'>;
export type ParkEvaluation = Evaluation['parks'][number];
export type Target = Aggregation<'listTargets'>['targets'][number];
export type Provenance = Aggregation<'getProvenance'>;
export type ProvenanceFiling = Provenance['filings'][number];
export type AggregateRow = Aggregation<'queryAggregates'>['rows'][number];
export type Webhook = Aggregation<'getWebhook'>;
export type WebhookDelivery = Aggregation<'listWebhookDeliveries'>['deliveries'][number];
export type ExportJob = ReplyOf<TorchExportRoutes['getExport']>;
export type RosterImportResult = Intake<'importRoster'>;
/** A roster file's row error: the items of the 422 problem's `errors` of an import. */
export type ImportIssue = z.infer<typeof importIssueSchema>;
export type AuditEntry = Intake<'listAudit'>['items'][number];
