import { DatePicker, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { PERIOD_PRESET_LABELS, PERIOD_PRESETS, PRESET_PARTS, presetPeriod, type Period, type PeriodPreset } from '../../shared/reports/period';

export type PeriodChoice = { preset: PeriodPreset; year: number; part: number } | { preset: 'custom'; start: string; end: string };

/** The half-year we are in: where the statistics pages open. */
export function currentHalfYear(now = new Date()): PeriodChoice {
  return { preset: 'halfYear', year: now.getFullYear(), part: now.getMonth() < 6 ? 1 : 2 };
}

export function periodOf(c: PeriodChoice): Period {
  if (c.preset === 'custom') return { start: c.start, end: c.end };
  // Only the two dates: the calls' period schema is strict.
  const { start, end } = presetPeriod(c.preset, c.year, c.part);
  return { start, end };
}

const partLabel = (preset: PeriodPreset, part: number) =>
  preset === 'month' ? `${part}月` : preset === 'quarter' ? `第${'一二三四'[part - 1]}季度` : preset === 'halfYear' ? (part === 1 ? '上半年' : '下半年') : '全年';

/** 统计期间: a preset (month, quarter, half-year, year) of a year, or any date range. */
export function PeriodPicker({ value, onChange, presets = PERIOD_PRESETS }: { value: PeriodChoice; onChange(v: PeriodChoice): void; presets?: readonly PeriodPreset[] }) {
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 8 }, (_, i) => thisYear - i);
  const presetOptions = [...presets.map((p) => ({ value: p, label: PERIOD_PRESET_LABELS[p] })), ...(presets.length === PERIOD_PRESETS.length ? [{ value: 'custom', label: '自定义' }] : [])];
  return (
    <Space wrap>
      <Select
        aria-label="期间类型"
        style={{ width: 96 }}
        value={value.preset}
        options={presetOptions}
        onChange={(p: PeriodPreset | 'custom') => {
          if (p === 'custom') {
            const cur = periodOf(value);
            onChange({ preset: 'custom', start: cur.start, end: cur.end });
          } else onChange({ preset: p, year: value.preset === 'custom' ? Number(value.start.slice(0, 4)) : value.year, part: 1 });
        }}
        data-testid="period-preset"
      />
      {value.preset === 'custom' ? (
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(value.start), dayjs(value.end)]}
          onChange={(r) => r?.[0] && r[1] && onChange({ preset: 'custom', start: r[0].format('YYYY-MM-DD'), end: r[1].format('YYYY-MM-DD') })}
        />
      ) : (
        <>
          <Select aria-label="年份" style={{ width: 96 }} value={value.year} options={years.map((y) => ({ value: y, label: `${y}年` }))} onChange={(year: number) => onChange({ ...value, year })} data-testid="period-year" />
          {PRESET_PARTS[value.preset] > 1 && (
            <Select
              aria-label="期间"
              style={{ width: 110 }}
              value={value.part}
              options={Array.from({ length: PRESET_PARTS[value.preset] }, (_, i) => ({ value: i + 1, label: partLabel(value.preset as PeriodPreset, i + 1) }))}
              onChange={(part: number) => onChange({ ...value, part })}
              data-testid="period-part"
            />
          )}
        </>
      )}
    </Space>
  );
}
