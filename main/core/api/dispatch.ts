import { contract, isCallName, type CallName } from '../../../shared/ipc/contract';
import { AppError, fail, ok, type Result } from '../../../shared/ipc/errors';
import type { Access } from '../../../shared/ipc/define';
import { SYSTEM_ACTOR } from '../services/audit';
import { applyIdleLock } from '../services/auth';
import type { StationCore } from '../station';
import type { HandlerContext, Session, StaffIdentity } from './context';
import { handlers } from './handlers';

function loadStaff(core: StationCore, session: Session): StaffIdentity | null {
  if (!session.staffId) return null;
  const row = core.db
    .prepare('SELECT id, username, display_name, role FROM staff WHERE id = ? AND active = 1')
    .get(session.staffId) as { id: string; username: string; display_name: string; role: StaffIdentity['role'] } | undefined;
  return row ? { id: row.id, username: row.username, displayName: row.display_name, role: row.role } : null;
}

function staffCount(core: StationCore): number {
  return (core.db.prepare('SELECT count(*) AS n FROM staff WHERE active = 1').get() as { n: number }).n;
}

function checkAccess(access: Access, core: StationCore, session: Session, staff: StaffIdentity | null): Result<null> {
  if (access === 'public') return ok(null);
  if (access === 'setup') {
    if (staffCount(core) === 0) return ok(null);
    if (!staff) return fail('UNAUTHENTICATED');
    if (session.locked) return fail('LOCKED');
    return staff.role === 'admin' ? ok(null) : fail('FORBIDDEN');
  }
  if (!staff) return fail('UNAUTHENTICATED');
  if (session.locked) return fail('LOCKED');
  if (access === 'signedIn') return ok(null);
  return access.includes(staff.role) ? ok(null) : fail('FORBIDDEN');
}

/** Maps zod issues to something the form can show next to the right field. */
function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * The single entry point of the station core for every transport. The caller is untrusted: the name and the payload
 * are checked against the contract before anything runs, and any failure comes back as { ok: false } with nothing
 * changed (use cases write in one transaction, which an exception rolls back).
 */
export async function dispatch(core: StationCore, session: Session, name: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isCallName(name)) return fail('UNKNOWN_CALL');
  const spec = contract[name];
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    const details = issuesOf(parsed.error);
    core.log.info({ call: name, code: 'INVALID_INPUT', fields: details.map((d) => d.path) }, 'call refused');
    return fail('INVALID_INPUT', details[0]?.message ?? undefined, details);
  }
  if (core.closed) return fail('STORE_UNAVAILABLE');
  const staff = loadStaff(core, session);
  if (staff) applyIdleLock(core.db, session);
  const access = checkAccess(spec.access, core, session, staff);
  if (!access.ok) return access;
  // Public calls (status polling, auth.me) are not activity: only what the clerk does postpones the idle lock.
  if (staff && spec.access !== 'public') session.lastActivityAt = Date.now();
  const ctx: HandlerContext = {
    core,
    session,
    staff,
    actor: staff ? { id: staff.id, name: staff.displayName } : SYSTEM_ACTOR,
  };
  try {
    const handler = handlers[name as CallName] as (i: unknown, c: HandlerContext) => unknown;
    const value = await handler(parsed.data, ctx);
    return ok(value);
  } catch (err) {
    if (err instanceof AppError) {
      core.log.info({ call: name, code: err.code }, 'call refused');
      return fail(err.code, err.message, err.details);
    }
    core.log.error({ call: name, err: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'call failed');
    return fail('INTERNAL');
  }
}
