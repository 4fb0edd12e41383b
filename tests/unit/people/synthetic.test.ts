import { describe, expect, it } from 'vitest';
import { validateIdNumber } from '../../../shared/domain/idNumber';
import { loadPopulation, Population } from '../../../bench/synthetic';
import { searchPersons } from '../../../main/core/services/search';
import { nameKeys } from '../../../main/core/services/people/nameKeys';
import { useCores } from './helpers';

const newCore = useCores();

describe('synthetic population (benchmarks)', () => {
  it('is reproducible and realistic: valid ID numbers, households of 1-6 with one head', () => {
    const a = new Population(42);
    const b = new Population(42);
    const households = Array.from({ length: 300 }, () => a.household());
    const again = Array.from({ length: 300 }, () => b.household());
    expect(households.map((h) => h.members.map((m) => m.name + m.idNumber))).toEqual(
      again.map((h) => h.members.map((m) => m.name + m.idNumber)),
    );
    const sizes = new Set(households.map((h) => h.members.length));
    expect([...sizes].every((n) => n >= 1 && n <= 6)).toBe(true);
    expect(sizes.size).toBeGreaterThanOrEqual(5);
    for (const h of households) {
      expect(h.members.filter((m) => m.relation === 'self')).toHaveLength(1);
      for (const m of h.members) {
        const v = validateIdNumber(m.idNumber, '2026-12-31');
        expect(v.ok && v.birthDate === m.birthDate && v.sex === m.sex).toBe(true);
      }
    }
  });

  it('loads into a real store that the search then finds', () => {
    const core = newCore();
    const loaded = loadPopulation(core.db, { persons: 3000, seed: 7, sampleEvery: 100 });
    expect(loaded.persons).toBeGreaterThanOrEqual(3000);
    expect(core.db.prepare('SELECT count(*) FROM persons').pluck().get()).toBe(loaded.persons);
    expect(core.db.prepare('SELECT count(*) FROM household_members').pluck().get()).toBe(loaded.persons);
    for (const p of loaded.sample.slice(0, 10)) {
      const r = searchPersons(core.db, {
        query: nameKeys(p.name).initials,
        village: p.village,
        page: 1,
        pageSize: 200,
      });
      expect(r.items.map((i) => i.id)).toContain(p.id);
    }
  });
});
