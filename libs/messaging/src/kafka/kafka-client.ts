import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaSecurity } from '@huoju/platform';

export interface KafkaConnectionOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** TLS and SASL (kafkaSecurity() of the service's config); plaintext when absent. */
  readonly security?: KafkaSecurity;
}

/** A kafkajs client whose logs go through the service's pino logger (warnings and worse). */
export function createKafka(options: KafkaConnectionOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...options.security,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(options.logger),
  });
}

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      // The coordinator is briefly unavailable right after a broker starts; kafkajs retries it.
      if (/coordinator (is loading|is not available)/i.test(String(extra.error ?? ''))) return;
      const child = logger.child({ component: 'kafkajs', ...extra });
      if (level === logLevel.ERROR) child.error(message);
      else if (level === logLevel.WARN) child.warn(message);
      else child.debug(message);
    };
}
