import { afterEach } from 'vitest';
import { makeIdNumber } from '../../../shared/domain/idNumber';
import type { PersonInput } from '../../../shared/schemas/people';
import type { StationCore } from '../../../main/core/station';
import { clientFor, openTestCore, type TestClient } from '../../support/stationCore';
import { makeTempDir, randomKeyHex } from '../../support/tempDir';

const open: { core: StationCore; cleanup(): void }[] = [];

/** Registers cleanup in the calling test file. */
export function useCores(): () => StationCore {
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.core.close();
      o.cleanup();
    }
  });
  return () => {
    const t = makeTempDir();
    const core = openTestCore(t.dir, randomKeyHex());
    open.push({ core, cleanup: t.cleanup });
    return core;
  };
}

export const ADMIN = { username: 'admin', displayName: '王站长', password: 'admin-pass-1' };
export const CLERK = { username: 'clerk1', displayName: '李受理', password: 'clerk-pass-1', role: 'clerk' as const };

export async function unwrap<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`call failed: ${r.code} ${r.message}`);
  return r.value;
}

/** A fresh station with an admin and a signed-in clerk. */
export async function stationWithClerk(core: StationCore): Promise<{ admin: TestClient; clerk: TestClient }> {
  const admin = clientFor(core);
  await unwrap(admin.call('auth.setupAdmin', ADMIN));
  await unwrap(admin.call('staff.create', CLERK));
  const clerk = clientFor(core);
  await unwrap(clerk.call('auth.signIn', { username: CLERK.username, password: CLERK.password }));
  return { admin, clerk };
}

export const counts = (core: StationCore) => ({
  persons: (core.db.prepare('SELECT count(*) n FROM persons').get() as { n: number }).n,
  households: (core.db.prepare('SELECT count(*) n FROM households').get() as { n: number }).n,
  audit: (core.db.prepare('SELECT count(*) n FROM audit_log').get() as { n: number }).n,
  outbox: (core.db.prepare('SELECT count(*) n FROM outbox').get() as { n: number }).n,
});

export function person(name: string, birth: string, seq: number, extra: Partial<PersonInput> = {}): PersonInput {
  return {
    idNumber: makeIdNumber('430102', birth, seq),
    name,
    hukou: 'rural',
    workAbility: 'full',
    health: 'healthy',
    ...extra,
  };
}
