// Renders the kustomize overlays and checks what they produce: built-in kinds against the Kubernetes
// schemas (kubernetes-models), Strimzi kinds against the CRDs generated from Strimzi's own API model,
// CloudNativePG and the redis-operator against schemas written here, and the rules of this project
// that no schema knows (probes, resources, replicas, replication, secrets). Used by manifests.test.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import * as models from 'kubernetes-models';
import { parseAllDocuments } from 'yaml';

export const k8sDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const root = path.resolve(k8sDir, '../..');
const crdDir = path.join(k8sDir, '.crds');

export function render(overlay) {
  const text = execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(text).map((document) => {
    if (document.errors.length > 0) throw new Error(`${overlay}: ${document.errors[0].message}`);
    return document.toJS();
  });
}

export function nameOf(resource) {
  return `${resource.kind}/${resource.metadata?.name}`;
}

// --- built-in kinds -------------------------------------------------------------------------------------

/** The kubernetes-models class for an apiVersion and kind (core v1 is `models.v1`, apps/v1 is `models.apps.v1`). */
function builtInModel(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const groupKey = group.replace(/[.-](\w)/g, (_, letter) => letter.toUpperCase());
  const namespace = group === '' ? models[version] : models[groupKey]?.[version];
  return namespace?.[kind];
}

export function isBuiltIn(resource) {
  return builtInModel(resource.apiVersion, resource.kind) !== undefined;
}

export function validateBuiltIn(resource) {
  const Model = builtInModel(resource.apiVersion, resource.kind);
  if (!Model) return [`${nameOf(resource)}: ${resource.apiVersion} is not a built-in kind`];
  try {
    new Model(resource).validate();
    return [];
  } catch (error) {
    return [`${nameOf(resource)}: ${error.message}`];
  }
}

// --- custom resources -----------------------------------------------------------------------------------

/**
 * A CRD's schema made strict: Kubernetes prunes unknown fields silently, so a misspelt field would vanish
 * unnoticed; here every object with declared properties refuses others (unless it preserves unknown fields).
 */
export function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, strict(value)]));
  if (copy.properties && !copy['x-kubernetes-preserve-unknown-fields'] && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map();

function register(apiVersion, kind, schema) {
  const wrapped = {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: { apiVersion: { const: apiVersion }, kind: { const: kind }, metadata: { type: 'object' } },
  };
  validators.set(
    `${apiVersion}/${kind}`,
    ajv.compile({ ...schema, ...wrapped, properties: { ...schema.properties, ...wrapped.properties } }),
  );
}

/** Generates (once, cached) and loads Strimzi's CRDs: infra/k8s/tools/strimzi-crds.sh. */
export function loadStrimziSchemas() {
  execFileSync('bash', [path.join(k8sDir, 'tools/strimzi-crds.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (const file of ['kafkas', 'kafkanodepools', 'kafkatopics', 'kafkausers']) {
    const crdPath = path.join(crdDir, `${file}.yaml`);
    if (!existsSync(crdPath)) throw new Error(`${crdPath} missing after generation`);
    const crd = parseAllDocuments(readFileSync(crdPath, 'utf8'))[0].toJS();
    for (const version of crd.spec.versions) {
      const schema = strict(version.schema.openAPIV3Schema);
      delete schema.properties.status;
      register(`${crd.spec.group}/${version.name}`, crd.spec.names.kind, schema);
    }
  }
}

const require = createRequire(import.meta.url);
for (const [apiVersion, kind, file] of [
  ['postgresql.cnpg.io/v1', 'Cluster', './schemas/cnpg-cluster.json'],
  ['postgresql.cnpg.io/v1', 'ScheduledBackup', './schemas/cnpg-scheduled-backup.json'],
  ['redis.redis.opstreelabs.in/v1beta2', 'RedisReplication', './schemas/redis-replication.json'],
  ['redis.redis.opstreelabs.in/v1beta2', 'RedisSentinel', './schemas/redis-sentinel.json'],
  ['cert-manager.io/v1', 'Certificate', './schemas/certificate.json'],
]) {
  register(apiVersion, kind, strict(require(file)));
}

export function validateCustom(resource) {
  const validate = validators.get(`${resource.apiVersion}/${resource.kind}`);
  if (!validate) return [`${nameOf(resource)}: no schema for ${resource.apiVersion} ${resource.kind}`];
  if (validate(resource)) return [];
  return validate.errors.map(
    (error) =>
      `${nameOf(resource)}: ${error.instancePath || '/'} ${error.message}` +
      (error.params?.additionalProperty ? ` (${error.params.additionalProperty})` : ''),
  );
}

export function validateSchemas(resources) {
  return resources.flatMap((resource) => (isBuiltIn(resource) ? validateBuiltIn(resource) : validateCustom(resource)));
}

// --- the project's rules --------------------------------------------------------------------------------

const of = (resources, kind) => resources.filter((resource) => resource.kind === kind);

export function checkDeployments(resources) {
  const problems = [];
  const targets = (kind) => new Set(of(resources, kind).map((r) => r.spec.scaleTargetRef?.name ?? r.metadata.name));
  const autoscaled = targets('HorizontalPodAutoscaler');
  for (const deployment of of(resources, 'Deployment')) {
    const name = nameOf(deployment);
    const spec = deployment.spec;
    const pod = spec.template.spec;
    if (!(spec.replicas >= 2)) problems.push(`${name}: replicas ${spec.replicas} < 2`);
    if (!(pod.terminationGracePeriodSeconds >= 30)) problems.push(`${name}: terminationGracePeriodSeconds below 30`);
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${name}: not runAsNonRoot`);
    for (const container of pod.containers) {
      const where = `${name} container ${container.name}`;
      const ready = container.readinessProbe?.httpGet?.path;
      const live = container.livenessProbe?.httpGet?.path;
      if (!ready) problems.push(`${where}: no readiness probe`);
      if (!live) problems.push(`${where}: no liveness probe`);
      if (ready && live && ready === live)
        problems.push(`${where}: readiness and liveness probe the same path ${ready}`);
      // The services split readiness (dependencies answer) from liveness (the process is not wedged).
      if (deployment.metadata.labels?.['app.kubernetes.io/component'] !== 'web') {
        if (ready && ready !== '/health/ready')
          problems.push(`${where}: readiness path ${ready}, expected /health/ready`);
        if (live && live !== '/health/live') problems.push(`${where}: liveness path ${live}, expected /health/live`);
      }
      for (const bound of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (!container.resources?.[bound]?.[resource]) problems.push(`${where}: no ${bound}.${resource}`);
        }
      }
      if (!container.lifecycle?.preStop) problems.push(`${where}: no preStop hook`);
      if (container.securityContext?.readOnlyRootFilesystem !== true)
        problems.push(`${where}: root filesystem writable`);
      if (container.securityContext?.allowPrivilegeEscalation !== false)
        problems.push(`${where}: privilege escalation`);
    }
    const selector = spec.selector.matchLabels;
    const selects = (r) =>
      Object.entries(r.spec.selector?.matchLabels ?? r.spec.selector ?? {}).every(([k, v]) => selector[k] === v);
    if (!of(resources, 'Service').some(selects)) problems.push(`${name}: no Service`);
    if (!of(resources, 'PodDisruptionBudget').some(selects)) problems.push(`${name}: no PodDisruptionBudget`);
    if (!autoscaled.has(deployment.metadata.name)) problems.push(`${name}: no HorizontalPodAutoscaler`);
  }
  for (const hpa of of(resources, 'HorizontalPodAutoscaler')) {
    if (!(hpa.spec.minReplicas >= 2)) problems.push(`${nameOf(hpa)}: minReplicas below 2`);
    if (!hpa.spec.metrics?.some((metric) => metric.resource?.name === 'cpu'))
      problems.push(`${nameOf(hpa)}: no CPU metric`);
  }
  return problems;
}

/** Expected Kafka topics: every contract topic and its dead-letter topic. */
export function checkKafka(resources, { topics, compacted }) {
  const problems = [];
  const config = of(resources, 'ConfigMap').find((map) => map.metadata.name === 'huoju-config');
  const partitions = Number(config?.data?.KAFKA_PARTITIONS);
  const declared = new Map(
    of(resources, 'KafkaTopic').map((topic) => [topic.spec.topicName ?? topic.metadata.name, topic]),
  );
  const wanted = topics.flatMap((topic) => [topic, `${topic}.dlq`]);
  for (const topic of wanted) if (!declared.has(topic)) problems.push(`KafkaTopic ${topic} missing`);
  for (const [topic, resource] of declared) {
    if (!wanted.includes(topic)) problems.push(`KafkaTopic ${topic} is not a contract topic or its DLQ`);
    if (resource.spec.replicas !== 3)
      problems.push(`KafkaTopic ${topic}: replicas ${resource.spec.replicas}, expected 3`);
    if (Number(resource.spec.config?.['min.insync.replicas']) !== 2)
      problems.push(`KafkaTopic ${topic}: min.insync.replicas not 2`);
    if (resource.spec.partitions !== partitions) {
      problems.push(`KafkaTopic ${topic}: ${resource.spec.partitions} partitions, KAFKA_PARTITIONS is ${partitions}`);
    }
    const isCompacted = resource.spec.config?.['cleanup.policy'] === 'compact';
    if (isCompacted !== compacted.includes(topic))
      problems.push(`KafkaTopic ${topic}: cleanup.policy disagrees with the contracts`);
  }
  const pools = of(resources, 'KafkaNodePool');
  const replicas = pools.reduce((sum, pool) => sum + pool.spec.replicas, 0);
  if (replicas !== 3) problems.push(`KafkaNodePool: ${replicas} nodes, expected 3`);
  for (const pool of pools) {
    if (!['controller', 'broker'].every((role) => pool.spec.roles.includes(role)))
      problems.push(`${nameOf(pool)}: not dual-role (KRaft)`);
  }
  for (const kafka of of(resources, 'Kafka')) {
    if (Number(kafka.spec.kafka.config?.['min.insync.replicas']) !== 2)
      problems.push(`${nameOf(kafka)}: min.insync.replicas not 2`);
    if (Number(kafka.spec.kafka.config?.['default.replication.factor']) !== 3)
      problems.push(`${nameOf(kafka)}: default.replication.factor not 3`);
  }
  return problems;
}

export function checkEngines(resources) {
  const problems = [];
  const clusters = of(resources, 'Cluster');
  if (clusters.length !== 1) problems.push(`expected one CloudNativePG Cluster, found ${clusters.length}`);
  for (const cluster of clusters) {
    if (cluster.spec.instances !== 3)
      problems.push(`${nameOf(cluster)}: ${cluster.spec.instances} instances, expected 3`);
    if (!cluster.spec.backup?.barmanObjectStore?.destinationPath)
      problems.push(`${nameOf(cluster)}: no backup to object storage`);
  }
  if (
    !of(resources, 'ScheduledBackup').some((backup) =>
      clusters.some((c) => c.metadata.name === backup.spec.cluster.name),
    )
  ) {
    problems.push('no ScheduledBackup for the PostgreSQL cluster');
  }
  const replications = of(resources, 'RedisReplication');
  if (replications.length !== 1) problems.push(`expected one RedisReplication, found ${replications.length}`);
  for (const redis of replications) {
    if (!(redis.spec.clusterSize >= 3)) problems.push(`${nameOf(redis)}: fewer than 3 Redis nodes`);
    if (!redis.spec.TLS) problems.push(`${nameOf(redis)}: no TLS (production requires rediss://)`);
    const configName = redis.spec.redisConfig?.additionalRedisConfig;
    const config = of(resources, 'ConfigMap').find((map) => map.metadata.name === configName);
    const text = Object.values(config?.data ?? {}).join('\n');
    if (!/^maxmemory-policy noeviction$/m.test(text))
      problems.push(`${nameOf(redis)}: BullMQ needs maxmemory-policy noeviction`);
    const watched = of(resources, 'RedisSentinel').filter(
      (sentinel) => sentinel.spec.redisSentinelConfig.redisReplicationName === redis.metadata.name,
    );
    if (watched.length === 0) problems.push(`${nameOf(redis)}: no RedisSentinel watches it`);
  }
  return problems;
}

/** No Secret carries data in the repository: Secrets are created in the cluster (docs/operations.md). */
export function checkSecrets(resources) {
  return of(resources, 'Secret')
    .filter((secret) => Object.keys(secret.data ?? {}).length > 0 || Object.keys(secret.stringData ?? {}).length > 0)
    .map((secret) => `${nameOf(secret)}: a Secret with data is committed`);
}

/** Every Secret a pod reads, by name. */
export function referencedSecrets(resources) {
  const names = new Set();
  const visit = (value) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    if (value.secretKeyRef?.name) names.add(value.secretKeyRef.name);
    if (value.secret?.secretName) names.add(value.secret.secretName);
    if (value.secretRef?.name) names.add(value.secretRef.name);
    Object.values(value).forEach(visit);
  };
  for (const resource of resources) if (['Deployment', 'Job'].includes(resource.kind)) visit(resource.spec.template);
  return [...names].sort();
}

export function ingressRoutes(resources) {
  const routes = new Map();
  for (const ingress of of(resources, 'Ingress')) {
    for (const rule of ingress.spec.rules) {
      for (const { path: route, backend } of rule.http.paths) routes.set(route, backend.service.name);
    }
  }
  return routes;
}

/** Which service gets a request path, the way an Ingress controller matches (Exact, then longest Prefix by segment). */
export function routeOf(resources, requestPath) {
  let best;
  for (const ingress of of(resources, 'Ingress')) {
    for (const rule of ingress.spec.rules) {
      for (const entry of rule.http.paths) {
        const matches =
          entry.pathType === 'Exact'
            ? requestPath === entry.path
            : entry.path === '/' ||
              requestPath === entry.path ||
              requestPath.startsWith(`${entry.path.replace(/\/$/, '')}/`);
        const rank = entry.pathType === 'Exact' ? Infinity : entry.path.length;
        if (matches && (!best || rank > best.rank)) best = { rank, service: entry.backend.service.name };
      }
    }
  }
  return best?.service;
}

/** Loads a TypeScript module of the workspace through SWC (the tests run as plain Node, without a build). */
export function requireTs(relativePath) {
  const { transformFileSync } = require('@swc/core');
  const Module = require('node:module');
  const previous = Module._extensions['.ts'];
  Module._extensions['.ts'] = (module, filename) => {
    const { code } = transformFileSync(filename, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
      module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
  try {
    return require(path.join(root, relativePath));
  } finally {
    Module._extensions['.ts'] = previous;
  }
}

/** The contract topics, from libs/contracts. */
export function contractTopics() {
  const contracts = requireTs('libs/contracts/src/events/topics.ts');
  return { topics: [...contracts.TOPICS], compacted: [...contracts.COMPACTED_TOPICS] };
}
