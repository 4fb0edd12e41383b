import type { Rule } from 'antd/es/form';
import { PASSWORD_MIN_LENGTH } from '../../../../shared/ipc/calls/auth';

/** Client-side checks for staff forms; the same limits the core enforces (shared/ipc/calls/auth.ts). */
export const NEW_PASSWORD_RULES: Rule[] = [
  { required: true, message: '请输入密码' },
  { min: PASSWORD_MIN_LENGTH, message: `密码至少 ${PASSWORD_MIN_LENGTH} 位` },
];

export const DISPLAY_NAME_RULES: Rule[] = [{ required: true, min: 2, message: '请输入姓名（至少 2 个字）' }];
