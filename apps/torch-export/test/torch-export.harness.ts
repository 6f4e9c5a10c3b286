import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Producer } from 'kafkajs';
import { createEnvelope, type EventEnvelope, type PayloadOf, type Topic } from '@huoju/contracts';
import { namespaced, type Principal } from '@huoju/platform';
import {
  bearer,
  type JsonResponse,
  eventually,
  type httpClient,
  sqlQuery,
  startServiceUnderTest,
  testKafka,
  testNamespace,
} from '@huoju/testing';
import { startTorchExport } from '../src/bootstrap';
import { torchExportConfigSchema } from '../src/torch-export.config';

export interface ExportJobView {
  id: string;
  state: 'queued' | 'running' | 'completed' | 'failed';
  park: string;
  format: string;
  trigger: string;
  progress: { rowsWritten: number; totalRows: number | null; percent: number };
  cutoff: { kind: string; exportId?: string; verdictSequence: string; validatedAtLimit: string | null };
  file: { name: string; contentType: string; bytes: number; sha256: string } | null;
  error: { code: string; messageZh: string; messageEn: string } | null;
}

export interface RunningTorchExport {
  readonly app: NestFastifyApplication;
  readonly namespace: string;
  readonly url: string;
  readonly exportDir: string;
  /** The testing lib's JSON client, plus PUT (which it does not have). */
  readonly http: ReturnType<typeof httpClient> & {
    put<T = unknown>(path: string, options: { as?: Principal; body?: unknown }): Promise<JsonResponse<T>>;
  };
  /** Publishes events to the service's namespaced topics, as intake, validation and aggregation would. */
  publish<T extends Topic>(topic: T, key: string, payload: PayloadOf<T>): Promise<EventEnvelope<T>>;
  publishEnvelope(topic: Topic, envelope: EventEnvelope): Promise<void>;
  /** Rows of a table in the service's own schema. */
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Requests an export and waits until it is completed (or failed). */
  exportAndWait(as: Principal, body: Record<string, unknown>): Promise<ExportJobView>;
  waitFor(id: string, as: Principal): Promise<ExportJobView>;
  download(id: string, as: Principal): Promise<{ status: number; headers: Headers; bytes: Buffer }>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts torch-export in-process on a free port against the real services, isolated in its own namespace. */
export async function startTestTorchExport(
  env: Record<string, string> = {},
  namespace = testNamespace('export'),
): Promise<RunningTorchExport> {
  const exportDir = await mkdtemp(join(tmpdir(), 'torch-export-test-'));
  const service = await startServiceUnderTest({
    service: 'torch-export',
    configSchema: torchExportConfigSchema,
    start: startTorchExport,
    schemas: ['torch_export'],
    env: { EXPORT_DIR: exportDir, KAFKA_PARTITIONS: '1', ...env },
    namespace,
  });
  const { app, url, http } = service;
  const names = namespaced(namespace);
  const schema = names.schema('torch_export');
  const producer: Producer = testKafka('torch-export-test').producer();
  await producer.connect();

  async function publishEnvelope(topic: Topic, envelope: EventEnvelope): Promise<void> {
    await producer.send({
      topic: names.topic(topic),
      acks: -1,
      messages: [{ key: envelope.key, value: JSON.stringify(envelope) }],
    });
  }

  async function waitFor(id: string, as: Principal): Promise<ExportJobView> {
    return eventually(async () => {
      const response = await http.get<ExportJobView>(`/v1/exports/${id}`, { as });
      return response.body.state === 'completed' || response.body.state === 'failed' ? response.body : undefined;
    }, 60_000);
  }

  return {
    app,
    namespace,
    url,
    exportDir,
    http,
    async publish(topic, key, payload) {
      const envelope = createEnvelope(topic, key, payload);
      await publishEnvelope(topic, envelope as EventEnvelope);
      return envelope;
    },
    publishEnvelope,
    query: <R>(sql: string, params: unknown[] = []) =>
      sqlQuery<R>(sql.replaceAll('torch_export.', `"${schema}".`), params),
    async exportAndWait(as, body) {
      const created = await http.post<ExportJobView>('/v1/exports', { as, body });
      if (created.status !== 202) throw new Error(`export refused: ${created.status} ${JSON.stringify(created.body)}`);
      const done = await waitFor(created.body.id, as);
      if (done.state !== 'completed') throw new Error(`export ${done.id} ${done.state}: ${done.error?.code}`);
      return done;
    },
    waitFor,
    async download(id, as) {
      const response = await fetch(`${url}/v1/exports/${id}/file`, { headers: { authorization: await bearer(as) } });
      return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
    },
    async stop(options = {}) {
      await producer.disconnect();
      await service.stop(options);
      if (!options.keepData) await rm(exportDir, { recursive: true, force: true });
    },
  };
}
