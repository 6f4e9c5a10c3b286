// npm test → nx run k8s:test: the alert rules and the dashboard only name series that exist — the
// services' own (read from the Metrics class itself) or those of the engines' exporters — with labels
// those series have, and they cover what operators must be woken for.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { requireTs, root } from './manifests.mjs';

/** Series from outside Huoju's code, with where they come from. */
const EXTERNAL_SERIES = {
  kafka_consumergroup_lag: ['consumergroup', 'topic', 'partition', 'namespace'], // Strimzi Kafka Exporter
  kube_deployment_status_replicas_available: ['deployment', 'namespace'], // kube-state-metrics
  kube_deployment_spec_replicas: ['deployment', 'namespace'], // kube-state-metrics
};
/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ['namespace', 'pod', 'instance', 'job', 'le'];

/** Every series name a service exposes, with its label names (histograms as _bucket, _sum, _count). */
function serviceSeries() {
  const { Metrics } = requireTs('libs/platform/src/metrics/metrics.ts');
  const metrics = new Metrics('test');
  const series = new Map();
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const labels = [...(metric.labelNames ?? []), 'service'];
    const names =
      metric.type === 'histogram'
        ? ['_bucket', '_sum', '_count'].map((suffix) => metric.name + suffix)
        : metric.type === 'summary'
          ? [metric.name, `${metric.name}_sum`, `${metric.name}_count`]
          : [metric.name];
    for (const name of names) series.set(name, labels);
  }
  return series;
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);

/** The problems of one PromQL expression: unknown series, and label matchers on labels a series lacks. */
export function expressionProblems(expr, known) {
  const problems = [];
  const text = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const match of text.matchAll(/\b([a-z_][a-z0-9_]*)\s*(\{[^}]*\})?/g)) {
    const [, name, selector] = match;
    const following = text.slice(match.index + match[0].length).trimStart();
    const isFunction = following.startsWith('(') && !selector;
    if (isFunction || PROMQL_WORDS.has(name) || !/_/.test(name)) continue;
    if (/\b(by|without)\s*\([^)]*$/.test(text.slice(0, match.index))) continue; // a label in by (...)
    const labels = known.get(name);
    if (!labels) {
      problems.push(`unknown series ${name}`);
      continue;
    }
    for (const [, label] of (selector ?? '').matchAll(/([a-z_]+)\s*(=~|!~|!=|=)/g)) {
      if (!labels.includes(label) && !TARGET_LABELS.includes(label)) problems.push(`${name} has no label ${label}`);
    }
  }
  return problems;
}

const known = new Map([...serviceSeries(), ...Object.entries(EXTERNAL_SERIES)]);
const rules = parse(readFileSync(path.join(root, 'infra/observability/alerts.yaml'), 'utf8'));
const alerts = rules.spec.groups.flatMap((group) => group.rules);
const dashboard = JSON.parse(readFileSync(path.join(root, 'infra/observability/grafana-dashboard.json'), 'utf8'));

describe('observability', () => {
  test('every alert names series and labels that exist', () => {
    assert.equal(rules.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(rules.kind, 'PrometheusRule');
    const problems = alerts.flatMap((rule) => expressionProblems(rule.expr, known).map((p) => `${rule.alert}: ${p}`));
    assert.deepEqual(problems, []);
  });

  test('the alerts cover lag, dead letters, stuck filings, freshness, errors and readiness', () => {
    const names = alerts.map((rule) => rule.alert);
    for (const name of [
      'HuojuConsumerLag',
      'HuojuDeadLetters',
      'HuojuStuckFilings',
      'HuojuFreshnessAboveTarget',
      'HuojuHttpErrorRate',
      'HuojuServiceNotReady',
    ]) {
      assert.ok(names.includes(name), name);
    }
    for (const rule of alerts) {
      assert.ok(['warning', 'critical'].includes(rule.labels?.severity), `${rule.alert}: severity`);
      assert.ok(rule.annotations?.summary, `${rule.alert}: summary`);
    }
  });

  test('every dashboard panel queries series and labels that exist', () => {
    const problems = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => expressionProblems(target.expr, known).map((p) => `${panel.title}: ${p}`)),
    );
    assert.deepEqual(problems, []);
    assert.ok(dashboard.panels.length >= 10);
  });

  test('a rule on a series nobody exports, or on a label it lacks, is caught', () => {
    assert.deepEqual(expressionProblems('sum(rate(huoju_filings_stuck_total[5m])) > 0', known), [
      'unknown series huoju_filings_stuck_total',
    ]);
    assert.deepEqual(expressionProblems('max by (topic) (huoju_dlq_depth{queue="x"}) > 0', known), [
      'huoju_dlq_depth has no label queue',
    ]);
  });
});
