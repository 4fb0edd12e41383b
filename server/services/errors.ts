import { SYNC_ERROR_CODES, type SyncErrorCode } from '../../shared/sync/protocol';

/** Codes only the admin side uses, beside the sync codes of shared/sync/protocol.ts. */
export const ADMIN_ERROR_CODES = {
  INVALID_INPUT: { status: 400, message: '输入内容不符合要求。' },
  DUPLICATE: { status: 409, message: '记录已存在。' },
  FORBIDDEN: { status: 403, message: '没有此操作的权限。' },
} as const;

export type ServiceErrorCode = SyncErrorCode | keyof typeof ADMIN_ERROR_CODES;

/**
 * A refusal a caller can act on: HTTP routes turn it into `{ code, message }` with the matching status; the console
 * (issue 5) can show `message` as it is. Messages are Chinese and never contain personal data.
 */
export class ServiceError extends Error {
  readonly status: number;
  constructor(
    readonly code: ServiceErrorCode,
    message?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    const known = code in SYNC_ERROR_CODES ? SYNC_ERROR_CODES[code as SyncErrorCode] : ADMIN_ERROR_CODES[code as keyof typeof ADMIN_ERROR_CODES];
    super(message ?? known.message);
    this.name = 'ServiceError';
    this.status = known.status;
  }
}

/** First zod issue as one Chinese line: 'amountFen：…'. */
export function describeIssue(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (!issue) return '输入内容不符合要求。';
  const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}：` : '';
  return `输入内容不符合要求（${where}${issue.message}）`;
}
