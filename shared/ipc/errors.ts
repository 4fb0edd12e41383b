/**
 * Error codes every call may answer with. The renderer shows `message` (Chinese) to the clerk;
 * code is for programs and tests. Messages here are defaults: a use case may give a more precise one.
 */
export const ERROR_CODES = {
  INVALID_INPUT: '输入内容不符合要求，请检查后重试。',
  UNKNOWN_CALL: '不支持的操作。',
  UNAUTHENTICATED: '请先登录。',
  FORBIDDEN: '当前账号没有此操作的权限。',
  NOT_FOUND: '未找到对应的记录。',
  CONFLICT: '记录已被修改，请刷新后重试。',
  ILLEGAL_TRANSITION: '案件当前状态不允许此操作。',
  DUPLICATE: '记录已存在。',
  NEEDS_REASON: '需要填写原因后才能继续。',
  STORE_UNAVAILABLE: '本地数据库不可用，请联系管理员。',
  LOCKED: '工作站已锁定，请重新输入密码。',
  INTERNAL: '系统内部错误，操作未生效。',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type Ok<T> = { ok: true; value: T };
export type Fail = { ok: false; code: ErrorCode; message: string; details?: unknown };
export type Result<T> = Ok<T> | Fail;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message?: string, details?: unknown): Fail =>
  details === undefined
    ? { ok: false, code, message: message ?? ERROR_CODES[code] }
    : { ok: false, code, message: message ?? ERROR_CODES[code], details };

/** Thrown inside use cases to abort the transaction with a user-facing error. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERROR_CODES[code]);
    this.name = 'AppError';
  }
}
