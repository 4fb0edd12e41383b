import { AppError } from '../../../../shared/ipc/errors';
import { auditHouseholdView, householdDetail, saveHousehold } from '../../services/households';
import { auditPersonView, personRowById, personRowByIdNumber, savePerson, toDetail } from '../../services/persons';
import { listVillages, searchPersons } from '../../services/search';
import { incomeCheck, listStandards } from '../../services/standards';
import { write } from '../../services/unitOfWork';
import { countyVillages } from '../../sync/county';
import type { HandlerMap } from '../handlerTypes';

type PeopleCalls =
  | 'people.findByIdNumber'
  | 'people.getPerson'
  | 'people.savePerson'
  | 'people.getHousehold'
  | 'people.saveHousehold'
  | 'people.checkIncome'
  | 'people.search'
  | 'people.villages'
  | 'people.standards';

export const peopleHandlers: HandlerMap<PeopleCalls> = {
  'people.findByIdNumber': ({ idNumber }, { core, actor }) =>
    write(core.db, actor, (tx) => {
      const row = personRowByIdNumber(tx.db, idNumber);
      if (!row) return null;
      auditPersonView(tx, row.id, 'lookup by ID number');
      return toDetail(row);
    }),
  'people.getPerson': ({ id }, { core, actor }) =>
    write(core.db, actor, (tx) => {
      const row = personRowById(tx.db, id);
      if (!row) throw new AppError('NOT_FOUND', '未找到该人员');
      auditPersonView(tx, id, 'detail');
      return toDetail(row);
    }),
  'people.savePerson': (input, { core, actor }) => {
    const saved = write(core.db, actor, (tx) => savePerson(tx, input));
    core.emit('status.changed', {});
    return saved;
  },
  'people.getHousehold': ({ id }, { core, actor }) =>
    write(core.db, actor, (tx) => {
      const detail = householdDetail(tx.db, id);
      if (!detail) throw new AppError('NOT_FOUND', '未找到该家庭');
      auditHouseholdView(tx, id);
      return detail;
    }),
  'people.saveHousehold': (input, { core, actor }) => {
    const saved = write(core.db, actor, (tx) => saveHousehold(tx, input));
    core.emit('status.changed', {});
    return saved;
  },
  'people.checkIncome': (input, { core }) =>
    incomeCheck(
      core.db,
      input.hukou,
      input.memberCount,
      input.incomeItems.map((i) => i.monthlyFen),
    ),
  'people.search': (input, { core }) => searchPersons(core.db, input),
  'people.villages': (_input, { core }) => villageChoices(core.db),
  'people.standards': (_input, { core }) => listStandards(core.db),
};

/**
 * The county's village list (pulled, SP-33) is the official spelling; villages typed before it arrived, or missing
 * from it, stay selectable so existing households still match — the form warns when a name is not official.
 */
function villageChoices(db: Parameters<typeof listVillages>[0]): { village: string; households: number; official: boolean }[] {
  const local = new Map(listVillages(db).map((v) => [v.village, v.households]));
  const official = [...new Set(countyVillages(db).map((v) => v.name))];
  const officialSet = new Set(official);
  return [
    ...official.map((village) => ({ village, households: local.get(village) ?? 0, official: true })),
    ...[...local].filter(([v]) => !officialSet.has(v)).map(([village, households]) => ({ village, households, official: false })),
  ];
}
