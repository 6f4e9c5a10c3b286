import type { Queue } from 'bullmq';
import type { Clock } from '@huoju/platform';
import { loadComplianceConfig } from './compliance.config';
import { deliveryJobId } from './compliance.jobs';
import { DeliveryDispatcher } from './delivery.dispatcher';
import { InMemoryWebhooks } from './in-memory-webhooks.fake';

const now = new Date('2026-10-20T02:00:00Z');
const clock: Clock = { now: () => now };

describe(DeliveryDispatcher.name, () => {
  it('queues again the pending deliveries older than 30 s, oldest first, each under its own job id', async () => {
    const store = new InMemoryWebhooks();
    const street = { kind: 'street', code: '310107022' } as const;
    store.addDelivery('new', street, new Date(now.getTime() - 10_000));
    store.addDelivery('old', street, new Date(now.getTime() - 120_000));
    store.addDelivery('older', street, new Date(now.getTime() - 600_000));
    store.addDelivery('done', street, new Date(now.getTime() - 900_000));
    store.deliveries.get('done')!.state = 'delivered';
    const added: { name: string; opts?: { jobId?: string } }[][] = [];
    const queue = { addBulk: async (jobs: (typeof added)[number]) => void added.push(jobs) } as unknown as Queue;
    const sut = new DeliveryDispatcher(queue, store.orm, loadComplianceConfig({}), clock, store.repository as never);

    expect(await sut.requeuePending()).toBe(2);
    expect(added).toHaveLength(1);
    expect(added[0]!.map((job) => job.opts?.jobId)).toEqual([deliveryJobId('older'), deliveryJobId('old')]);
  });
});
