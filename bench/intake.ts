/**
 * bench:intake — one full intake at the counter as ONE transaction on the real encrypted store (WAL,
 * synchronous=FULL): register 4 persons, their household, the dibao application with its checklist, tick the
 * materials and accept — every row with its audit entry and outbox mutation, exactly the services the calls run.
 * Reports p50/p95 per transaction (commit and fsync included). The store holds a synthetic population first
 * (--quick: 10k persons, else 100k) so that indexes have a realistic size. Last line: one JSON object.
 */
import { makeIdNumber } from '../shared/domain/idNumber';
import { addDays } from '../shared/domain/calendar';
import { PersonInputSchema, HouseholdInputSchema } from '../shared/schemas/people';
import { CreateCaseInputSchema } from '../shared/schemas/cases';
import { savePerson } from '../main/core/services/persons';
import { saveHousehold } from '../main/core/services/households';
import { saveSettings } from '../main/core/services/settings';
import { actOnCase, createCase, setMaterials } from '../main/core/services/cases';
import { write } from '../main/core/services/unitOfWork';
import { verifyAuditChain } from '../main/core/services/audit';
import { itemByCode } from '../shared/domain/items';
import { summarise } from './lib/stats';
import { emitResult, hasFlag, printTable } from './lib/report';
import { benchStore } from './lib/store';
import { loadPopulation } from './synthetic';

const quick = hasFlag('--quick');
const BACKGROUND = quick ? 10_000 : 100_000;
const INTAKES = quick ? 150 : 1_000;
const WARMUP = 10;

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张';
const GIVEN = '建国秀英桂兰志强春梅海燕小红德明玉兰永福';
const nameOf = (i: number) =>
  `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13 + 3) % GIVEN.length]}`;
const REQUIRED = itemByCode('dibao')!
  .materials.filter((m) => m.required)
  .map((m) => m.key);
const staff = { id: 'bench-clerk', role: 'clerk' as const };
const actor = { id: staff.id, name: '基准测试' };

const store = benchStore('station-bench-intake-');
try {
  console.log(`bench:intake — loading ${BACKGROUND.toLocaleString()} synthetic persons into an encrypted store …`);
  const loaded = loadPopulation(store.db, { persons: BACKGROUND, sampleEvery: BACKGROUND });
  console.log(
    `loaded in ${loaded.seconds.toFixed(1)} s; synchronous=${store.db.pragma('synchronous', { simple: true })} (2 = FULL)`,
  );
  write(store.db, actor, (tx) => saveSettings(tx, { townshipName: '城关镇', stationCode: '430102001' }));
  store.db
    .prepare(
      `INSERT INTO staff (id, username, display_name, role, password_hash, active, created_at) VALUES (?, 'benchclerk', '基准测试', 'clerk', 'x', 1, ?)`,
    )
    .run(staff.id, new Date().toISOString());

  let serial = 0;
  const oneIntake = () => {
    const k = serial++;
    // Unique by construction: person n gets birth day n mod 20000 after 1940-01-01 and sequence n div 20000, in a
    // region the synthetic population does not use (so no clash with it either).
    const id = (j: number) => {
      const n = k * 4 + j;
      return makeIdNumber('430111', addDays('1940-01-01', n % 20_000), Math.floor(n / 20_000) % 1000);
    };
    write(store.db, actor, (tx) => {
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
        staff,
      );
      setMaterials(tx, caseId, REQUIRED);
      actOnCase(tx, { caseId, action: 'accept', payload: {} }, staff);
    });
  };

  for (let i = 0; i < WARMUP; i++) oneIntake();
  const samples: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < INTAKES; i++) {
    const t = process.hrtime.bigint();
    oneIntake();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const s = summarise(samples);
  const outbox = (store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  const chain = verifyAuditChain(store.db);
  if (!chain.ok) throw new Error(`audit chain broken at ${chain.firstBrokenSeq}`);
  printTable(
    ['measure', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    [['一次完整受理（4 人 + 家庭 + 案件 + 受理）', s.n, s.p50, s.p95, s.p99, s.max]],
  );
  console.log(
    `${(INTAKES / seconds).toFixed(1)} intakes/s; outbox ${outbox} mutations; audit chain ${chain.entries} entries ok; store ${store.sizeMb()} MB`,
  );
  emitResult('intake', {
    quick,
    backgroundPersons: BACKGROUND,
    intakes: s.n,
    p50Ms: s.p50,
    p95Ms: s.p95,
    p99Ms: s.p99,
    maxMs: s.max,
    perSecond: Math.round((INTAKES / seconds) * 10) / 10,
    encrypted: true,
    synchronous: 'FULL',
  });
} finally {
  store.cleanup();
}
