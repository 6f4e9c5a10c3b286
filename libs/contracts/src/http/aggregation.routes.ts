import { type z } from 'zod';
import { aggregateQuery, aggregatesSchema, provenanceQuery, provenanceSchema } from './aggregates.http';
import {
  complianceQuery,
  complianceTrendQuery,
  complianceTrendSchema,
  complianceViewSchema,
  deliveriesQuery,
  deliveriesSchema,
  evaluationQuery,
  evaluationSchema,
  webhookBody,
  webhookParams,
  webhookSchema,
} from './compliance.http';
import { rollupBody, rollupJobsSchema, rollupParams, rollupStatusSchema } from './rollups.http';
import { routeTable } from './route';
import { targetsQuery, targetsSchema } from './targets.http';

const bearer = ['bearer'] as const;
const ok = <S extends z.ZodType>(schema: S, description = 'OK') => ({ description, schema });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Every HTTP operation of aggregation (port 3003). */
export const aggregationRoutes = routeTable({
  queryAggregates: {
    method: 'get',
    path: '/v1/aggregates',
    summary:
      'Figures per zone, park, sub-park, street, industry, tag… for a form and period (JSON, or CSV with format=csv)',
    tags: ['aggregates'],
    security: bearer,
    roles: ['street', 'park', 'commission', 'admin'],
    query: aggregateQuery,
    responses: { 200: { description: 'The figures', schema: aggregatesSchema, files: ['text/csv'] } },
  },
  getProvenance: {
    method: 'get',
    path: '/v1/aggregates/provenance',
    summary: 'The enterprises and filing revisions behind one figure (groupBy, member, indicator)',
    tags: ['aggregates'],
    security: bearer,
    roles: ['street', 'park', 'commission', 'admin'],
    query: provenanceQuery,
    responses: { 200: ok(provenanceSchema) },
  },
  requestRollup: {
    method: 'post',
    path: '/v1/rollups',
    summary: 'Roll up a park’s period now (park code or "all"); returns one job per park',
    tags: ['rollups'],
    security: bearer,
    roles: ['park', 'commission', 'admin'],
    body: rollupBody,
    responses: { 202: ok(rollupJobsSchema, 'Queued') },
  },
  getRollup: {
    method: 'get',
    path: '/v1/rollups/{id}',
    summary: 'State and progress of a roll-up job',
    tags: ['rollups'],
    security: bearer,
    roles: ['park', 'commission', 'admin'],
    params: rollupParams,
    responses: { 200: ok(rollupStatusSchema) },
  },
  listTargets: {
    method: 'get',
    path: '/v1/targets',
    summary:
      'The action-plan targets of a park (or ZJ for the zone), with actual, progress and the indicators behind each',
    tags: ['targets'],
    security: bearer,
    roles: ['park', 'commission', 'admin'],
    query: targetsQuery,
    responses: { 200: ok(targetsSchema) },
  },
  getCompliance: {
    method: 'get',
    path: '/v1/compliance',
    summary:
      'Filing rate, on-time rate and the work queue of missing and late enterprises for a street or park (催报); format=csv|xlsx downloads',
    tags: ['compliance'],
    security: bearer,
    roles: ['street', 'park', 'commission', 'admin'],
    query: complianceQuery,
    responses: { 200: { description: 'The work queue', schema: complianceViewSchema, files: ['text/csv', XLSX] } },
  },
  getComplianceTrend: {
    method: 'get',
    path: '/v1/compliance/trend',
    summary:
      'Filing and on-time rates over the last periods (default 12) for a street or park; format=csv|xlsx downloads',
    tags: ['compliance'],
    security: bearer,
    roles: ['street', 'park', 'commission', 'admin'],
    query: complianceTrendQuery,
    responses: { 200: { description: 'The trend', schema: complianceTrendSchema, files: ['text/csv', XLSX] } },
  },
  getEvaluation: {
    method: 'get',
    path: '/v1/compliance/evaluation',
    summary: 'Filing rates per park and carrier for a period, with the units below the threshold (一次通报、两次摘牌)',
    tags: ['compliance'],
    security: bearer,
    roles: ['commission', 'admin'],
    query: evaluationQuery,
    responses: { 200: ok(evaluationSchema) },
  },
  setWebhook: {
    method: 'put',
    path: '/v1/compliance/webhooks/{kind}/{code}',
    summary: 'Set where the reminders of a street/town or park go: {url, secret} (admin or that team)',
    description:
      'Each delivery is a POST with `Huoju-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; receivers refuse a t older than 5 minutes.',
    tags: ['compliance'],
    security: bearer,
    roles: ['street', 'park', 'admin'],
    params: webhookParams,
    body: webhookBody,
    responses: { 200: ok(webhookSchema) },
  },
  getWebhook: {
    method: 'get',
    path: '/v1/compliance/webhooks/{kind}/{code}',
    summary: 'The webhook set for a street/town or park (never its secret)',
    tags: ['compliance'],
    security: bearer,
    roles: ['street', 'park', 'commission', 'admin'],
    params: webhookParams,
    responses: { 200: ok(webhookSchema) },
  },
  listWebhookDeliveries: {
    method: 'get',
    path: '/v1/compliance/webhooks/{kind}/{code}/deliveries',
    summary: 'The delivery log: each reminder sent to the webhook, its state and every attempt',
    tags: ['compliance'],
    security: bearer,
    roles: ['street', 'park', 'commission', 'admin'],
    params: webhookParams,
    query: deliveriesQuery,
    responses: { 200: ok(deliveriesSchema) },
  },
});

export type AggregationRoutes = typeof aggregationRoutes;
