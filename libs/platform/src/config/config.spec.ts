import { z } from 'zod';
import { ConfigError, baseConfigSchema, loadConfig, namespaced } from './config';

describe(loadConfig.name, () => {
  const schema = baseConfigSchema.extend({ PORT: z.coerce.number().int().min(1).max(65535) });

  it('applies defaults and parses the broker list', () => {
    const config = loadConfig('intake', schema, { PORT: '3001', KAFKA_BROKERS: 'a:9092, b:9092' });
    expect(config).toMatchObject({ PORT: 3001, KAFKA_BROKERS: ['a:9092', 'b:9092'], HUOJU_NAMESPACE: '' });
  });

  it('lists every problem at once', () => {
    try {
      loadConfig('intake', schema, { PORT: 'http', DATABASE_URL: 'not a url', HUOJU_NAMESPACE: 'Bad-Name' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('DATABASE_URL');
      expect(problems).toContain('HUOJU_NAMESPACE');
    }
  });

  it('derives namespaced names', () => {
    expect(namespaced('t1').topic('filing.submitted.v1')).toBe('t1.filing.submitted.v1');
    expect(namespaced('').schema('intake')).toBe('intake');
    expect(namespaced('t1').schema('intake')).toBe('intake_t1');
  });
});
