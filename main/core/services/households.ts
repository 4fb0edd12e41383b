import { uuidv7 } from 'uuidv7';
import { localToday } from '../../../shared/domain/calendar';
import { AppError } from '../../../shared/ipc/errors';
import {
  AssetsSchema,
  IncomeItemSchema,
  type HouseholdDetail,
  type HouseholdFields,
  type IncomeItem,
  type MemberDetail,
} from '../../../shared/schemas/people';
import { z } from 'zod';
import type { Db } from '../db/open';
import { diffFields } from './audit';
import { PERSON_SELECT, personRowById, toListItem, type PersonRow } from './persons';
import { incomeCheck } from './standards';
import type { WriteTx } from './unitOfWork';

export interface HouseholdRow {
  id: string;
  head_id: string;
  hukou: 'urban' | 'rural';
  village: string;
  address: string;
  income_items: string;
  assets: string;
  monthly_income_fen: number;
  member_count: number;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Named parameters = the households columns. Also used by the synthetic-data loader of the benchmarks. */
export const INSERT_HOUSEHOLD_SQL = `
  INSERT INTO households (id, head_id, hukou, village, address, income_items, assets, monthly_income_fen, member_count,
    version, created_at, updated_at)
  VALUES (@id, @head_id, @hukou, @village, @address, @income_items, @assets, @monthly_income_fen, @member_count,
    @version, @created_at, @updated_at)`;
/** Positional: person_id, household_id, relation. */
export const INSERT_MEMBER_SQL = 'INSERT INTO household_members (person_id, household_id, relation) VALUES (?, ?, ?)';

/** Relation order for member lists: head first, then the closest relatives. */
const RELATION_ORDER = [
  'self',
  'spouse',
  'child',
  'childInLaw',
  'grandchild',
  'parent',
  'grandparent',
  'sibling',
  'other',
];

function householdRow(db: Db, id: string): HouseholdRow | null {
  return (db.prepare('SELECT * FROM households WHERE id = ?').get(id) as HouseholdRow | undefined) ?? null;
}

function memberRows(db: Db, householdId: string): (PersonRow & { relation: string })[] {
  const rows = db.prepare(`${PERSON_SELECT} WHERE m.household_id = ?`).all(householdId) as (PersonRow & {
    relation: string;
  })[];
  return rows.sort(
    (a, b) =>
      RELATION_ORDER.indexOf(a.relation) - RELATION_ORDER.indexOf(b.relation) ||
      a.birth_date.localeCompare(b.birth_date),
  );
}

/** The record as it travels to the county (`household.save` data) and as the audit log compares it. */
function householdData(r: HouseholdRow, members: { personId: string; relation: string }[]): Record<string, unknown> {
  return {
    id: r.id,
    headId: r.head_id,
    hukou: r.hukou,
    village: r.village,
    address: r.address,
    members,
    incomeItems: JSON.parse(r.income_items) as unknown,
    assets: JSON.parse(r.assets) as unknown,
    monthlyIncomeFen: r.monthly_income_fen,
    memberCount: r.member_count,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function householdDetail(db: Db, id: string, today: string = localToday()): HouseholdDetail | null {
  const h = householdRow(db, id);
  if (!h) return null;
  const members = memberRows(db, id);
  const incomeItems = z.array(IncomeItemSchema).parse(JSON.parse(h.income_items));
  const head = members.find((m) => m.id === h.head_id);
  return {
    id: h.id,
    version: h.version,
    headId: h.head_id,
    headName: head?.name ?? '',
    hukou: h.hukou,
    village: h.village,
    address: h.address,
    members: members.map((m): MemberDetail => ({
      ...toListItem(m, today),
      relation: m.relation,
      workAbility: m.work_ability,
      health: m.health,
    })),
    incomeItems,
    assets: AssetsSchema.parse(JSON.parse(h.assets)),
    income: incomeCheck(
      db,
      h.hukou,
      h.member_count,
      incomeItems.map((i) => i.monthlyFen),
      today,
    ),
    createdAt: h.created_at,
    updatedAt: h.updated_at,
  };
}

/** The household a person belongs to, if any (for a case: load the applicant's household). */
export function householdIdOfPerson(db: Db, personId: string): string | null {
  const r = db.prepare('SELECT household_id FROM household_members WHERE person_id = ?').get(personId) as
    { household_id: string } | undefined;
  return r?.household_id ?? null;
}

export function auditHouseholdView(tx: WriteTx, householdId: string): void {
  tx.audit({ action: 'household.view', entity: 'household', entityId: householdId, changes: { view: 'detail' } });
}

/**
 * Registers or edits a household: its head, members (each a registered person, in no other household), income
 * items and assets. The member list is replaced as a whole, so removing a member from the form removes them here.
 */
export function saveHousehold(tx: WriteTx, input: HouseholdFields): HouseholdDetail {
  const before = input.id ? householdRow(tx.db, input.id) : null;
  if (input.id && !before) throw new AppError('NOT_FOUND', '未找到要修改的家庭记录');
  if (before && input.version !== undefined && input.version !== before.version) {
    throw new AppError('CONFLICT', '该家庭信息已被他人修改，请刷新后重试');
  }
  const id = before?.id ?? uuidv7();
  input.members.forEach((m, i) => {
    const person = personRowById(tx.db, m.personId);
    if (!person) {
      throw new AppError('NOT_FOUND', `第 ${i + 1} 位成员未登记，请先登记该人员`, [
        { path: `members.${i}.personId`, message: '该人员未登记' },
      ]);
    }
    if (person.household_id && person.household_id !== id) {
      const otherHead = tx.db
        .prepare('SELECT p.name FROM households h JOIN persons p ON p.id = h.head_id WHERE h.id = ?')
        .get(person.household_id) as { name: string } | undefined;
      throw new AppError(
        'CONFLICT',
        `${person.name} 已是另一户（户主：${otherHead?.name ?? '未知'}）的成员，请先从原家庭中移除`,
        [{ path: `members.${i}.personId`, message: '已属于另一户' }],
      );
    }
  });
  const incomeItems: IncomeItem[] = input.incomeItems;
  const monthlyIncome = incomeItems.reduce((sum, item) => sum + item.monthlyFen, 0);
  const row: HouseholdRow = {
    id,
    head_id: input.headId,
    hukou: input.hukou,
    village: input.village,
    address: input.address,
    income_items: JSON.stringify(incomeItems),
    assets: JSON.stringify(input.assets),
    monthly_income_fen: monthlyIncome,
    member_count: input.members.length,
    version: (before?.version ?? 0) + 1,
    created_at: before?.created_at ?? tx.now,
    updated_at: tx.now,
  };
  const members = input.members.map((m) => ({ personId: m.personId, relation: m.relation }));
  const beforeMembers = before
    ? (tx.db
        .prepare(
          'SELECT person_id AS personId, relation FROM household_members WHERE household_id = ? ORDER BY person_id',
        )
        .all(id) as {
        personId: string;
        relation: string;
      }[])
    : [];
  const comparable = (d: Record<string, unknown>) => {
    const { version: _v, updatedAt: _u, ...rest } = d;
    return {
      ...rest,
      members: [...(rest.members as { personId: string }[])].sort((a, b) => a.personId.localeCompare(b.personId)),
    };
  };
  const changes = diffFields(
    before ? comparable(householdData(before, beforeMembers)) : null,
    comparable(householdData(row, members)),
  );
  if (before && Object.keys(changes).length === 0) return householdDetail(tx.db, id)!;

  if (before) {
    tx.db
      .prepare(
        `UPDATE households SET head_id = @head_id, hukou = @hukou, village = @village, address = @address,
           income_items = @income_items, assets = @assets, monthly_income_fen = @monthly_income_fen,
           member_count = @member_count, version = @version, updated_at = @updated_at
         WHERE id = @id`,
      )
      .run(row);
    tx.db.prepare('DELETE FROM household_members WHERE household_id = ?').run(id);
  } else {
    tx.db.prepare(INSERT_HOUSEHOLD_SQL).run(row);
  }
  const addMember = tx.db.prepare(INSERT_MEMBER_SQL);
  const setVillage = tx.db.prepare('UPDATE persons SET village = ? WHERE id = ?');
  for (const m of beforeMembers) setVillage.run(null, m.personId);
  for (const m of members) {
    addMember.run(m.personId, id, m.relation);
    setVillage.run(row.village, m.personId);
  }
  tx.audit({ action: before ? 'household.update' : 'household.create', entity: 'household', entityId: id, changes });
  tx.mutate('household.save', { id, data: householdData(row, members) });
  return householdDetail(tx.db, id)!;
}
