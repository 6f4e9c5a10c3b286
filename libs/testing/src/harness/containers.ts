/**
 * The Docker path: only for machines that have no local services but do have a Docker engine.
 * testcontainers is imported lazily so that machines without Docker never load it.
 */
export async function startContainers(
  missing: readonly ('postgres' | 'redis' | 'kafka')[],
): Promise<Record<string, string>> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const env: Record<string, string> = {};
  const handles: { stop(): Promise<unknown> }[] = [];
  if (missing.includes('postgres')) {
    const pg = await new GenericContainer('postgres:15-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'huoju_test' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    handles.push(pg);
    env.DATABASE_URL = `postgresql://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/huoju_test`;
  }
  if (missing.includes('redis')) {
    const redis = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    handles.push(redis);
    env.REDIS_URL = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  }
  if (missing.includes('kafka')) {
    const kafka = await new GenericContainer('apache/kafka:4.3.0')
      .withExposedPorts({ container: 9092, host: 9092 })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://localhost:9092',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start();
    handles.push(kafka);
    env.KAFKA_BROKERS = 'localhost:9092';
  }
  (globalThis as { __huojuContainers?: typeof handles }).__huojuContainers = handles;
  return env;
}
