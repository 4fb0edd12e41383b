/**
 * Cases for the reports benchmark on top of the synthetic population (bench/synthetic.ts): a plausible township
 * caseload over 2023-2025 — 低保 for ~6 % of households (some terminated, suspended or adjusted), disability
 * subsidies, orphan allowances, temporary assistance with and without urgent aid, funeral waivers, and open
 * applications — each written through the state machine by caseWriter.ts, then monthly rosters 2024-07 … 2025-12.
 */
import { addDays, addMonths, type IsoDate } from '../../shared/domain/calendar';
import { ITEM_CATALOGUE } from '../../shared/domain/items';
import type { Db } from '../../main/core/db/open';
import { confirmRoster, generateRoster, postOneOffPayments } from '../../main/core/reports/ledger';
import { SYSTEM_ACTOR } from '../../main/core/services/audit';
import { write } from '../../main/core/services/unitOfWork';
import { rng } from '../synthetic';
import { grantSteps, homeVisit, materialsFor, writeCase, type Step } from './caseWriter';

interface HouseholdRow {
  id: string;
  head_id: string;
  hukou: 'urban' | 'rural';
  member_id: string;
}

const START = '2023-01-05';
const DAYS = 1060; // to late 2025

export function loadCases(db: Db, seed = 11, onProgress?: (n: number) => void): { cases: number; rosters: number; seconds: number } {
  const started = performance.now();
  const r = rng(seed);
  const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  const day = (): IsoDate => addDays(START, int(0, DAYS));
  const households = db
    .prepare(
      `SELECT h.id, h.head_id, h.hukou, (SELECT person_id FROM household_members m WHERE m.household_id = h.id ORDER BY person_id DESC LIMIT 1) AS member_id
       FROM households h`,
    )
    .all() as HouseholdRow[];
  let n = 0;
  const batch = db.transaction((list: HouseholdRow[]) => {
    for (const h of list) {
      const x = r();
      const written: Step[][] = [];
      // 低保 (6 %), with a quarter later terminated, some suspended and resumed, some adjusted on re-check.
      if (x < 0.06) {
        const decided = day();
        const extra: Step[] = [];
        const y = r();
        if (y < 0.25) extra.push({ action: 'terminate', on: addDays(decided, int(60, 500)), payload: { reason: r() < 0.5 ? '家庭收入超过低保标准' : '本人死亡' } });
        else if (y < 0.35) {
          const s = addDays(decided, int(40, 200));
          extra.push({ action: 'suspend', on: s, payload: { reason: '收入待核实' } }, { action: 'resume', on: addDays(s, int(20, 90)), payload: { reason: '核实后恢复' } });
        } else if (y < 0.5) {
          const c = addDays(decided, int(100, 360));
          extra.push({ action: 'recordRecheck', on: c, payload: { checkedOn: c, outcome: 'adjust', amountFen: int(30, 90) * 1000, note: '调整' } });
        }
        written.push([...grantSteps('dibao', { decidedOn: decided, amountFen: int(30, 90) * 1000 }), ...extra.filter((e) => e.on <= '2025-12-20')]);
        writeCase(db, { itemCode: 'dibao', subKind: h.hukou, applicantId: h.head_id, householdId: h.id, createdOn: addDays(decided, -26), steps: written[0]! });
        n++;
      } else if (x < 0.07) {
        // An application still in progress.
        const on = day();
        writeCase(db, {
          itemCode: 'dibao',
          subKind: h.hukou,
          applicantId: h.head_id,
          householdId: h.id,
          createdOn: on,
          steps: [{ action: 'accept', on, payload: { materialsReceived: materialsFor('dibao') } }],
        });
        n++;
      }
      const z = r();
      const periodic = (itemCode: string, amount: number) => {
        const decided = addDays(day(), 30);
        writeCase(db, {
          itemCode,
          applicantId: h.member_id,
          householdId: h.id,
          createdOn: addDays(decided, -26),
          steps: grantSteps(itemCode, { decidedOn: decided, amountFen: amount }),
        });
        n++;
      };
      if (z < 0.04) periodic('disabilityLivingSubsidy', 10_000);
      else if (z < 0.07) periodic('disabilityCareSubsidy', 8_000);
      else if (z < 0.072) periodic('orphanAllowance', 150_000);
      else if (z < 0.075) periodic('unsupportedChildAllowance', 150_000);
      const t = r();
      if (t < 0.03) {
        const decided = addDays(day(), 15);
        const urgent = r() < 0.4;
        const steps: Step[] = urgent
          ? [{ action: 'urgentAid', on: addDays(decided, -12), payload: { amountFen: 50_000, reason: '急难', givenOn: addDays(decided, -12) } }]
          : [{ action: 'accept', on: addDays(decided, -12), payload: { materialsReceived: materialsFor('temporaryAssistance') } }];
        steps.push(
          { action: 'recordHomeVisit', on: addDays(decided, -6), payload: homeVisit(addDays(decided, -6)) },
          { action: 'townshipReview', on: addDays(decided, -2), payload: { opinion: 'agree', note: '同意' } },
          { action: 'townshipApprove', on: decided, payload: { amountFen: int(6, 30) * 10_000 } },
          { action: 'startPayment', on: addDays(decided, 2), payload: {} },
        );
        writeCase(db, { itemCode: 'temporaryAssistance', subKind: urgent ? 'urgent' : 'expense', cause: 'suddenIllness', applicantId: h.head_id, householdId: h.id, createdOn: addDays(decided, -12), steps });
        n++;
      } else if (t < 0.032) {
        const decided = day();
        writeCase(db, {
          itemCode: 'funeralFeeWaiver',
          applicantId: h.head_id,
          householdId: h.id,
          createdOn: addDays(decided, -26),
          steps: grantSteps('funeralFeeWaiver', { decidedOn: decided, amountFen: 120_000 }),
        });
        n++;
      }
    }
  });
  for (let i = 0; i < households.length; i += 5000) {
    batch(households.slice(i, i + 5000));
    onProgress?.(n);
  }
  postOneOffPayments(db, SYSTEM_ACTOR);
  let rosters = 0;
  const present = new Set((db.prepare('SELECT DISTINCT item_code AS c FROM cases').all() as { c: string }[]).map((x) => x.c));
  const periodicItems = ITEM_CATALOGUE.filter((i) => i.payment === 'periodic' && present.has(i.code)).map((i) => i.code);
  for (let m = '2024-07'; m <= '2025-12'; m = addMonths(m, 1)) {
    const clock = () => new Date(`${m}-25T04:00:00.000Z`);
    for (const item of periodicItems) {
      const roster = write(db, SYSTEM_ACTOR, (tx) => generateRoster(tx, item, m), clock);
      if (roster.rowCount > 0) {
        write(db, SYSTEM_ACTOR, (tx) => confirmRoster(tx, roster.id), clock);
        rosters++;
      }
    }
  }
  return { cases: n, rosters, seconds: (performance.now() - started) / 1000 };
}
