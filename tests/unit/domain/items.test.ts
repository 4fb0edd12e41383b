import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ITEM_CATALOGUE,
  ITEM_CODES,
  ItemCatalogueSchema,
  itemByCode,
  ItemDefinitionSchema,
  newCaseSnapshot,
  rolesAtLeast,
  ROLE_LABELS,
  STAFF_ROLES,
  type ItemDefinition,
} from '../../../shared/domain';

const DOMAIN_MD = fileURLToPath(new URL('../../../../shared/domain/DOMAIN.md', import.meta.url));

describe('item catalogue', () => {
  it('holds exactly the items of DOMAIN.md’s table, in its order, under its identifiers', () => {
    const table = readFileSync(DOMAIN_MD, 'utf8');
    const identifiers = [...table.matchAll(/^\|[^|]+\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(identifiers).toHaveLength(13);
    expect(ITEM_CATALOGUE.map((i) => i.code)).toEqual(identifiers);
    expect([...ITEM_CODES]).toEqual(identifiers);
  });

  it('has the sub-kinds the domain names', () => {
    const kinds = (code: string) => itemByCode(code)!.subKinds.map((k) => k.name);
    expect(kinds('dibao')).toEqual(['城市低保', '农村低保']);
    expect(kinds('destituteSupport')).toEqual(['集中供养', '分散供养']);
    expect(kinds('temporaryAssistance')).toEqual(['急难型', '支出型']);
  });

  it('puts each item on the workflow the procedure needs', () => {
    const variant = Object.fromEntries(ITEM_CATALOGUE.map((i) => [i.code, i.variant]));
    expect(variant).toMatchObject({
      dibao: 'meansTested',
      nearDibao: 'meansTested',
      destituteSupport: 'meansTested',
      temporaryAssistance: 'temporary',
      orphanAllowance: 'periodicSubsidy',
      homeCareService: 'service',
      funeralFeeWaiver: 'oneOffSubsidy',
    });
    const dibao = itemByCode('dibao')!;
    expect(dibao).toMatchObject({
      noticeDays: 7,
      decisionWorkingDays: 30,
      approval: 'county',
      payment: 'periodic',
      recheckMonths: 12,
    });
    expect(itemByCode('temporaryAssistance')).toMatchObject({
      approval: 'townshipUpToLimit',
      noticeDays: 0,
      oncePerCausePerYear: true,
      payment: 'oneOff',
    });
  });

  it('asks every means-tested item for the signed check authorisation and the honesty commitment (双承诺)', () => {
    for (const item of ITEM_CATALOGUE.filter((i) => i.variant === 'meansTested')) {
      const required = item.materials.filter((m) => m.required).map((m) => m.key);
      expect(required).toEqual(expect.arrayContaining(['applicationForm', 'checkAuthorisation', 'honestyCommitment']));
    }
  });

  it('does not publish children’s cases (no public notice for child items)', () => {
    for (const code of ['orphanAllowance', 'unsupportedChildAllowance', 'childInDifficulty'])
      expect(itemByCode(code)!.noticeDays).toBe(0);
  });

  it('every item can open a case', () => {
    for (const item of ITEM_CATALOGUE) {
      expect(newCaseSnapshot(item.code, item.subKinds[0]?.code).state).toBe('submitted');
    }
  });

  it('a county catalogue supplied as JSON round-trips through the schema', () => {
    const json = JSON.parse(JSON.stringify(ITEM_CATALOGUE)) as unknown;
    expect(ItemCatalogueSchema.parse(json)).toEqual(ITEM_CATALOGUE);
    expect(itemByCode('dibao', [])).toBeUndefined();
    expect(itemByCode('nonsense')).toBeUndefined();
  });

  const base = (): ItemDefinition => structuredClone(itemByCode('disabilityLivingSubsidy')!) as ItemDefinition;
  const problems = (item: unknown) => ItemDefinitionSchema.safeParse(item).error?.issues.map((i) => i.message) ?? [];

  it.each<[string, (i: ItemDefinition) => void, RegExp]>([
    ['a notice on a workflow without one', (i) => (i.noticeDays = 7), /公示天数应为0/],
    ['township-up-to-limit outside temporary assistance', (i) => (i.approval = 'townshipUpToLimit'), /限额内乡镇审批/],
    ['a one-off payment on a periodic workflow', (i) => (i.payment = 'oneOff'), /发放方式与流程类别不符/],
    ['no re-check for a long-term benefit', (i) => (i.recheckMonths = 0), /必须设定复核间隔/],
    ['duplicate material keys', (i) => i.materials.push({ ...i.materials[0]! }), /材料代码重复/],
    ['once-per-cause without causes', (i) => (i.oncePerCausePerYear = true), /需要列出事由/],
    ['an unknown workflow', (i) => ((i as { variant: string }).variant = 'express'), /./],
  ])('refuses %s', (_name, mutate, message) => {
    const item = base();
    mutate(item);
    expect(problems(item).join(' ')).toMatch(message);
  });

  it('refuses a catalogue with the same code twice', () => {
    const r = ItemCatalogueSchema.safeParse([...ITEM_CATALOGUE, ITEM_CATALOGUE[0]]);
    expect(r.error?.issues[0]?.message).toBe('事项代码重复：dibao');
  });
});

describe('roles', () => {
  it('ranks station roles and labels every actor in Chinese', () => {
    expect(STAFF_ROLES).toEqual(['clerk', 'reviewer', 'admin']);
    expect(rolesAtLeast('reviewer')).toEqual(['reviewer', 'admin']);
    expect(rolesAtLeast('clerk')).toEqual(['clerk', 'reviewer', 'admin']);
    expect(ROLE_LABELS).toEqual({
      clerk: '窗口受理员',
      reviewer: '乡镇审核人',
      admin: '系统管理员',
      county: '县民政局',
    });
  });
});
