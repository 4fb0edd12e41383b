import { afterEach, describe, expect, it } from 'vitest';
import { clientFor, openTestCore } from '../../support/stationCore';
import { makeTempDir, randomKeyHex } from '../../support/tempDir';
import { verifyAuditChain } from '../../../main/core/services/audit';
import type { StationCore } from '../../../main/core/station';

const open: { core: StationCore; cleanup(): void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.core.close();
    o.cleanup();
  }
});
function core() {
  const t = makeTempDir();
  const c = openTestCore(t.dir, randomKeyHex());
  open.push({ core: c, cleanup: t.cleanup });
  return c;
}
const counts = (c: StationCore) => ({
  audit: (c.db.prepare('SELECT count(*) n FROM audit_log').get() as { n: number }).n,
  outbox: (c.db.prepare('SELECT count(*) n FROM outbox').get() as { n: number }).n,
  settings: c.db.prepare('SELECT * FROM station_settings').all(),
});

describe('dispatch: the untrusted boundary', () => {
  it.each([
    ['missing fields', {}],
    ['wrong types', { townshipName: 42, stationCode: 430102001 }],
    ['code with letters', { townshipName: '城关镇', stationCode: '43010A001' }],
    ['script in the name', { townshipName: '<script>alert(1)</script>', stationCode: '430102001' }],
    ['extra field', { townshipName: '城关镇', stationCode: '430102001', admin: true }],
    ['not an object', 'DROP TABLE station_settings'],
  ])('refuses %s with INVALID_INPUT and writes nothing', async (_label, payload) => {
    const c = core();
    const before = counts(c);
    const r = await clientFor(c).raw('settings.save', payload);
    expect(r.ok).toBe(false);
    expect(r.code).toBe('INVALID_INPUT');
    expect(r.message).toMatch(/[\u4e00-\u9fa5]/); // a Chinese message for the clerk
    expect(counts(c)).toEqual(before);
  });

  it('refuses an unknown call name', async () => {
    const r = await clientFor(core()).raw('db.exec', { sql: 'DELETE FROM audit_log' });
    expect(r).toMatchObject({ ok: false, code: 'UNKNOWN_CALL' });
  });

  it('refuses names inherited from Object.prototype', async () => {
    const r = await clientFor(core()).raw('constructor', {});
    expect(r).toMatchObject({ ok: false, code: 'UNKNOWN_CALL' });
  });

  it('saves settings with one audit entry and one outbox mutation in the same transaction', async () => {
    const c = core();
    const client = clientFor(c);
    const r = await client.call('settings.save', { townshipName: ' 城关镇 ', stationCode: '430102001' });
    expect(r).toEqual({ ok: true, value: { townshipName: '城关镇', stationCode: '430102001' } });
    const after = counts(c);
    expect(after.audit).toBe(1);
    expect(after.outbox).toBe(1);
    const audit = c.db.prepare('SELECT action, changes FROM audit_log').get() as { action: string; changes: string };
    expect(audit.action).toBe('settings.save');
    expect(JSON.parse(audit.changes)).toEqual({ townshipName: [null, '城关镇'], stationCode: [null, '430102001'] });
    const status = await client.call('status.get', {});
    expect(status.ok && status.value).toMatchObject({ configured: true, townshipName: '城关镇', pendingOutbox: 1 });
  });

  it('writes nothing (no audit, no outbox) when the audit step fails mid-transaction', async () => {
    const c = core();
    // Make the audit insert fail after the settings row was written inside the same transaction.
    c.db.exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    const r = await clientFor(c).call('settings.save', { townshipName: '城关镇', stationCode: '430102001' });
    expect(r).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(counts(c)).toEqual({ audit: 0, outbox: 0, settings: [] });
  });

  it('once staff exist, station settings need an admin', async () => {
    const c = core();
    c.db
      .prepare(`INSERT INTO staff (id, username, display_name, role, password_hash, created_at) VALUES ('s1','clerk1','李四','clerk','x','2026-01-01')`)
      .run();
    const anonymous = await clientFor(c).call('settings.save', { townshipName: '城关镇', stationCode: '430102001' });
    expect(anonymous).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    const clerk = clientFor(c);
    clerk.session.staffId = 's1';
    const r = await clerk.call('settings.save', { townshipName: '城关镇', stationCode: '430102001' });
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(counts(c).settings).toEqual([]);
  });
});

describe('audit chain', () => {
  it('verifies an intact chain and names the first altered entry', async () => {
    const c = core();
    const client = clientFor(c);
    for (const name of ['城关镇', '城南镇', '城北镇']) {
      await client.call('settings.save', { townshipName: name, stationCode: '430102001' });
    }
    expect(verifyAuditChain(c.db)).toEqual({ ok: true, entries: 3 });
    // The table refuses edits; an attacker with the key could drop the guard, which the chain still reveals.
    expect(() => c.db.exec(`UPDATE audit_log SET actor_name = 'x' WHERE seq = 2`)).toThrow(/append-only/);
    expect(() => c.db.exec(`DELETE FROM audit_log WHERE seq = 3`)).toThrow(/append-only/);
    c.db.exec('DROP TRIGGER audit_log_no_update');
    c.db.exec(`UPDATE audit_log SET changes = '{"townshipName":[null,"伪造"]}' WHERE seq = 2`);
    expect(verifyAuditChain(c.db)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });
});
