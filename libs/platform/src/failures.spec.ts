import { KafkaJSConnectionError, KafkaJSNonRetriableError } from 'kafkajs';
import { PermanentError, TransientError, classifyFailure } from './failures';

// What kafkajs's retrier throws when the coordinator lookup finds no broker (the class is not exported).
const coordinatorNotFound = Object.assign(new KafkaJSNonRetriableError('Failed to find group coordinator'), {
  cause: Object.assign(new Error('Failed to find group coordinator'), { name: 'KafkaJSGroupCoordinatorNotFound' }),
});

describe(classifyFailure.name, () => {
  it.each([
    ['a lost PostgreSQL connection', new Error('Connection terminated unexpectedly')],
    ['a serialization failure', Object.assign(new Error('could not serialize access'), { code: '40001' })],
    ['a server restart', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a lost broker', new KafkaJSConnectionError('Connection error')],
    ['no group coordinator while the broker is away (kafkajs calls it non-retriable)', coordinatorNotFound],
    ['a dependency not yet known', new TransientError('roster entry on its way')],
  ])('calls %s transient', (_, error) => {
    expect(classifyFailure(error)).toBe('transient');
  });

  it('calls a domain impossibility permanent and anything else unknown', () => {
    expect(classifyFailure(new PermanentError('no such form'))).toBe('permanent');
    expect(classifyFailure(new TypeError('undefined is not a function'))).toBe('unknown');
  });
});
