import pino from 'pino';
import { expect, it } from 'vitest';
import { readFeedPosition } from '../../../server/services/changeLog';
import { compactionFromEnv, DEFAULT_COMPACTION, scheduleCompaction } from '../../../server/services/compactionSchedule';
import { describeEachBackend, uuid } from './harness';

// docs/sync-protocol.md SP-35: the county server compacts its feed on a timer; stale cursors then reset.

describeEachBackend('scheduled compaction', (county) => {
  it('SP-35: the timer forgets expired tombstones and moves the horizon; a cursor from before it resets', async () => {
    const c = county();
    const s = await c.station();
    const kind = `k${uuid().replace(/-/g, '').slice(0, 10)}`;
    const key = { kind, areaClass: 'urban', effectiveFrom: '2025-01-01' };
    await c.admin('PUT', '/admin/standards', { ...key, amountFen: 70000, updatedBy: '县局' });
    const before = (await s.pullAll(null)).at(-1)!.cursor;
    expect((await c.admin('DELETE', '/admin/standards', key)).status).toBe(204);
    const horizon = (await readFeedPosition(c.server.db)).compactedThrough;

    // Retention 0 days: every tombstone has expired. A short interval stands in for the 6-hour one.
    const stop = scheduleCompaction(c.server.db, pino({ level: 'silent' }), { retentionDays: 0, everyMs: 20 });
    try {
      await expect.poll(async () => (await readFeedPosition(c.server.db)).compactedThrough, { timeout: 10_000 }).toBeGreaterThan(horizon);
    } finally {
      await stop();
    }
    expect((await s.pull(before)).body.reset).toBe(true);
  });
});

it('COUNTY_TOMBSTONE_RETENTION_DAYS: default 60 days, a bad value stops start-up with the variable named', () => {
  expect(compactionFromEnv({})).toEqual(DEFAULT_COMPACTION);
  expect(compactionFromEnv({ COUNTY_TOMBSTONE_RETENTION_DAYS: '90' }).retentionDays).toBe(90);
  expect(() => compactionFromEnv({ COUNTY_TOMBSTONE_RETENTION_DAYS: 'zero' })).toThrow(/COUNTY_TOMBSTONE_RETENTION_DAYS/);
  expect(() => compactionFromEnv({ COUNTY_TOMBSTONE_RETENTION_DAYS: '0' })).toThrow(/≥ 1/);
});
