/**
 * One real intake on our store — the transaction bench/intake.ts times (4 persons, household, 低保 case,
 * checklist, accept; one transaction) — and what it produced: its outbox mutations and audit entries. The peer
 * benches turn exactly that into PouchDB documents, so both sides store the same logical intake, byte for byte of
 * content.
 */
import { makeIdNumber } from '../../shared/domain/idNumber';
import { addDays } from '../../shared/domain/calendar';
import { itemByCode } from '../../shared/domain/items';
import { PersonInputSchema, HouseholdInputSchema } from '../../shared/schemas/people';
import { CreateCaseInputSchema } from '../../shared/schemas/cases';
import type { Db } from '../../main/core/db/open';
import { savePerson } from '../../main/core/services/persons';
import { saveHousehold } from '../../main/core/services/households';
import { saveSettings } from '../../main/core/services/settings';
import { actOnCase, createCase, setMaterials } from '../../main/core/services/cases';
import { write } from '../../main/core/services/unitOfWork';

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张';
const GIVEN = '建国秀英桂兰志强春梅海燕小红德明玉兰永福';
const nameOf = (i: number) =>
  `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13 + 3) % GIVEN.length]}`;

const REQUIRED = itemByCode('dibao')!
  .materials.filter((m) => m.required)
  .map((m) => m.key);

export const BENCH_STAFF = { id: 'bench-clerk', role: 'clerk' as const };
export const BENCH_ACTOR = { id: BENCH_STAFF.id, name: '基准测试' };

/** Settings and a clerk, as a station has them before its first intake. */
export function prepareStation(db: Db): void {
  write(db, BENCH_ACTOR, (tx) => saveSettings(tx, { townshipName: '城关镇', stationCode: '430102001' }));
  db.prepare(
    `INSERT INTO staff (id, username, display_name, role, password_hash, active, created_at) VALUES (?, 'benchclerk', '基准测试', 'clerk', 'x', 1, ?)`,
  ).run(BENCH_STAFF.id, new Date().toISOString());
}

/** Intake number k (unique ID numbers per k) as ONE transaction; returns the case id. */
export function realIntake(db: Db, k: number): string {
  const id = (j: number) => {
    const n = k * 4 + j;
    return makeIdNumber('430111', addDays('1940-01-01', n % 20_000), Math.floor(n / 20_000) % 1000);
  };
  return write(db, BENCH_ACTOR, (tx) => {
    const people = [0, 1, 2, 3].map((j) =>
      savePerson(
        tx,
        PersonInputSchema.parse({
          idNumber: id(j),
          name: nameOf(k * 4 + j),
          hukou: 'rural',
          workAbility: j === 3 ? 'none' : 'full',
          health: 'healthy',
          ...(j === 3 ? { disabilityCategory: 'physical', disabilityGrade: 2 } : {}),
        }),
      ),
    );
    const household = saveHousehold(
      tx,
      HouseholdInputSchema.parse({
        headId: people[0]!.id,
        hukou: 'rural',
        village: '石桥村',
        address: `石桥村${(k % 9) + 1}组${k}号`,
        members: people.map((p, j) => ({
          personId: p.id,
          relation: (['self', 'spouse', 'child', 'parent'] as const)[j]!,
        })),
        incomeItems: [{ kind: 'farming', monthlyFen: 90_000 }],
        assets: { depositsFen: 0, vehicles: [], housing: [] },
      }),
    );
    const { id: caseId } = createCase(
      tx,
      CreateCaseInputSchema.parse({ applicantId: household.headId, itemCode: 'dibao' }),
      BENCH_STAFF,
    );
    setMaterials(tx, caseId, REQUIRED);
    actOnCase(tx, { caseId, action: 'accept', payload: {} }, BENCH_STAFF);
    return caseId;
  });
}

export interface IntakeOutput {
  mutations: { id: number; name: string; args: Record<string, unknown> }[];
  audits: Record<string, unknown>[];
}

/** The outbox mutations and audit entries written after outbox id `afterMutation` / audit seq `afterAudit`. */
export function intakeOutput(db: Db, afterMutation: number, afterAudit: number): IntakeOutput {
  const mutations = (
    db.prepare('SELECT id, name, args FROM outbox WHERE id > ? ORDER BY id').all(afterMutation) as {
      id: number;
      name: string;
      args: string;
    }[]
  ).map((r) => ({ id: r.id, name: r.name, args: JSON.parse(r.args) as Record<string, unknown> }));
  const audits = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').all(afterAudit) as Record<
    string,
    unknown
  >[];
  return { mutations, audits };
}

export const lastOutboxId = (db: Db): number =>
  (db.prepare('SELECT coalesce(max(id), 0) AS n FROM outbox').get() as { n: number }).n;
export const lastAuditSeq = (db: Db): number =>
  (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
