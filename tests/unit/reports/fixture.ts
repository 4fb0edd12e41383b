/**
 * The hand-made station the report tests count on. Two villages (东村 rural, 城关社区 urban), seven households, and
 * cases whose every date was chosen to sit on or next to a period boundary. The expected figures in
 * reports.test.ts are worked out by hand from the table below — not by running the code under test.
 *
 * | case | who (household, village, members)         | item / dates                                                        |
 * |------|-------------------------------------------|---------------------------------------------------------------------|
 * | D1   | H1 东村 rural 3                           | 低保 approved 2024-11-20, from 2024-12, 600元; suspended 2025-03-10,  |
 * |      |                                           | resumed 2025-04-15 (April unpaid); re-check 2025-05-20 → 650元 from June |
 * | D2   | H2 东村 rural 2                           | 低保 approved 2025-02-10, from 2025-03, 400元; terminated 2025-05-15   |
 * | D3   | H3 城关 urban 4                           | 低保 approved 2025-06-20, from 2025-07 (new in H2, not H1)             |
 * | D4   | H4 城关 urban 1                           | 低保 approved 2024-05-10, from 2024-06, 700元; terminated 2025-01-01   |
 * | D5   | H5 东村 rural 2                           | 低保 approved 2025-06-05, from 2025-06 (named), 500元                  |
 * | D7   | H7 城关 urban 2                           | 低保 application accepted 2025-04-01, still investigating (overdue)   |
 * | L1   | H1 member, 东村                           | 困难残疾人生活补贴 approved 2025-01-15, from 2025-02, 100元            |
 * | C1   | H3 member, 城关                           | 重度残疾人护理补贴 approved 2024-12-01, from 2025-01, 80元             |
 * | O1   | H6 东村 rural 1 (child)                   | 孤儿基本生活费 approved 2024-05-20, from 2024-06, 1500元; re-check due 2025-06-01 |
 * | T1   | H2 head, 东村                             | 临时救助 urgent aid 1000元 on 2025-03-02, approved 1500元 03-20, paid 03-25 |
 * | T2   | H3 member, 城关                           | 临时救助 approved 2000元 2025-06-28, paid 2025-07-02                   |
 * | T3   | H1 member, 东村                           | 临时救助 urgent aid 500元 on 2024-12-30, approved 800元 01-05, paid 01-06 |
 * | F1   | H3 member, 城关                           | 殡葬费用减免 approved 2025-01-10 1200元, paid 2025-01-12                |
 *
 * Monthly rosters for every periodic item are generated and confirmed for each month 2024-06 … 2025-07.
 */
import { uuidv7 } from 'uuidv7';
import { addMonths, type IsoDate } from '../../../shared/domain/calendar';
import { makeIdNumber } from '../../../shared/domain/idNumber';
import { ITEM_CATALOGUE } from '../../../shared/domain/items';
import type { Db } from '../../../main/core/db/open';
import { confirmRoster, generateRoster, postOneOffPayments } from '../../../main/core/reports/ledger';
import { SYSTEM_ACTOR } from '../../../main/core/services/audit';
import { INSERT_HOUSEHOLD_SQL, INSERT_MEMBER_SQL } from '../../../main/core/services/households';
import { INSERT_PERSON_SQL } from '../../../main/core/services/persons';
import { nameKeys } from '../../../main/core/services/people/nameKeys';
import { write } from '../../../main/core/services/unitOfWork';
import { grantSteps, homeVisit, materialsFor, writeCase, type Step } from '../../../bench/lib/caseWriter';

let seq = 0;
function person(db: Db, name: string, birth: IsoDate, hukou: 'urban' | 'rural', village: string): { id: string; idNumber: string } {
  const id = uuidv7();
  const idNumber = makeIdNumber('430102', birth, (seq += 2) + 1);
  const k = nameKeys(name);
  const now = '2024-01-01T00:00:00.000Z';
  db.prepare(INSERT_PERSON_SQL).run({
    id,
    id_number: idNumber,
    name,
    name_pinyin: k.pinyin,
    name_initials: k.initials,
    name_pinyin_alt: k.pinyinAlt,
    name_initials_alt: k.initialsAlt,
    birth_date: birth,
    sex: 'male',
    phone: null,
    hukou,
    disability_category: null,
    disability_grade: null,
    work_ability: 'full',
    health: 'healthy',
    health_note: null,
    village,
    version: 1,
    created_at: now,
    updated_at: now,
  });
  return { id, idNumber };
}

function household(db: Db, village: string, hukou: 'urban' | 'rural', names: string[]) {
  const members = names.map((n, i) => person(db, n, i === 0 ? '1970-05-01' : `19${80 + i}-03-0${i}`, hukou, village));
  const id = uuidv7();
  const now = '2024-01-01T00:00:00.000Z';
  db.prepare(INSERT_HOUSEHOLD_SQL).run({
    id,
    head_id: members[0]!.id,
    hukou,
    village,
    address: `${village}1号`,
    income_items: '[]',
    assets: JSON.stringify({ depositsFen: 0, vehicles: [], housing: [] }),
    monthly_income_fen: 0,
    member_count: members.length,
    version: 1,
    created_at: now,
    updated_at: now,
  });
  members.forEach((m, i) => db.prepare(INSERT_MEMBER_SQL).run(m.id, id, i === 0 ? 'self' : 'child'));
  return { id, members };
}

export const EAST = '东村';
export const TOWN = '城关社区';

export interface Fixture {
  cases: Record<string, string>;
  persons: Record<string, { id: string; idNumber: string }>;
}

export function buildFixture(db: Db): Fixture {
  const cases: Record<string, string> = {};
  const tx = db.transaction(() => {
    const h1 = household(db, EAST, 'rural', ['张大山', '张二', '张三']);
    const h2 = household(db, EAST, 'rural', ['李四', '李小四']);
    const h3 = household(db, TOWN, 'urban', ['王城', '王一', '王二', '王三']);
    const h4 = household(db, TOWN, 'urban', ['赵独居']);
    const h5 = household(db, EAST, 'rural', ['刘五', '刘小五']);
    const h6 = household(db, EAST, 'rural', ['陈孤儿']);
    const h7 = household(db, TOWN, 'urban', ['孙七', '孙小七']);
    const dibao = (key: string, h: { id: string; members: { id: string }[] }, sub: 'urban' | 'rural', g: Parameters<typeof grantSteps>[1], extra: Step[] = []) => {
      cases[key] = writeCase(db, {
        itemCode: 'dibao',
        subKind: sub,
        applicantId: h.members[0]!.id,
        householdId: h.id,
        createdOn: addDaysIso(g.decidedOn, -26),
        steps: [...grantSteps('dibao', g), ...extra],
      }).id;
    };
    dibao('D1', h1, 'rural', { decidedOn: '2024-11-20', amountFen: 60_000 }, [
      { action: 'suspend', on: '2025-03-10', payload: { reason: '外出务工收入待核实' } },
      { action: 'resume', on: '2025-04-15', payload: { reason: '核实后恢复' } },
      { action: 'recordRecheck', on: '2025-05-20', payload: { checkedOn: '2025-05-20', outcome: 'adjust', amountFen: 65_000, note: '按新标准调整' } },
    ]);
    dibao('D2', h2, 'rural', { decidedOn: '2025-02-10', amountFen: 40_000 }, [
      { action: 'terminate', on: '2025-05-15', payload: { reason: '家庭收入超过低保标准' } },
    ]);
    dibao('D3', h3, 'urban', { decidedOn: '2025-06-20', amountFen: 90_000 });
    dibao('D4', h4, 'urban', { decidedOn: '2024-05-10', amountFen: 70_000 }, [
      { action: 'terminate', on: '2025-01-01', payload: { reason: '本人死亡' } },
    ]);
    dibao('D5', h5, 'rural', { decidedOn: '2025-06-05', amountFen: 50_000, paymentStartMonth: '2025-06' });
    cases.D7 = writeCase(db, {
      itemCode: 'dibao',
      subKind: 'urban',
      applicantId: h7.members[0]!.id,
      householdId: h7.id,
      createdOn: '2025-03-31',
      steps: [
        { action: 'accept', on: '2025-04-01', payload: { materialsReceived: materialsFor('dibao') } },
        { action: 'requestEconomicCheck', on: '2025-04-02', payload: {} },
      ],
    }).id;
    const periodic = (key: string, itemCode: string, applicant: { id: string }, householdId: string, g: Parameters<typeof grantSteps>[1]) => {
      cases[key] = writeCase(db, { itemCode, applicantId: applicant.id, householdId, createdOn: addDaysIso(g.decidedOn, -26), steps: grantSteps(itemCode, g) }).id;
    };
    periodic('L1', 'disabilityLivingSubsidy', h1.members[1]!, h1.id, { decidedOn: '2025-01-15', amountFen: 10_000 });
    periodic('C1', 'disabilityCareSubsidy', h3.members[1]!, h3.id, { decidedOn: '2024-12-01', amountFen: 8_000 });
    periodic('O1', 'orphanAllowance', h6.members[0]!, h6.id, { decidedOn: '2024-05-20', amountFen: 150_000 });
    cases.F1 = writeCase(db, {
      itemCode: 'funeralFeeWaiver',
      applicantId: h3.members[2]!.id,
      householdId: h3.id,
      createdOn: '2025-01-04',
      steps: grantSteps('funeralFeeWaiver', { decidedOn: '2025-01-10', amountFen: 120_000, startedOn: '2025-01-12' }),
    }).id;
    const temporary = (key: string, applicant: { id: string }, householdId: string, sub: 'urgent' | 'expense', t: { urgent?: [IsoDate, number]; decidedOn: IsoDate; amountFen: number; paidOn: IsoDate }) => {
      const steps: Step[] = t.urgent
        ? [{ action: 'urgentAid', on: t.urgent[0], payload: { amountFen: t.urgent[1], reason: '火灾急难', givenOn: t.urgent[0] } }]
        : [{ action: 'accept', on: addDaysIso(t.decidedOn, -8), payload: { materialsReceived: materialsFor('temporaryAssistance') } }];
      steps.push(
        { action: 'recordHomeVisit', on: addDaysIso(t.decidedOn, -6), payload: homeVisit(addDaysIso(t.decidedOn, -6)) },
        { action: 'townshipReview', on: addDaysIso(t.decidedOn, -2), payload: { opinion: 'agree', note: '同意' } },
        { action: 'townshipApprove', on: t.decidedOn, payload: { amountFen: t.amountFen } },
        { action: 'startPayment', on: t.paidOn, payload: { startedOn: t.paidOn } },
      );
      cases[key] = writeCase(db, {
        itemCode: 'temporaryAssistance',
        subKind: sub,
        cause: 'fire',
        applicantId: applicant.id,
        householdId,
        createdOn: t.urgent ? t.urgent[0] : addDaysIso(t.decidedOn, -9),
        steps,
      }).id;
    };
    temporary('T1', h2.members[0]!, h2.id, 'urgent', { urgent: ['2025-03-02', 100_000], decidedOn: '2025-03-20', amountFen: 150_000, paidOn: '2025-03-25' });
    temporary('T2', h3.members[3]!, h3.id, 'expense', { decidedOn: '2025-06-28', amountFen: 200_000, paidOn: '2025-07-02' });
    temporary('T3', h1.members[2]!, h1.id, 'urgent', { urgent: ['2024-12-30', 50_000], decidedOn: '2025-01-05', amountFen: 80_000, paidOn: '2025-01-06' });
    return { h1, h2, h3, h4, h5, h6, h7 };
  });
  const hh = tx();
  postOneOffPayments(db, SYSTEM_ACTOR);
  const periodicItems = ITEM_CATALOGUE.filter((i) => i.payment === 'periodic').map((i) => i.code);
  for (let m = '2024-06'; m <= '2025-07'; m = addMonths(m, 1)) {
    const clock = () => new Date(`${m}-25T04:00:00.000Z`);
    for (const item of periodicItems) {
      const roster = write(db, SYSTEM_ACTOR, (t) => generateRoster(t, item, m), clock);
      if (roster.rowCount > 0) write(db, SYSTEM_ACTOR, (t) => confirmRoster(t, roster.id), clock);
    }
  }
  return {
    cases,
    persons: Object.fromEntries(
      Object.entries(hh).flatMap(([k, h]) => h.members.map((p, i) => [`${k}.${i}`, p] as const)),
    ),
  };
}

function addDaysIso(d: IsoDate, n: number): IsoDate {
  const t = new Date(`${d}T00:00:00Z`).getTime() + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
