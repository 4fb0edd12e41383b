import { makeIdNumber } from '../../../shared/domain/idNumber';
import { clientFor, openTestCore, type TestClient } from '../../support/stationCore';
import { makeTempDir, randomKeyHex } from '../../support/tempDir';
import type { StationCore } from '../../../main/core/station';
import { newSession } from '../../../main/core/api/context';

/** A station with settings, an admin, a clerk and a reviewer, each signed in on their own session. */
export interface Station {
  core: StationCore;
  dir: string;
  admin: TestClient;
  clerk: TestClient;
  reviewer: TestClient;
  cleanup(): Promise<void>;
}

export async function must<T>(p: Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`call failed: ${r.code} ${r.message}`);
  return r.value;
}

export async function openStation(): Promise<Station> {
  const t = makeTempDir('cases-');
  const core = openTestCore(t.dir, randomKeyHex());
  const admin = clientFor(core);
  await must(admin.call('settings.save', { townshipName: '城关镇', stationCode: '430102001' }));
  await must(admin.call('auth.setupAdmin', { username: 'admin', displayName: '管理员', password: 'admin-pass-1' }));
  await must(admin.call('staff.create', { username: 'clerk', displayName: '王受理', password: 'clerk-pass-1', role: 'clerk' }));
  await must(admin.call('staff.create', { username: 'reviewer', displayName: '李审核', password: 'review-pass-1', role: 'reviewer' }));
  const clerk = clientFor(core, newSession());
  await must(clerk.call('auth.signIn', { username: 'clerk', password: 'clerk-pass-1' }));
  const reviewer = clientFor(core, newSession());
  await must(reviewer.call('auth.signIn', { username: 'reviewer', password: 'review-pass-1' }));
  return {
    core,
    dir: t.dir,
    admin,
    clerk,
    reviewer,
    cleanup: async () => {
      await core.close();
      t.cleanup();
    },
  };
}

let seq = 100;
/** Registers a rural household: head (born 1970) plus members given as [birthDate, relation, disabled?]. */
export async function registerHousehold(
  client: TestClient,
  members: [string, 'spouse' | 'child' | 'parent', boolean?][] = [],
  headBirth = '1970-05-12',
) {
  const person = async (birth: string, name: string, disabled = false) =>
    must(
      client.call('people.savePerson', {
        idNumber: makeIdNumber('430102', birth, seq++),
        name,
        hukou: 'rural',
        workAbility: disabled ? 'none' : 'full',
        health: 'healthy',
        ...(disabled ? { disabilityCategory: 'physical', disabilityGrade: 2 } : {}),
      }),
    );
  const names = ['赵大山', '钱二妹', '孙小三', '李四娃', '周五丫', '吴六斤'];
  const head = await person(headBirth, names[seq % 6]!);
  const others = [];
  for (const [i, [birth, , disabled]] of members.entries()) others.push(await person(birth, names[(seq + i + 1) % 6]!, disabled));
  const household = await must(
    client.call('people.saveHousehold', {
      headId: head.id,
      hukou: 'rural',
      village: '石桥村',
      address: '石桥村三组 12 号',
      members: [{ personId: head.id, relation: 'self' }, ...others.map((p, i) => ({ personId: p.id, relation: members[i]![1] }))],
      incomeItems: [{ kind: 'farming', monthlyFen: 80_000 }],
      assets: { depositsFen: 0, vehicles: [], housing: [] },
    }),
  );
  return { head, others, household };
}

export const counts = (core: StationCore) => {
  const n = (sql: string) => (core.db.prepare(sql).get() as { n: number }).n;
  return {
    cases: n('SELECT count(*) n FROM cases'),
    events: n('SELECT count(*) n FROM case_events'),
    materials: n('SELECT count(*) n FROM case_materials'),
    attachments: n('SELECT count(*) n FROM attachments'),
    audit: n('SELECT count(*) n FROM audit_log'),
    outbox: n('SELECT count(*) n FROM outbox'),
  };
};

export const DIBAO_REQUIRED = [
  'applicationForm',
  'idCard',
  'householdRegister',
  'memberIdCards',
  'checkAuthorisation',
  'honestyCommitment',
  'incomeStatement',
  'assetStatement',
];

/** A minimal, valid PNG (1×1) and PDF for attachment tests. */
export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
