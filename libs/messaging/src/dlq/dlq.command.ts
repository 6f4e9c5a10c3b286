import { userInfo } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { DeadLetterActionRepository } from './dead-letter-action.repository';
import { ParkedOutboxRepository } from '../outbox/parked-outbox.repository';
import { DeadLetterAdmin, type ParkedMessage } from './dead-letter-admin';

export const DLQ_USAGE = `npm run dlq -- <command>
  list                                   every dead-letter topic with its depth and oldest parked message
  show <topic> [--limit N]               the pending parked messages (reason, original topic, payload)
  replay <topic> [--count N | --all]     publish them to their original topic again (after a fix)
  discard <topic> --count N --note TEXT  drop them for good (the note says why)
  history [--limit N]                    the recorded replays and discards
  outbox-list [--limit N]                outbox rows the broker refused for good (too large…), parked per schema
  outbox-replay <schema> (--id N | --all) publish parked outbox rows again (after a fix, e.g. a larger limit)
<topic> is a dead-letter topic, e.g. filing.submitted.v1.dlq (the namespace prefix is added).
Options: --actor NAME (default: the OS user), --note TEXT. Env: KAFKA_BROKERS, DATABASE_URL, HUOJU_NAMESPACE.`;

export type DlqEnvironment = Partial<Record<'KAFKA_BROKERS' | 'DATABASE_URL' | 'HUOJU_NAMESPACE', string>> &
  Record<string, string | undefined>;

/** Runs one `npm run dlq` command; returns what it prints (JSON lines for machines, one per item). */
export async function runDlqCommand(args: readonly string[], env: DlqEnvironment): Promise<string[]> {
  const [command, topicArg] = args;
  const option = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const namespace = env.HUOJU_NAMESPACE ?? '';
  const kafka = new Kafka({
    clientId: 'dlq-tool',
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = new DeadLetterAdmin(kafka, namespace);
  const actions = new DeadLetterActionRepository(
    env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/huoju',
    namespace ? `ops_${namespace}` : 'ops',
  );
  const topic = () => {
    if (!topicArg?.endsWith('.dlq')) throw new Error(`a dead-letter topic (<topic>.dlq) is required\n${DLQ_USAGE}`);
    return namespace && !topicArg.startsWith(`${namespace}.`) ? `${namespace}.${topicArg}` : topicArg;
  };
  const limit = Number(option('limit') ?? 20);
  const json = (value: unknown) => JSON.stringify(value);

  switch (command) {
    case 'list':
      return (await admin.queues()).map(json);
    case 'show':
      return (await admin.read(topic(), limit)).map(json);
    case 'replay':
    case 'discard': {
      const all = args.includes('--all');
      const count = all ? Number.MAX_SAFE_INTEGER : Number(option('count'));
      if (!all && !(count > 0)) throw new Error(`--count N (or --all for replay) is required\n${DLQ_USAGE}`);
      if (command === 'discard' && (all || !option('note'))) {
        throw new Error(`discard needs --count N and --note TEXT (why the messages are dropped)`);
      }
      const messages = await admin.read(topic(), all ? 100_000 : count);
      if (command === 'replay') await admin.replay(messages);
      else await admin.discard(messages);
      await actions.record(messages.map((message) => actionOf(command, message, option('actor'), option('note'))));
      return [json({ [command === 'replay' ? 'replayed' : 'discarded']: messages.length, topic: topic() })];
    }
    case 'history':
      return (await actions.history(limit)).map(json);
    case 'outbox-list': {
      const parked = new ParkedOutboxRepository(env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/huoju');
      return (await parked.list(await parked.schemas(namespace), limit)).map(json);
    }
    case 'outbox-replay': {
      const parked = new ParkedOutboxRepository(env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/huoju');
      const id = option('id');
      if (!topicArg || topicArg.startsWith('--') || (!id && !args.includes('--all')))
        throw new Error(`outbox-replay needs a schema and --id N or --all\n${DLQ_USAGE}`);
      const replayed = await parked.replay(topicArg, id ? [id] : 'all');
      await actions.record(
        replayed.map((row) => ({
          action: 'replay' as const,
          dlqTopic: `${row.schema}.outbox`,
          partition: -1,
          offset: row.id,
          originalTopic: row.topic,
          reason: row.reason,
          actor: option('actor') ?? userInfo().username,
          note: option('note'),
        })),
      );
      return [json({ replayed: replayed.length, schema: topicArg })];
    }
    default:
      throw new Error(DLQ_USAGE);
  }
}

function actionOf(
  action: 'replay' | 'discard',
  message: ParkedMessage,
  actor: string | undefined,
  note: string | undefined,
) {
  return {
    action,
    dlqTopic: message.dlqTopic,
    partition: message.partition,
    offset: message.offset,
    originalTopic: message.originalTopic,
    reason: message.reason,
    actor: actor ?? userInfo().username,
    note,
  };
}
