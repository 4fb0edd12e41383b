import { AppError } from '../../../../shared/ipc/errors';
import { authState, saveIdleLockMinutes, signIn, signOut, unlock } from '../../services/auth';
import {
  createStaff,
  hashPassword,
  listStaff,
  setStaffActive,
  setStaffPassword,
  staffCount,
} from '../../services/staff';
import { write } from '../../services/unitOfWork';
import type { HandlerMap } from '../handlerTypes';

type AuthCalls =
  | 'auth.me'
  | 'auth.setupAdmin'
  | 'auth.signIn'
  | 'auth.signOut'
  | 'auth.unlock'
  | 'auth.ping'
  | 'auth.savePolicy'
  | 'staff.list'
  | 'staff.create'
  | 'staff.setActive'
  | 'staff.resetPassword';

export const authHandlers: HandlerMap<AuthCalls> = {
  'auth.me': (_input, { core, session }) => authState(core.db, session),
  'auth.setupAdmin': async (input, { core, session }) => {
    if (staffCount(core.db) > 0) throw new AppError('CONFLICT', '首次设置已完成，请使用已有账号登录');
    const passwordHash = await hashPassword(input.password);
    const admin = write(core.db, { id: null, name: input.displayName }, (tx) => {
      // Re-checked inside the write lock: two first-run windows racing must not both create an admin.
      if (staffCount(tx.db) > 0) throw new AppError('CONFLICT', '首次设置已完成，请使用已有账号登录');
      return createStaff(tx, { ...input, role: 'admin', passwordHash });
    });
    session.staffId = admin.id;
    session.locked = false;
    session.lastActivityAt = Date.now();
    return admin;
  },
  'auth.signIn': (input, { core, session }) => signIn(core.db, session, input.username, input.password),
  'auth.signOut': (_input, { core, session }) => {
    signOut(core.db, session);
    return null;
  },
  'auth.unlock': (input, { core, session }) => unlock(core.db, session, input.password),
  'auth.ping': () => null,
  'auth.savePolicy': (input, { core, actor }) => ({
    idleLockMinutes: saveIdleLockMinutes(core.db, actor, input.idleLockMinutes),
  }),
  'staff.list': (_input, { core }) => listStaff(core.db),
  'staff.create': async (input, { core, actor }) => {
    const passwordHash = await hashPassword(input.password);
    return write(core.db, actor, (tx) => createStaff(tx, { ...input, passwordHash }));
  },
  'staff.setActive': (input, { core, actor }) =>
    write(core.db, actor, (tx) => setStaffActive(tx, input.id, input.active)),
  'staff.resetPassword': async (input, { core, actor }) => {
    const passwordHash = await hashPassword(input.password);
    return write(core.db, actor, (tx) => setStaffPassword(tx, input.id, passwordHash));
  },
};
