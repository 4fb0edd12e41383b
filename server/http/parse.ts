import type { z } from 'zod';
import { PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { describeIssue, ServiceError } from '../services/errors';

/** Validates a request part; a refusal names the first offending field (BAD_REQUEST / INVALID_INPUT). */
export function parseOr<S extends z.ZodType>(schema: S, value: unknown, code: 'BAD_REQUEST' | 'INVALID_INPUT' = 'BAD_REQUEST'): z.infer<S> {
  const res = schema.safeParse(value);
  if (!res.success) throw new ServiceError(code, describeIssue(res.error.issues));
  return res.data;
}

/** SP-2: checked before the rest of the body, so an old or new station is told plainly what is wrong. */
export function requireProtocolVersion(body: unknown): void {
  const version = (body as { protocolVersion?: unknown } | null)?.protocolVersion;
  if (version !== PROTOCOL_VERSION) {
    throw new ServiceError('UNSUPPORTED_PROTOCOL', undefined, { supported: [PROTOCOL_VERSION] });
  }
}
