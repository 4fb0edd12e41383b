import { describe, expect, it } from 'vitest';
import { classifyQuery } from '../../../main/core/services/search';
import { nameKeys } from '../../../main/core/services/people/nameKeys';

describe('name search keys', () => {
  it.each([
    ['张三丰', 'zhangsanfeng', 'zsf', null],
    ['单雄信', 'shanxiongxin', 'sxx', 'danxiongxin'],
    ['曾国藩', 'zengguofan', 'zgf', 'cengguofan'],
    ['欧阳修', 'ouyangxiu', 'oyx', null],
    ['吕布', 'lvbu', 'lb', null],
    ['买买提·艾力', 'maimaitiaili', 'mmtal', null],
  ])('%s → %s / %s (alternate %s)', (name, pinyin, initials, alt) => {
    const k = nameKeys(name);
    expect(k.pinyin).toBe(pinyin);
    expect(k.initials).toBe(initials);
    expect(k.pinyinAlt).toBe(alt);
  });

  it.each([
    ['', 'all', ''],
    ['  zsf ', 'pinyin', 'zsf'],
    ["Zhang San'feng", 'pinyin', 'zhangsanfeng'],
    ['lü', 'pinyin', 'lv'],
    ['１２３４', 'idFragment', '1234'],
    ['0119x', 'idFragment', '0119X'],
    ['张 三', 'name', '张三'],
    ['红星村', 'name', '红星村'],
  ])('classifies %j as %s', (raw, mode, text) => {
    expect(classifyQuery(raw)).toEqual({ mode, text });
  });
});
