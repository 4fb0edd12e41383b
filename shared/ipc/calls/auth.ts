import { z } from 'zod';
import { defineCall } from '../define';
import { StaffRoleSchema } from '../../domain/roles';

export const UsernameSchema = z
  .string({ error: '请输入用户名' })
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3 至 32 位字母、数字或 _ . -');
export const DisplayNameSchema = z
  .string({ error: '请输入姓名' })
  .trim()
  .min(2, '姓名至少 2 个字')
  .max(20, '姓名不超过 20 个字');
/** Shared with the forms' client-side rules (renderer/src/pages/auth/staffRules.ts). */
export const PASSWORD_MIN_LENGTH = 8;
/** Not trimmed: a password is exactly what was typed. */
export const NewPasswordSchema = z
  .string({ error: '请输入密码' })
  .min(PASSWORD_MIN_LENGTH, `密码至少 ${PASSWORD_MIN_LENGTH} 位`)
  .max(128, '密码不超过 128 位');
const PasswordSchema = z.string({ error: '请输入密码' }).min(1, '请输入密码').max(128, '密码不超过 128 位');

export const StaffSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: StaffRoleSchema,
  active: z.boolean(),
  createdAt: z.string(),
});
export type StaffInfo = z.infer<typeof StaffSchema>;

export const AuthStateSchema = z.object({
  /** No staff account exists yet: the first-run screen creates the admin. */
  setupNeeded: z.boolean(),
  staff: StaffSchema.nullable(),
  locked: z.boolean(),
  idleLockMinutes: z.number().int(),
});
export type AuthState = z.infer<typeof AuthStateSchema>;

export const NewStaffSchema = z
  .object({ username: UsernameSchema, displayName: DisplayNameSchema, password: NewPasswordSchema })
  .strict();

export const authCalls = {
  'auth.me': defineCall({
    summary: '当前登录状态（是否需要首次设置、当前人员、是否已锁定）',
    input: z.object({}).strict(),
    output: AuthStateSchema,
    access: 'public',
  }),
  'auth.setupAdmin': defineCall({
    summary: '首次运行：创建系统管理员并登录',
    input: NewStaffSchema,
    output: StaffSchema,
    access: 'setup',
  }),
  'auth.signIn': defineCall({
    summary: '登录',
    input: z.object({ username: UsernameSchema, password: PasswordSchema }).strict(),
    output: StaffSchema,
    access: 'public',
  }),
  'auth.signOut': defineCall({
    summary: '退出登录',
    input: z.object({}).strict(),
    output: z.null(),
    access: 'public',
  }),
  'auth.unlock': defineCall({
    summary: '空闲锁定后重新输入密码解锁',
    input: z.object({ password: PasswordSchema }).strict(),
    output: StaffSchema,
    access: 'public',
  }),
  'auth.ping': defineCall({
    summary: '记录操作活动（键盘、鼠标），推迟空闲锁定',
    input: z.object({}).strict(),
    output: z.null(),
    access: 'signedIn',
  }),
  'auth.savePolicy': defineCall({
    summary: '设置空闲锁定时间（分钟）',
    input: z
      .object({
        idleLockMinutes: z
          .number({ error: '请输入分钟数' })
          .int('请输入整数分钟')
          .min(1, '至少 1 分钟')
          .max(120, '不超过 120 分钟'),
      })
      .strict(),
    output: z.object({ idleLockMinutes: z.number().int() }),
    access: ['admin'],
  }),
  'staff.list': defineCall({
    summary: '工作人员列表',
    input: z.object({}).strict(),
    output: z.array(StaffSchema),
    access: ['admin'],
  }),
  'staff.create': defineCall({
    summary: '新增工作人员（受理员、审核人或管理员）',
    input: NewStaffSchema.extend({ role: StaffRoleSchema }).strict(),
    output: StaffSchema,
    access: ['admin'],
  }),
  'staff.setActive': defineCall({
    summary: '停用或启用工作人员账号',
    input: z.object({ id: z.string().min(1).max(64), active: z.boolean() }).strict(),
    output: StaffSchema,
    access: ['admin'],
  }),
  'staff.resetPassword': defineCall({
    summary: '重置工作人员密码',
    input: z.object({ id: z.string().min(1).max(64), password: NewPasswordSchema }).strict(),
    output: StaffSchema,
    access: ['admin'],
  }),
};
