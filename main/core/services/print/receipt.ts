import { ageOn, maskIdNumber } from '../../../../shared/domain/idNumber';
import { itemByCode } from '../../../../shared/domain/items';
import { AppError } from '../../../../shared/ipc/errors';
import type { Db } from '../../db/open';
import type { Actor } from '../audit';
import { localIso } from '../cases/clock';
import { materialRows, requireCase, snapshotOf } from '../cases/rows';
import { readSettings } from '../settings';
import { write } from '../unitOfWork';
import { noticeListHtml, receiptHtml, type NoticeRow } from './templates';

function stationOrFail(db: Db) {
  const s = readSettings(db);
  if (!s) throw new AppError('INVALID_INPUT', '请先在“设置”中填写乡镇名称和站点编码');
  return s;
}

/** 受理回执 as HTML. Printing it is an export of personal data, so it is recorded. */
export function receiptFor(db: Db, actor: Actor, caseId: string): { title: string; html: string } {
  const row = requireCase(db, caseId);
  const snapshot = snapshotOf(row);
  if (!snapshot.acceptedAt) throw new AppError('ILLEGAL_TRANSITION', '案件尚未受理，不能打印受理回执');
  const station = stationOrFail(db);
  const person = db.prepare('SELECT name, id_number FROM persons WHERE id = ?').get(row.applicant_id) as { name: string; id_number: string };
  const village = row.household_id
    ? ((db.prepare('SELECT village FROM households WHERE id = ?').get(row.household_id) as { village: string } | undefined)?.village ?? null)
    : null;
  const accept = db
    .prepare(`SELECT actor_name, at FROM case_events WHERE case_id = ? AND action IN ('accept', 'urgentAid') ORDER BY seq LIMIT 1`)
    .get(caseId) as { actor_name: string; at: string } | undefined;
  const counts = new Map(
    (db.prepare('SELECT material_key, count(*) AS n FROM attachments WHERE case_id = ? GROUP BY material_key').all(caseId) as {
      material_key: string;
      n: number;
    }[]).map((r) => [r.material_key, r.n]),
  );
  const lines = materialRows(db, caseId).map((m) => ({ ...m, scans: counts.get(m.material_key) ?? 0 }));
  const item = itemByCode(row.item_code);
  const html = receiptHtml({
    caseNumber: row.case_number,
    itemName: item?.name ?? row.item_code,
    subKindName: item?.subKinds.find((k) => k.code === row.sub_kind)?.name ?? null,
    applicantName: person.name,
    applicantIdMasked: maskIdNumber(person.id_number),
    village,
    materialsReceived: lines.filter((m) => m.received === 1 || m.scans > 0).map((m) => ({ name: m.name, attachments: m.scans })),
    materialsMissing: lines.filter((m) => m.required === 1 && m.received === 0 && m.scans === 0).map((m) => m.name),
    staffName: accept?.actor_name ?? actor.name,
    acceptedDate: (accept?.at ?? snapshot.acceptedAt).slice(0, 10),
    dueDate: snapshot.deadlines.decisionDue ?? null,
    townshipName: station.townshipName,
    stationCode: station.stationCode,
  });
  write(db, actor, (tx) => tx.audit({ action: 'print.receipt', entity: 'case', entityId: caseId, changes: { export: 'receipt' } }));
  return { title: `受理回执 ${row.case_number}`, html };
}

export interface NoticeRequest {
  caseIds?: string[] | undefined;
  noticeStart?: string | undefined;
  noticeEnd?: string | undefined;
}

/**
 * 公示名单: cases in public notice (or the ones named). Minors are never published (DOMAIN.md "Privacy"): a case
 * whose applicant is under 18 on the first notice day is left out and only counted.
 */
export function noticeListFor(db: Db, actor: Actor, req: NoticeRequest) {
  const station = stationOrFail(db);
  const rows = (
    req.caseIds && req.caseIds.length > 0
      ? db.prepare(`SELECT id FROM cases WHERE id IN (${req.caseIds.map(() => '?').join(',')}) ORDER BY case_number`).all(...req.caseIds)
      : db.prepare(`SELECT id FROM cases WHERE state = 'inNotice' ORDER BY case_number`).all()
  ) as { id: string }[];
  if (req.caseIds && rows.length !== new Set(req.caseIds).size) throw new AppError('NOT_FOUND', '部分案件不存在');
  const today = localIso(new Date()).slice(0, 10);
  const cases = rows.map((r) => {
    const c = requireCase(db, r.id);
    return { row: c, snapshot: snapshotOf(c) };
  });
  const starts = cases.map((c) => c.snapshot.noticeStart).filter((d): d is string => !!d).sort();
  const ends = cases.map((c) => c.snapshot.noticeEnd).filter((d): d is string => !!d).sort();
  const noticeStart = req.noticeStart ?? starts[0] ?? today;
  const noticeEnd = req.noticeEnd ?? ends.at(-1) ?? noticeStart;
  if (noticeEnd < noticeStart) throw new AppError('INVALID_INPUT', '公示结束日期不能早于开始日期');

  const out: NoticeRow[] = [];
  let minorsOmitted = 0;
  for (const { row } of cases) {
    const p = db.prepare('SELECT name, id_number, birth_date FROM persons WHERE id = ?').get(row.applicant_id) as {
      name: string;
      id_number: string;
      birth_date: string;
    };
    if (ageOn(p.birth_date, noticeStart) < 18) {
      minorsOmitted++;
      continue;
    }
    const h = row.household_id
      ? (db.prepare('SELECT village, member_count FROM households WHERE id = ?').get(row.household_id) as
          | { village: string; member_count: number }
          | undefined)
      : undefined;
    out.push({
      village: h?.village ?? '',
      applicantName: p.name,
      idMasked: maskIdNumber(p.id_number),
      householdSize: h?.member_count ?? null,
      itemName: itemByCode(row.item_code)?.name ?? row.item_code,
      caseNumber: row.case_number,
    });
  }
  const html = noticeListHtml({ townshipName: station.townshipName, noticeStart, noticeEnd, rows: out, minorsOmitted });
  write(db, actor, (tx) =>
    tx.audit({
      action: 'print.noticeList',
      entity: 'case',
      entityId: null,
      changes: { export: 'noticeList', cases: cases.map((c) => c.row.id), minorsOmitted },
    }),
  );
  return { title: '公示名单', html, rows: out.length, minorsOmitted };
}
