import { afterEach, describe, expect, it } from 'vitest';
import { SyncEngine } from '../../../main/core/sync/engine';
import { normaliseCountyUrl } from '../../../main/core/sync/transport';
import { openTestCore } from '../../support/stationCore';
import { makeTempDir, randomKeyHex } from '../../support/tempDir';
import type { StationCore } from '../../../main/core/station';

const opened: { core: StationCore; cleanup(): void }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.core.close();
    o.cleanup();
  }
});
function core() {
  const t = makeTempDir('sync-engine-');
  const c = openTestCore(t.dir, randomKeyHex());
  opened.push({ core: c, cleanup: t.cleanup });
  return c;
}

describe('sync engine pieces', () => {
  it('backs off exponentially with full jitter, capped (SP-51)', () => {
    const top = new SyncEngine(core(), { baseBackoffMs: 1000, maxBackoffMs: 60_000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => Math.round(top.backoffDelay(n) / 1000))).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    const bottom = new SyncEngine(core(), { baseBackoffMs: 1000, random: () => 0 });
    expect(bottom.backoffDelay(5)).toBe(0);
    const values = new Set(Array.from({ length: 50 }, () => new SyncEngine(core(), { baseBackoffMs: 1000 }).backoffDelay(4)));
    expect(values.size).toBeGreaterThan(40); // jitter spreads stations that failed together
  });

  it('accepts https county addresses and plain http only on loopback', () => {
    expect(normaliseCountyUrl(' https://sync.example.gov.cn/ ')).toBe('https://sync.example.gov.cn');
    expect(normaliseCountyUrl('http://127.0.0.1:7440')).toBe('http://127.0.0.1:7440');
    expect(() => normaliseCountyUrl('http://sync.example.gov.cn')).toThrow(/HTTPS/);
    expect(() => normaliseCountyUrl('ftp://x')).toThrow(/https/);
    expect(() => normaliseCountyUrl('不是地址')).toThrow(/格式不正确/);
  });

  it('does nothing before enrolment and says so', async () => {
    const c = core();
    const r = await new SyncEngine(c).syncNow();
    expect(r).toMatchObject({ ok: false, skipped: 'notEnrolled', pushed: 0 });
  });
});
