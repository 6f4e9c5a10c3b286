import type { Logger } from 'pino';
import { problemOf } from '@huoju/testing';
import type { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

function setup(append: () => Promise<void> = async () => undefined) {
  const entries = {
    append: jest.fn(append),
    page: jest.fn(async () => ({
      items: [
        {
          id: '1',
          at: new Date('2026-12-01T01:02:03.000Z'),
          actor: 'admin',
          role: 'admin',
          action: 'auth.sign-in',
          target: 'account:admin',
          ip: '10.0.0.1',
          details: {},
        },
      ],
      total: 41,
    })),
  };
  const logger = { error: jest.fn() };
  const sut = new AuditService(entries as unknown as AuditRepository, logger as unknown as Logger);
  return { sut, entries, logger };
}

const record = {
  actor: 'admin',
  role: 'admin',
  action: 'auth.sign-in' as const,
  target: 'account:admin',
  ip: '10.0.0.1',
};

describe('AuditService', () => {
  it('records an entry with empty details when none are given', async () => {
    const { sut, entries } = setup();
    await sut.record(record);
    expect(entries.append).toHaveBeenCalledWith({ ...record, details: {} });
  });

  it('never fails the request it records: a failed write is logged instead', async () => {
    const { sut, logger } = setup(async () => {
      throw new Error('database down');
    });
    await expect(sut.record(record)).resolves.toBeUndefined();
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ audit: record }), 'audit entry not written');
  });

  it('pages entries with ISO times and the page it answered', async () => {
    const { sut } = setup();
    const page = await sut.page({ page: '2', pageSize: '20' });
    expect(page).toMatchObject({ total: 41, page: 2, pageSize: 20 });
    expect(page.items[0]!.at).toBe('2026-12-01T01:02:03.000Z');
  });

  it('refuses a bad query with every field error at once', async () => {
    const { sut, entries } = setup();
    const problem = await problemOf(sut.page({ action: 'no.such', from: 'yesterday', extra: '1' }));
    expect(problem.status).toBe(422);
    const pointers = problem.errors.map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/query/action', '/query/from']));
    expect(entries.page).not.toHaveBeenCalled();
  });
});
