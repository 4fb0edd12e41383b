import { pinyin } from 'pinyin-pro';

export interface NameKeys {
  pinyin: string;
  initials: string;
  /** The plain reading when the surname reading differs (曾 zeng / ceng, 单 shan / dan); null when the same. */
  pinyinAlt: string | null;
  initialsAlt: string | null;
}

const letters = (parts: string[]) =>
  parts
    .join('')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/**
 * Search keys for a Chinese name, computed once when the person is saved. Surname mode first, because a clerk
 * types the surname as it is read in a name (单雄信 → shanxiongxin, 欧阳修 → ouyangxiu); the everyday reading is kept
 * as an alternate so that a clerk who types it anyway still finds the person. ü is typed as v on Chinese keyboards.
 */
export function nameKeys(name: string): NameKeys {
  const clean = name.replace(/[·•]/g, '');
  const opts = { toneType: 'none', type: 'array', v: true } as const;
  const surnameFull = letters(pinyin(clean, { ...opts, surname: 'head' }));
  const surnameInitials = letters(pinyin(clean, { ...opts, surname: 'head', pattern: 'first' }));
  const plainFull = letters(pinyin(clean, opts));
  const plainInitials = letters(pinyin(clean, { ...opts, pattern: 'first' }));
  return {
    pinyin: surnameFull,
    initials: surnameInitials,
    pinyinAlt: plainFull !== surnameFull ? plainFull : null,
    initialsAlt: plainInitials !== surnameInitials ? plainInitials : null,
  };
}
