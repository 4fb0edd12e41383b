import type { Actor } from '../services/audit';
import type { StationCore } from '../station';

/** One per connected window (Electron webContents or loopback token). Holds who is signed in there. */
export interface Session {
  staffId: string | null;
  lastActivityAt: number;
  locked: boolean;
}

export const newSession = (): Session => ({ staffId: null, lastActivityAt: Date.now(), locked: false });

export interface StaffIdentity {
  id: string;
  username: string;
  displayName: string;
  role: 'clerk' | 'reviewer' | 'admin';
}

export interface HandlerContext {
  core: StationCore;
  session: Session;
  /** The signed-in staff member, or null (first run, sign-in screen). */
  staff: StaffIdentity | null;
  actor: Actor;
}
