import { uuidv7 } from 'uuidv7';
import { ageOn, maskIdNumber, validateIdNumber } from '../../../shared/domain/idNumber';
import { localToday } from '../../../shared/domain/calendar';
import { AppError } from '../../../shared/ipc/errors';
import type { PersonDetail, PersonFields, PersonListItem } from '../../../shared/schemas/people';
import type { Db } from '../db/open';
import { diffFields } from './audit';
import { nameKeys } from './people/nameKeys';
import type { WriteTx } from './unitOfWork';

/** A persons row joined with the person's household membership (null when in no household yet). */
export interface PersonRow {
  pk: number;
  id: string;
  id_number: string;
  name: string;
  birth_date: string;
  sex: 'male' | 'female';
  phone: string | null;
  hukou: 'urban' | 'rural';
  disability_category: string | null;
  disability_grade: number | null;
  work_ability: string;
  health: string;
  health_note: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  household_id: string | null;
  relation: string | null;
  village: string | null;
}

/** SELECT list + joins that every person read uses; callers add WHERE / ORDER BY. */
export const PERSON_SELECT = `
  SELECT p.pk, p.id, p.id_number, p.name, p.birth_date, p.sex, p.phone, p.hukou, p.disability_category,
         p.disability_grade, p.work_ability, p.health, p.health_note, p.version, p.created_at, p.updated_at,
         m.household_id, m.relation, p.village
  FROM persons p
  LEFT JOIN household_members m ON m.person_id = p.id`;

export function toListItem(r: PersonRow, today: string = localToday()): PersonListItem {
  return {
    id: r.id,
    name: r.name,
    idNumberMasked: maskIdNumber(r.id_number),
    sex: r.sex,
    age: ageOn(r.birth_date, today),
    hukou: r.hukou,
    disabilityCategory: r.disability_category,
    disabilityGrade: r.disability_grade,
    householdId: r.household_id,
    relation: r.relation,
    village: r.village,
  };
}

export function toDetail(r: PersonRow, today: string = localToday()): PersonDetail {
  return {
    id: r.id,
    version: r.version,
    idNumber: r.id_number,
    idNumberMasked: maskIdNumber(r.id_number),
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
    age: ageOn(r.birth_date, today),
    phone: r.phone,
    hukou: r.hukou,
    disabilityCategory: r.disability_category,
    disabilityGrade: r.disability_grade,
    workAbility: r.work_ability,
    health: r.health,
    healthNote: r.health_note,
    householdId: r.household_id,
    relation: r.relation,
    village: r.village,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function personRowById(db: Db, id: string): PersonRow | null {
  return (db.prepare(`${PERSON_SELECT} WHERE p.id = ?`).get(id) as PersonRow | undefined) ?? null;
}

export function personRowByIdNumber(db: Db, idNumber: string): PersonRow | null {
  return (db.prepare(`${PERSON_SELECT} WHERE p.id_number = ?`).get(idNumber) as PersonRow | undefined) ?? null;
}

/** Rows for a list of ids, in the order given (ids not found are skipped). */
export function personRowsByPk(db: Db, pks: readonly number[]): PersonRow[] {
  if (pks.length === 0) return [];
  const rows = db
    .prepare(`${PERSON_SELECT} WHERE p.pk IN (${pks.map(() => '?').join(',')})`)
    .all(...pks) as PersonRow[];
  const byPk = new Map(rows.map((r) => [r.pk, r]));
  return pks.map((pk) => byPk.get(pk)).filter((r): r is PersonRow => r !== undefined);
}

/** The record as it travels to the county (`person.save` data) and as the audit log compares it. */
export function personData(
  r: Omit<PersonRow, 'pk' | 'household_id' | 'relation' | 'village'>,
): Record<string, unknown> {
  return {
    id: r.id,
    idNumber: r.id_number,
    name: r.name,
    birthDate: r.birth_date,
    sex: r.sex,
    phone: r.phone,
    hukou: r.hukou,
    disabilityCategory: r.disability_category,
    disabilityGrade: r.disability_grade,
    workAbility: r.work_ability,
    health: r.health,
    healthNote: r.health_note,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Named parameters = the persons columns (snake_case). Also used by the synthetic-data loader of the benchmarks. */
export const INSERT_PERSON_SQL = `
  INSERT INTO persons (id, id_number, name, name_pinyin, name_initials, name_pinyin_alt, name_initials_alt, birth_date,
    sex, phone, hukou, disability_category, disability_grade, work_ability, health, health_note, village, version,
    created_at, updated_at)
  VALUES (@id, @id_number, @name, @name_pinyin, @name_initials, @name_pinyin_alt, @name_initials_alt, @birth_date,
    @sex, @phone, @hukou, @disability_category, @disability_grade, @work_ability, @health, @health_note, @village,
    @version, @created_at, @updated_at)`;

/** Records that someone looked at a person's full record (ID number included). */
export function auditPersonView(tx: WriteTx, personId: string, how: string): void {
  tx.audit({ action: 'person.view', entity: 'person', entityId: personId, changes: { view: how } });
}

/**
 * Registers a new person or edits one. The ID number is unique: a second registration of the same number is
 * refused with DUPLICATE naming the existing record, so the clerk picks that person instead.
 */
export function savePerson(tx: WriteTx, input: PersonFields): PersonDetail {
  const id = validateIdNumber(input.idNumber);
  if (!id.ok) throw new AppError('INVALID_INPUT', id.message, [{ path: 'idNumber', message: id.message }]);
  const before = input.id ? personRowById(tx.db, input.id) : null;
  if (input.id && !before) throw new AppError('NOT_FOUND', '未找到要修改的人员记录');
  if (before && input.version !== undefined && input.version !== before.version) {
    throw new AppError('CONFLICT', '该人员信息已被他人修改，请刷新后重试');
  }
  const holder = personRowByIdNumber(tx.db, id.value);
  if (holder && holder.id !== before?.id) {
    const message = `该身份证号码已登记（${holder.name}），请直接选用已有人员`;
    throw new AppError('DUPLICATE', message, { existingPersonId: holder.id, fields: [{ path: 'idNumber', message }] });
  }
  const keys = nameKeys(input.name);
  const row = {
    id: before?.id ?? uuidv7(),
    id_number: id.value,
    name: input.name,
    name_pinyin: keys.pinyin,
    name_initials: keys.initials,
    name_pinyin_alt: keys.pinyinAlt,
    name_initials_alt: keys.initialsAlt,
    birth_date: id.birthDate,
    sex: id.sex,
    phone: input.phone,
    hukou: input.hukou,
    disability_category: input.disabilityCategory,
    disability_grade: input.disabilityGrade,
    work_ability: input.workAbility,
    health: input.health,
    health_note: input.healthNote,
    version: (before?.version ?? 0) + 1,
    created_at: before?.created_at ?? tx.now,
    updated_at: tx.now,
  };
  const comparable = (d: Record<string, unknown>) => {
    const { version: _v, updatedAt: _u, ...rest } = d;
    return rest;
  };
  const changes = diffFields(before ? comparable(personData(before)) : null, comparable(personData(row)));
  // Saving an unchanged form is not an edit: no new version, no audit entry, nothing for the county.
  if (before && Object.keys(changes).length === 0) return toDetail(before);
  if (before) {
    tx.db
      .prepare(
        `UPDATE persons SET id_number = @id_number, name = @name, name_pinyin = @name_pinyin, name_initials = @name_initials,
           name_pinyin_alt = @name_pinyin_alt, name_initials_alt = @name_initials_alt, birth_date = @birth_date, sex = @sex,
           phone = @phone, hukou = @hukou, disability_category = @disability_category, disability_grade = @disability_grade,
           work_ability = @work_ability, health = @health, health_note = @health_note, version = @version,
           updated_at = @updated_at
         WHERE id = @id`,
      )
      .run(row);
  } else {
    tx.db.prepare(INSERT_PERSON_SQL).run({ ...row, village: null });
  }
  const after = personRowById(tx.db, row.id)!;
  const data = personData(after);
  tx.audit({ action: before ? 'person.update' : 'person.create', entity: 'person', entityId: row.id, changes });
  tx.mutate('person.save', { id: row.id, data });
  return toDetail(after);
}
