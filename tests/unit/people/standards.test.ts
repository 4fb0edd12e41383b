import { describe, expect, it } from 'vitest';
import { incomeCheck, listStandards, upsertStandard } from '../../../main/core/services/standards';
import { write } from '../../../main/core/services/unitOfWork';
import { SYSTEM_ACTOR } from '../../../main/core/services/audit';
import { DEMO_STANDARDS } from '../../../shared/domain/income';
import { useCores } from './helpers';

const newCore = useCores();

describe('policy standards', () => {
  it('a new store starts with the demo standards, labelled as demo', () => {
    const core = newCore();
    expect(listStandards(core.db)).toHaveLength(DEMO_STANDARDS.length);
    expect(listStandards(core.db).every((s) => s.demo)).toBe(true);
    const check = incomeCheck(core.db, 'rural', 2, [100_000], '2025-06-01');
    expect(check).toMatchObject({
      perCapitaFen: 50_000,
      belowStandard: true,
      standard: { demo: true, effectiveFrom: '2025-01-01' },
    });
    expect(check.message).toContain('演示数据');
  });

  it('a county standard replaces the demo values of its kind, applies from its date, and is audited', () => {
    const core = newCore();
    write(core.db, SYSTEM_ACTOR, (tx) =>
      upsertStandard(tx, {
        kind: 'dibao',
        areaClass: 'rural',
        amountFen: 48_000,
        effectiveFrom: '2026-01-01',
        demo: false,
      }),
    );
    const dibao = listStandards(core.db).filter((s) => s.kind === 'dibao');
    expect(dibao).toEqual([
      { kind: 'dibao', areaClass: 'rural', amountFen: 48_000, effectiveFrom: '2026-01-01', demo: false },
    ]);
    expect(listStandards(core.db).some((s) => s.kind === 'destitute' && s.demo)).toBe(true);
    const after = incomeCheck(core.db, 'rural', 2, [100_000], '2026-03-01');
    expect(after).toMatchObject({ belowStandard: false, standard: { amountFen: 48_000, demo: false } });
    expect(after.message).not.toContain('演示数据');
    // Before the county value applies there is no dibao standard any more: the hint says so instead of guessing.
    expect(incomeCheck(core.db, 'rural', 2, [100_000], '2025-12-31')).toMatchObject({
      standard: null,
      belowStandard: null,
    });
    expect(core.db.prepare(`SELECT count(*) FROM audit_log WHERE action = 'standard.save'`).pluck().get()).toBe(1);
  });
});
