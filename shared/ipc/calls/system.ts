import { z } from 'zod';
import { defineCall } from '../define';

export const StationSettingsSchema = z.object({
  townshipName: z
    .string()
    .trim()
    .min(2, '乡镇名称至少 2 个字')
    .max(40, '乡镇名称不超过 40 个字')
    .regex(/^[\u4e00-\u9fa5A-Za-z0-9（）()·\- ]+$/, '乡镇名称只能包含汉字、字母、数字和括号'),
  stationCode: z
    .string()
    .trim()
    .regex(/^[0-9]{6,12}$/, '站点编码为 6 至 12 位数字（前 6 位为行政区划代码）'),
});
export type StationSettings = z.infer<typeof StationSettingsSchema>;

export const StationStatusSchema = z.object({
  configured: z.boolean(),
  townshipName: z.string().nullable(),
  stationCode: z.string().nullable(),
  /** Mutations written locally and not yet confirmed by the county. */
  pendingOutbox: z.number().int().nonnegative(),
  connection: z.enum(['online', 'offline', 'unknown']),
  lastSyncAt: z.string().nullable(),
  schemaVersion: z.number().int(),
  host: z.enum(['electron', 'browser']),
});
export type StationStatus = z.infer<typeof StationStatusSchema>;

export const systemCalls = {
  'status.get': defineCall({
    summary: '读取工作站状态（站点名称、连接状态、待同步条数）',
    input: z.object({}).strict(),
    output: StationStatusSchema,
    access: 'public',
  }),
  'settings.get': defineCall({
    summary: '读取站点设置',
    input: z.object({}).strict(),
    output: StationSettingsSchema.nullable(),
    access: 'public',
  }),
  'settings.save': defineCall({
    summary: '保存乡镇名称与站点编码',
    input: StationSettingsSchema.strict(),
    output: StationSettingsSchema,
    access: 'setup',
  }),
};
