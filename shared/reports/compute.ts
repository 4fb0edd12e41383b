import { isOpen, STATE_LABELS } from '../domain/caseMachine';
import { ITEM_CATALOGUE, ITEM_CODES, itemByCode, type ItemCode } from '../domain/items';
import type { IsoDate } from '../domain/calendar';
import {
  METRICS,
  type AreaClass,
  type DrillRow,
  type ItemReportRow,
  type Metric,
  type MetricValue,
  type MetricValues,
  type PaymentAggregate,
  type Report,
  type ReportCase,
  type ReportFilter,
  type ReportRow,
  type TrendSeries,
} from './model';
import { lastDayOf, monthsIn, periodLabel, type Period } from './period';

/**
 * THE report definitions, as code (written down in docs/report-definitions.md — keep both in step). Pure: the same
 * cases, payments, period and as-of day always give the same figures, and a figure's drill-down list is made by the
 * same predicate as the figure, so the two can never disagree.
 */

/** One collator for every sort: building one per comparison (localeCompare with a locale) costs more than the report. */
const ZH = new Intl.Collator('zh-Hans-CN');

/** Items granted to the household as a whole: households are the unit and persons are its members. */
export const HOUSEHOLD_ITEMS: ReadonlySet<string> = new Set<ItemCode>(['dibao', 'nearDibao']);

export interface ReportContext {
  period: Period;
  asOf: IsoDate;
}

export type Flags = Record<Metric, boolean>;

function paymentKind(itemCode: string): 'periodic' | 'oneOff' | 'none' {
  return itemByCode(itemCode)?.payment ?? 'periodic';
}

/** First day the benefit is in force: the first payment month (periodic and status items), null if never approved. */
export function benefitStart(c: ReportCase): IsoDate | null {
  if (c.amountFen === null) return null;
  if (c.paymentStartMonth) return `${c.paymentStartMonth}-01`;
  return c.decidedOn;
}

/** True when a periodic or status benefit is in force on `day`: started on or before it and not ended by it. */
export function inForceOn(c: ReportCase, day: IsoDate): boolean {
  const start = benefitStart(c);
  return start !== null && start <= day && (c.endedOn === null || c.endedOn > day);
}

/** Which figures one case counts in. `paidFen` = its confirmed payments dated in the period. */
export function caseFlags(c: ReportCase, ctx: ReportContext, paidFen: number): Flags {
  const { start: ps, end: pe } = ctx.period;
  const oneOff = paymentKind(c.itemCode) === 'oneOff';
  const start = benefitStart(c);
  // The benefit really ran (its end, if any, is after its start): a case terminated before its first month never started.
  const ran = start !== null && (c.endedOn === null || c.endedOn > start);
  const periodic = !oneOff && ran && start !== null;
  return {
    active: periodic && start <= pe && (c.endedOn === null || c.endedOn > ps),
    activeAtEnd: periodic && start <= pe && (c.endedOn === null || c.endedOn > pe),
    new: periodic && start >= ps && start <= pe,
    exited:
      periodic &&
      (c.state === 'terminated' || c.state === 'closed') &&
      c.endedOn !== null &&
      c.endedOn >= ps &&
      c.endedOn <= pe,
    aided: oneOff && c.firstPaidOn !== null && c.firstPaidOn >= ps && c.firstPaidOn <= pe,
    paid: paidFen > 0,
    overdue: c.dueDate !== null && c.dueDate < ctx.asOf && (isOpen(c.state) || c.state === 'active'),
    recheckDue: c.state === 'active' && c.recheckDue !== null && c.recheckDue <= pe,
  };
}

export function matchesFilter(c: ReportCase, f: ReportFilter): boolean {
  if (f.items && f.items.length > 0 && !(f.items as readonly string[]).includes(c.itemCode)) return false;
  if (f.area && c.area !== f.area) return false;
  if (f.village && c.village !== f.village) return false;
  return true;
}

const householdKey = (c: ReportCase) => c.householdId ?? `person:${c.applicantId}`;

/**
 * Numbers every household and person once per computation, so that tallies collect small integers and count distinct
 * ones with a stamp array — on a 300k-person store this is several times faster than sets of id strings.
 */
class Units {
  private readonly households = new Map<string, number>();
  private readonly people = new Map<string, number>();
  readonly members: number[] = [];
  private hhStamp = new Int32Array(1024);
  private personStamp = new Int32Array(1024);
  private generation = 0;
  household(c: ReportCase): number {
    const key = householdKey(c);
    let i = this.households.get(key);
    if (i === undefined) {
      i = this.members.length;
      this.households.set(key, i);
      this.members.push(c.memberCount);
    }
    return i;
  }
  person(c: ReportCase): number {
    let i = this.people.get(c.applicantId);
    if (i === undefined) this.people.set(c.applicantId, (i = this.people.size));
    return i;
  }
  /** Distinct households (and their members) and distinct persons among the listed indices. */
  distinct(hh: readonly number[], persons: readonly number[]): { households: number; members: number; persons: number } {
    if (this.hhStamp.length < this.members.length) this.hhStamp = new Int32Array(this.members.length * 2);
    if (this.personStamp.length < this.people.size) this.personStamp = new Int32Array(this.people.size * 2);
    const g = ++this.generation;
    let households = 0;
    let members = 0;
    for (const i of hh) {
      if (this.hhStamp[i] === g) continue;
      this.hhStamp[i] = g;
      households++;
      members += this.members[i]!;
    }
    let distinctPersons = 0;
    for (const i of persons) {
      if (this.personStamp[i] === g) continue;
      this.personStamp[i] = g;
      distinctPersons++;
    }
    return { households, members, persons: distinctPersons };
  }
}

/** One item's cases in one group and metric: counts, and the household/person indices to count distinct later. */
class Tally {
  cases = 0;
  amountFen = 0;
  readonly hh: number[] = [];
  readonly persons: number[] = [];
  add(hh: number, person: number, amountFen: number): void {
    this.cases++;
    this.amountFen += amountFen;
    this.hh.push(hh);
    this.persons.push(person);
  }
  value(units: Units, householdBased: boolean): MetricValue {
    if (this.cases === 0) return { cases: 0, households: 0, persons: 0, amountFen: 0 };
    const d = units.distinct(this.hh, this.persons);
    return { cases: this.cases, households: d.households, persons: householdBased ? d.members : d.persons, amountFen: this.amountFen };
  }
}

const zeroValue = (): MetricValue => ({ cases: 0, households: 0, persons: 0, amountFen: 0 });
const zeroValues = (): MetricValues => {
  const out = {} as MetricValues;
  for (const m of METRICS) out[m] = zeroValue();
  return out;
};
function addInto(target: MetricValues, add: MetricValues): void {
  for (const m of METRICS) {
    const t = target[m];
    const a = add[m];
    t.cases += a.cases;
    t.households += a.households;
    t.persons += a.persons;
    t.amountFen += a.amountFen;
  }
}

/** Per (group key, item): one Tally per metric. */
class Grouping {
  private readonly cells = new Map<string, Map<string, Tally[]>>();
  constructor(private readonly units: Units) {}
  add(group: string, c: ReportCase, hh: number, person: number, flags: Flags, paidFen: number): void {
    let byItem = this.cells.get(group);
    if (!byItem) this.cells.set(group, (byItem = new Map()));
    let tallies = byItem.get(c.itemCode);
    if (!tallies) byItem.set(c.itemCode, (tallies = METRICS.map(() => new Tally())));
    for (let k = 0; k < METRICS.length; k++) {
      const m = METRICS[k]!;
      if (flags[m]) tallies[k]!.add(hh, person, m === 'paid' ? paidFen : 0);
    }
  }
  keys(): string[] {
    return [...this.cells.keys()];
  }
  /** Item-level values are distinct counts; a group spanning items sums them (户次/人次). */
  values(group: string): MetricValues {
    const out = zeroValues();
    for (const [item, tallies] of this.cells.get(group) ?? []) {
      const v = {} as MetricValues;
      METRICS.forEach((m, k) => (v[m] = tallies[k]!.value(this.units, HOUSEHOLD_ITEMS.has(item))));
      addInto(out, v);
    }
    return out;
  }
}

function paidByCase(payments: readonly PaymentAggregate[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of payments) out.set(p.caseId, (out.get(p.caseId) ?? 0) + p.amountFen);
  return out;
}

const itemName = (code: string) => itemByCode(code)?.name ?? code;
const itemShortName = (code: string) => itemByCode(code)?.shortName ?? code;

export interface ComputeInput {
  cases: readonly ReportCase[];
  payments: readonly PaymentAggregate[];
  period: Period;
  asOf: IsoDate;
  filter?: ReportFilter;
  /** Called every few thousand cases so a worker can report progress and notice a cancel. */
  onProgress?: (done: number, total: number) => void;
}

export function computeReport(input: ComputeInput): Report {
  const filter = input.filter ?? {};
  const ctx: ReportContext = { period: input.period, asOf: input.asOf };
  const paid = paidByCase(input.payments);
  const months = monthsIn(input.period);
  const monthEnds = months.map(lastDayOf);
  const monthIndex = new Map(months.map((m, i) => [m, i]));

  const units = new Units();
  const byItem = new Grouping(units);
  const byItemArea = new Grouping(units);
  const byArea = new Grouping(units);
  const byVillage = new Grouping(units);
  const exitReasons = new Map<string, Map<string, number>>();
  const trendPaid = new Map<string, number[]>();
  const trendActive = new Map<string, Tally[]>();
  const selected = new Map<string, ReportCase>();

  input.cases.forEach((c, i) => {
    if (input.onProgress && i % 5000 === 0) input.onProgress(i, input.cases.length);
    if (!matchesFilter(c, filter)) return;
    selected.set(c.id, c);
    const paidFen = paid.get(c.id) ?? 0;
    const flags = caseFlags(c, ctx, paidFen);
    const hh = units.household(c);
    const person = units.person(c);
    byItem.add(c.itemCode, c, hh, person, flags, paidFen);
    byItemArea.add(`${c.itemCode}|${c.area}`, c, hh, person, flags, paidFen);
    byArea.add(c.area, c, hh, person, flags, paidFen);
    byVillage.add(c.village, c, hh, person, flags, paidFen);
    if (flags.exited) {
      let reasons = exitReasons.get(c.itemCode);
      if (!reasons) exitReasons.set(c.itemCode, (reasons = new Map()));
      const reason = c.state === 'closed' ? '服务完成' : (c.reason?.trim() || '未填写原因');
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    // Trend: in force at each month's end (periodic items) or first aided that month (one-off items).
    let active = trendActive.get(c.itemCode);
    if (!active) trendActive.set(c.itemCode, (active = months.map(() => new Tally())));
    if (paymentKind(c.itemCode) === 'oneOff') {
      const k = flags.aided && c.firstPaidOn !== null ? monthIndex.get(c.firstPaidOn.slice(0, 7)) : undefined;
      if (k !== undefined) active[k]!.add(hh, person, 0);
    } else if (flags.active) {
      // inForceOn() for each month end, with the start computed once (this loop runs cases × months times).
      const start = benefitStart(c)!;
      for (let k = 0; k < monthEnds.length; k++) {
        const end = monthEnds[k]!;
        if (start <= end && (c.endedOn === null || c.endedOn > end)) active[k]!.add(hh, person, 0);
      }
    }
  });
  for (const p of input.payments) {
    const c = selected.get(p.caseId);
    const k = monthIndex.get(p.month);
    if (!c || k === undefined) continue;
    let series = trendPaid.get(c.itemCode);
    if (!series) trendPaid.set(c.itemCode, (series = months.map(() => 0)));
    series[k] = (series[k] ?? 0) + p.amountFen;
  }
  input.onProgress?.(input.cases.length, input.cases.length);

  const itemCodes = ITEM_CODES.filter((code) => !filter.items?.length || (filter.items as readonly string[]).includes(code));
  const itemRows: ItemReportRow[] = itemCodes.map((code) => {
    const def = ITEM_CATALOGUE.find((d) => d.code === code);
    return {
      key: code,
      itemCode: code,
      label: itemName(code),
      payment: def?.payment ?? 'periodic',
      householdBased: HOUSEHOLD_ITEMS.has(code),
      metrics: byItem.values(code),
      byArea: { urban: byItemArea.values(`${code}|urban`), rural: byItemArea.values(`${code}|rural`) },
      exitReasons: [...(exitReasons.get(code) ?? new Map<string, number>())]
        .map(([reason, cases]) => ({ reason, cases }))
        .sort((a, b) => b.cases - a.cases || ZH.compare(a.reason, b.reason)),
    };
  });
  const total: ReportRow = { key: 'total', label: '合计', metrics: zeroValues() };
  for (const r of itemRows) addInto(total.metrics, r.metrics);

  const areaRows: ReportRow[] = (['urban', 'rural'] as AreaClass[])
    .filter((a) => !filter.area || filter.area === a)
    .map((a) => ({ key: a, label: a === 'urban' ? '城市' : '农村', metrics: byArea.values(a) }));
  const villageRows: ReportRow[] = byVillage
    .keys()
    .sort(ZH.compare)
    .map((v) => ({ key: v, label: v, metrics: byVillage.values(v) }));

  const series: TrendSeries[] = itemCodes
    .filter((code) => trendPaid.has(code) || trendActive.has(code))
    .map((code) => ({
      itemCode: code,
      label: itemShortName(code),
      paidFen: trendPaid.get(code) ?? months.map(() => 0),
      activeAtMonthEnd: (trendActive.get(code) ?? []).map((t) => {
        const v = t.value(units, false);
        return HOUSEHOLD_ITEMS.has(code) ? v.households : v.persons;
      }),
    }));

  return {
    period: { start: input.period.start, end: input.period.end, label: periodLabel(input.period) },
    asOf: input.asOf,
    filter,
    byItem: itemRows,
    byArea: areaRows,
    byVillage: villageRows,
    total,
    trend: { months, series },
  };
}

export interface DrillInput extends ComputeInput {
  metric: Metric;
}

/** The cases behind one figure: exactly those the figure counted (same flags, same filter). */
export function drillCases(input: DrillInput): { rows: DrillRow[]; value: MetricValue } {
  const filter = input.filter ?? {};
  const ctx: ReportContext = { period: input.period, asOf: input.asOf };
  const paid = paidByCase(input.payments);
  const units = new Units();
  const grouping = new Grouping(units);
  const rows: DrillRow[] = [];
  for (const c of input.cases) {
    if (!matchesFilter(c, filter)) continue;
    const paidFen = paid.get(c.id) ?? 0;
    const flags = caseFlags(c, ctx, paidFen);
    if (!flags[input.metric]) continue;
    grouping.add('all', c, units.household(c), units.person(c), flags, paidFen);
    const item = itemByCode(c.itemCode);
    rows.push({
      caseId: c.id,
      caseNumber: c.caseNumber,
      itemCode: c.itemCode,
      itemName: item?.name ?? c.itemCode,
      subKindName: item?.subKinds.find((k) => k.code === c.subKind)?.name ?? null,
      applicantId: c.applicantId,
      applicantName: c.applicantName,
      idNumber: c.idNumber,
      village: c.village,
      area: c.area,
      memberCount: c.memberCount,
      stateLabel: STATE_LABELS[c.state],
      amountFen: c.amountFen,
      paidInPeriodFen: paidFen,
      paymentStartMonth: c.paymentStartMonth,
      endedOn: c.endedOn,
      reason: c.reason,
      dueDate: c.dueDate,
    });
  }
  rows.sort(
    (a, b) =>
      (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : 0) ||
      ZH.compare(a.village, b.village) ||
      (a.caseNumber < b.caseNumber ? -1 : a.caseNumber > b.caseNumber ? 1 : 0),
  );
  return { rows, value: grouping.values('all')[input.metric] };
}
