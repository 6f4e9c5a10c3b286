import { createEnvelope, parseEnvelope, EnvelopeError } from './envelope';
import type { FilingSubmitted } from './topics';

const submitted: FilingSubmitted = {
  filingId: '0b7e1c3e-6f0f-4a9e-9a53-8d1f0e2b6c11',
  revision: 1,
  attempt: 1,
  uscc: '91310000MA1K000001',
  formId: 'torch-monthly',
  formVersion: '2026.1',
  period: '2026-03',
  values: { qc05_0: '1000.5', qd01: '12' },
  explanations: [],
  contentSha256: 'a'.repeat(64),
  receivedAt: '2026-04-02T03:00:00.000Z',
};

describe('event envelope', () => {
  it('round-trips a payload through its topic schema', () => {
    const envelope = createEnvelope('filing.submitted.v1', submitted.uscc, submitted, { correlationId: 'req-1' });
    expect(envelope).toMatchObject({
      type: 'filing.submitted',
      version: 1,
      key: submitted.uscc,
      correlationId: 'req-1',
    });
    expect(parseEnvelope('filing.submitted.v1', JSON.stringify(envelope)).payload).toEqual(submitted);
  });

  it('refuses to publish a payload that breaks its schema', () => {
    expect(() =>
      createEnvelope('filing.submitted.v1', 'k', { ...submitted, values: { qc05_0: 1000 } } as never),
    ).toThrow();
  });

  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['a tombstone', null, /empty message/],
    ['an envelope without id', JSON.stringify({ type: 'filing.submitted', version: 1 }), /invalid envelope/],
  ])('rejects %s', (_, raw, message) => {
    expect(() => parseEnvelope('filing.submitted.v1', raw)).toThrow(message);
  });

  it('rejects an event published on the wrong topic, and a bad payload with its path', () => {
    const envelope = createEnvelope('filing.submitted.v1', submitted.uscc, submitted);
    expect(() => parseEnvelope('filing.validated.v1', JSON.stringify(envelope))).toThrow(/does not belong/);
    const broken = { ...envelope, payload: { ...submitted, revision: 0 } };
    try {
      parseEnvelope('filing.submitted.v1', JSON.stringify(broken));
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvelopeError);
      expect((error as EnvelopeError).issues).toEqual([expect.objectContaining({ path: '/revision' })]);
    }
  });
});
