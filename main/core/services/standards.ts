import {
  currentStandard,
  eligibilityHint,
  perCapitaMonthlyIncomeFen,
  type AreaClass,
  type PolicyStandard,
  type StandardKind,
} from '../../../shared/domain/income';
import { localToday } from '../../../shared/domain/calendar';
import type { IncomeCheck } from '../../../shared/schemas/people';
import type { Db } from '../db/open';
import type { WriteTx } from './unitOfWork';

interface StandardRow {
  kind: StandardKind;
  area_class: AreaClass;
  effective_from: string;
  amount_fen: number;
  demo: number;
}

export function listStandards(db: Db): PolicyStandard[] {
  return (
    db
      .prepare(
        'SELECT kind, area_class, effective_from, amount_fen, demo FROM policy_standards ORDER BY kind, area_class, effective_from',
      )
      .all() as StandardRow[]
  ).map((r) => ({
    kind: r.kind,
    areaClass: r.area_class,
    effectiveFrom: r.effective_from,
    amountFen: r.amount_fen,
    demo: r.demo === 1,
  }));
}

/** The standard of `kind` in force on `onDate` for the class (see currentStandard in shared/domain/income.ts). */
export function standardOn(
  db: Db,
  kind: StandardKind,
  areaClass: AreaClass,
  onDate: string = localToday(),
): PolicyStandard | null {
  return currentStandard(listStandards(db), kind, areaClass, onDate) ?? null;
}

/**
 * Writes one published standard (the county sync calls this with demo = false). Once the county has published any
 * value for a kind, the demo rows of that kind are removed so that no screen keeps quoting a demo figure.
 */
export function upsertStandard(tx: WriteTx, s: PolicyStandard): void {
  const before = tx.db
    .prepare('SELECT amount_fen, demo FROM policy_standards WHERE kind = ? AND area_class = ? AND effective_from = ?')
    .get(s.kind, s.areaClass, s.effectiveFrom) as { amount_fen: number; demo: number } | undefined;
  tx.db
    .prepare(
      `INSERT INTO policy_standards (kind, area_class, effective_from, amount_fen, demo, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, area_class, effective_from) DO UPDATE SET amount_fen = excluded.amount_fen, demo = excluded.demo,
         updated_at = excluded.updated_at`,
    )
    .run(s.kind, s.areaClass, s.effectiveFrom, s.amountFen, s.demo ? 1 : 0, tx.now);
  if (!s.demo) tx.db.prepare('DELETE FROM policy_standards WHERE kind = ? AND demo = 1').run(s.kind);
  tx.audit({
    action: 'standard.save',
    entity: 'policy_standard',
    entityId: `${s.kind}/${s.areaClass}/${s.effectiveFrom}`,
    changes: {
      amountFen: [before?.amount_fen ?? null, s.amountFen],
      demo: [before ? before.demo === 1 : null, s.demo],
    },
  });
}

/** Per-capita monthly income of a household against the dibao standard for its urban/rural class. */
export function incomeCheck(
  db: Db,
  hukou: 'urban' | 'rural',
  memberCount: number,
  monthlyFen: readonly number[],
  onDate: string = localToday(),
): IncomeCheck {
  const perCapitaFen = perCapitaMonthlyIncomeFen(monthlyFen, memberCount);
  const standard = standardOn(db, 'dibao', hukou, onDate);
  const hint = eligibilityHint(perCapitaFen, standard ?? undefined);
  return {
    monthlyIncomeFen: monthlyFen.reduce((a, b) => a + b, 0),
    memberCount,
    perCapitaFen,
    standard,
    belowStandard: hint.status === 'noStandard' ? null : hint.status === 'below',
    message: hint.message,
  };
}
