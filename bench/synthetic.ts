/**
 * Seeded, realistic synthetic population for benchmarks: surnames by national frequency, common given-name
 * characters by sex, valid ID numbers (shared/domain makeIdNumber), households of 1-6 with plausible relations and
 * ages, villages and communities of one township, urban/rural, some disability, income items.
 *
 * The loader writes straight into a store with the services' own INSERT statements and search keys (nameKeys), one
 * transaction per 10k persons, without audit entries or outbox mutations: this is fixture data for measuring reads,
 * not a use case. Same seed → same population.
 */
import { uuidv7 } from 'uuidv7';
import { makeIdNumber } from '../shared/domain/idNumber';
import type { Db } from '../main/core/db/open';
import { INSERT_PERSON_SQL } from '../main/core/services/persons';
import { INSERT_HOUSEHOLD_SQL, INSERT_MEMBER_SQL } from '../main/core/services/households';
import { nameKeys, type NameKeys } from '../main/core/services/people/nameKeys';

/** mulberry32: small, fast, good enough for test data, and reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(items: readonly (readonly [T, number])[]): (r: () => number) => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  const cumulative = items.map((_item, i) => items.slice(0, i + 1).reduce((s, [, x]) => s + x, 0) / total);
  return (r) => {
    const x = r();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]![0];
  };
}

// Share of the population in per-mille (2020 census order of magnitude); the tail includes polyphonic and compound surnames.
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 71],
  ['张', 68],
  ['刘', 53],
  ['陈', 45],
  ['杨', 31],
  ['黄', 22],
  ['赵', 21],
  ['吴', 20],
  ['周', 19],
  ['徐', 17],
  ['孙', 15],
  ['马', 14],
  ['朱', 13],
  ['胡', 13],
  ['郭', 12],
  ['何', 11],
  ['高', 11],
  ['林', 11],
  ['罗', 10],
  ['郑', 10],
  ['梁', 10],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 6],
  ['曹', 6],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 5],
  ['董', 5],
  ['袁', 5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 5],
  ['余', 5],
  ['杜', 5],
  ['叶', 4],
  ['程', 4],
  ['苏', 4],
  ['魏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['沈', 4],
  ['姚', 4],
  ['卢', 4],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 2],
  ['夏', 2],
  ['韦', 2],
  ['付', 2],
  ['方', 2],
  ['白', 2],
  ['邹', 2],
  ['孟', 2],
  ['熊', 2],
  ['秦', 2],
  ['邱', 2],
  ['江', 2],
  ['尹', 1],
  ['薛', 1],
  ['闫', 1],
  ['段', 1],
  ['雷', 1],
  ['侯', 1],
  ['龙', 1],
  ['史', 1],
  ['陶', 1],
  ['黎', 1],
  ['贺', 1],
  ['顾', 1],
  ['毛', 1],
  ['郝', 1],
  ['龚', 1],
  ['邵', 1],
  ['万', 1],
  ['钱', 1],
  ['严', 1],
  ['覃', 1],
  ['单', 0.5],
  ['解', 0.3],
  ['仇', 0.2],
  ['欧阳', 0.3],
  ['诸葛', 0.05],
  ['司马', 0.05],
];
const MALE_CHARS =
  '伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘';
const FEMALE_CHARS =
  '秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽';
/** Region codes of one (demo) county's townships area. */
const REGIONS = ['430121', '430124', '430181', '430102', '430105'];
const VILLAGE_STEMS = [
  '红星',
  '新华',
  '东风',
  '光明',
  '向阳',
  '和平',
  '胜利',
  '长岭',
  '石门',
  '桃源',
  '柳塘',
  '张家湾',
  '李家坪',
  '大塘',
  '双桥',
  '白沙',
  '青山',
  '金盆',
  '枫树',
  '杨柳',
];
const COMMUNITY_STEMS = ['城关', '人民路', '解放街', '文昌', '建设路', '新城'];

export interface SynthPerson {
  id: string;
  idNumber: string;
  name: string;
  birthDate: string;
  sex: 'male' | 'female';
  hukou: 'urban' | 'rural';
  disabilityCategory: string | null;
  disabilityGrade: number | null;
  workAbility: 'full' | 'partial' | 'none';
  health: 'healthy' | 'chronic' | 'serious';
  village: string;
  relation: string;
  householdId: string;
}

export interface SynthHousehold {
  id: string;
  headId: string;
  hukou: 'urban' | 'rural';
  village: string;
  address: string;
  members: SynthPerson[];
  incomeItems: { kind: string; monthlyFen: number }[];
}

const DISABILITY = ['vision', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'];

/** The villages (rural) and communities (urban) of the synthetic township. */
export const VILLAGES: readonly { name: string; hukou: 'urban' | 'rural' }[] = [
  ...VILLAGE_STEMS.map((s) => ({ name: `${s}村`, hukou: 'rural' as const })),
  ...COMMUNITY_STEMS.map((s) => ({ name: `${s}社区`, hukou: 'urban' as const })),
];

export class Population {
  private readonly r: () => number;
  private readonly surname = weighted(SURNAMES);
  private readonly size = weighted([
    [1, 15],
    [2, 25],
    [3, 24],
    [4, 18],
    [5, 11],
    [6, 7],
  ] as const);
  private readonly usedIds = new Set<string>();
  private readonly referenceYear: number;

  constructor(seed = 20261123, referenceYear = 2026) {
    this.r = rng(seed);
    this.referenceYear = referenceYear;
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  private pick<T>(list: readonly T[] | string): T {
    return list[Math.floor(this.r() * list.length)] as T;
  }

  private givenName(sex: 'male' | 'female'): string {
    const chars = sex === 'male' ? MALE_CHARS : FEMALE_CHARS;
    const first = this.pick<string>(chars);
    return this.r() < 0.8 ? first + this.pick<string>(chars) : first;
  }

  private idNumber(birthDate: string, sex: 'male' | 'female'): string {
    for (;;) {
      const seq = this.int(0, 499) * 2 + (sex === 'male' ? 1 : 0);
      const id = makeIdNumber(this.pick(REGIONS), birthDate, seq);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  private birthDate(age: number): string {
    const year = this.referenceYear - Math.max(0, Math.min(100, age)) - 1;
    const month = this.int(1, 12);
    const day = this.int(1, month === 2 ? 28 : 30);
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }

  private person(
    h: { id: string; hukou: 'urban' | 'rural'; village: string },
    surname: string,
    sex: 'male' | 'female',
    age: number,
    relation: string,
  ): SynthPerson {
    const birthDate = this.birthDate(age);
    const disabled = this.r() < 0.06;
    const grade = disabled ? this.int(1, 4) : null;
    return {
      id: uuidv7(),
      idNumber: this.idNumber(birthDate, sex),
      name: surname + this.givenName(sex),
      birthDate,
      sex,
      hukou: h.hukou,
      disabilityCategory: disabled ? this.pick(DISABILITY) : null,
      disabilityGrade: grade,
      workAbility: age < 16 || age > 75 || (grade !== null && grade <= 2) ? 'none' : age > 60 ? 'partial' : 'full',
      health: this.r() < 0.7 ? 'healthy' : this.r() < 0.8 ? 'chronic' : 'serious',
      village: h.village,
      relation,
      householdId: h.id,
    };
  }

  household(): SynthHousehold {
    const v =
      this.r() < 0.7
        ? this.pick(VILLAGES.filter((x) => x.hukou === 'rural'))
        : this.pick(VILLAGES.filter((x) => x.hukou === 'urban'));
    const h = { id: uuidv7(), hukou: v.hukou, village: v.name };
    const size = this.size(this.r);
    const surname = this.surname(this.r);
    const headSex = this.r() < 0.78 ? 'male' : 'female';
    const headAge = size === 1 ? this.int(55, 92) : this.int(28, 80);
    const members: SynthPerson[] = [this.person(h, surname, headSex, headAge, 'self')];
    const other = (s: 'male' | 'female') => (s === 'male' ? 'female' : 'male');
    if (size >= 2)
      members.push(this.person(h, this.surname(this.r), other(headSex), headAge + this.int(-5, 5), 'spouse'));
    while (members.length < size) {
      const slot = members.length;
      if (slot >= 4 && headAge < 60 && this.r() < 0.6) {
        members.push(
          this.person(
            h,
            this.pick(SURNAMES)[0],
            this.r() < 0.5 ? 'male' : 'female',
            headAge + this.int(22, 30),
            'parent',
          ),
        );
      } else if (headAge > 58 && this.r() < 0.4) {
        members.push(
          this.person(
            h,
            surname,
            this.r() < 0.5 ? 'male' : 'female',
            Math.max(0, headAge - this.int(45, 60)),
            'grandchild',
          ),
        );
      } else {
        members.push(
          this.person(
            h,
            surname,
            this.r() < 0.52 ? 'male' : 'female',
            Math.max(0, headAge - this.int(20, 34)),
            'child',
          ),
        );
      }
    }
    const incomeItems = [{ kind: v.hukou === 'rural' ? 'farming' : 'wages', monthlyFen: this.int(0, 600) * 1000 }];
    if (members.some((m) => this.referenceYear - Number(m.birthDate.slice(0, 4)) >= 60))
      incomeItems.push({ kind: 'pension', monthlyFen: this.int(150, 3000) * 100 });
    return {
      id: h.id,
      headId: members[0]!.id,
      hukou: h.hukou,
      village: h.village,
      address: `${h.village}${this.int(1, 12)}组${this.int(1, 80)}号`,
      members,
      incomeItems,
    };
  }
}

export interface LoadResult {
  persons: number;
  households: number;
  seconds: number;
  /** A sample of loaded persons (every k-th) for building benchmark queries. */
  sample: SynthPerson[];
}

/**
 * Loads at least `persons` persons (whole households) into the store. `sampleEvery` keeps every k-th person for the
 * caller's queries, so no second pass over the store is needed.
 */
export function loadPopulation(
  db: Db,
  opts: { persons: number; seed?: number; sampleEvery?: number; onProgress?: (n: number) => void },
): LoadResult {
  const started = performance.now();
  const pop = new Population(opts.seed);
  const insertPerson = db.prepare(INSERT_PERSON_SQL);
  const insertHousehold = db.prepare(INSERT_HOUSEHOLD_SQL);
  const insertMember = db.prepare(INSERT_MEMBER_SQL);
  const keyCache = new Map<string, NameKeys>();
  const keysOf = (name: string) => {
    let k = keyCache.get(name);
    if (!k) {
      k = nameKeys(name);
      keyCache.set(name, k);
    }
    return k;
  };
  const now = new Date().toISOString();
  const sample: SynthPerson[] = [];
  let persons = 0;
  let households = 0;
  const batch = db.transaction((limit: number) => {
    let inBatch = 0;
    while (inBatch < limit) {
      const h = pop.household();
      for (const p of h.members) {
        const k = keysOf(p.name);
        insertPerson.run({
          id: p.id,
          id_number: p.idNumber,
          name: p.name,
          name_pinyin: k.pinyin,
          name_initials: k.initials,
          name_pinyin_alt: k.pinyinAlt,
          name_initials_alt: k.initialsAlt,
          birth_date: p.birthDate,
          sex: p.sex,
          phone: null,
          hukou: p.hukou,
          disability_category: p.disabilityCategory,
          disability_grade: p.disabilityGrade,
          work_ability: p.workAbility,
          health: p.health,
          health_note: null,
          village: p.village,
          version: 1,
          created_at: now,
          updated_at: now,
        });
        if (opts.sampleEvery && (persons + inBatch) % opts.sampleEvery === 0) sample.push(p);
        inBatch++;
      }
      insertHousehold.run({
        id: h.id,
        head_id: h.headId,
        hukou: h.hukou,
        village: h.village,
        address: h.address,
        income_items: JSON.stringify(h.incomeItems),
        assets: JSON.stringify({ depositsFen: 0, vehicles: [], housing: [] }),
        monthly_income_fen: h.incomeItems.reduce((s, i) => s + i.monthlyFen, 0),
        member_count: h.members.length,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      for (const p of h.members) insertMember.run(p.id, h.id, p.relation);
      households++;
    }
    return inBatch;
  });
  // A big page cache for the bulk load only (index pages stay decrypted in memory); restored afterwards so that the
  // queries measured later run with the station's normal settings. No ANALYZE: stations never run it either.
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -262144');
  try {
    while (persons < opts.persons) {
      persons += batch(Math.min(10_000, opts.persons - persons));
      opts.onProgress?.(persons);
    }
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`);
  }
  return { persons, households, seconds: (performance.now() - started) / 1000, sample };
}
