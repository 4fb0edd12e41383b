import { create } from 'zustand';
import type { AuthState, StaffInfo } from '../../../shared/ipc/calls/auth';
import type { Fail } from '../../../shared/ipc/errors';
import { call } from '../api/client';

interface SessionState {
  auth: AuthState | null;
  /** Set when the core cannot be reached (shown on the gate screen). */
  error: string | null;
  refresh(): Promise<void>;
  signIn(username: string, password: string): Promise<Fail | null>;
  setupAdmin(input: { username: string; displayName: string; password: string }): Promise<Fail | null>;
  unlock(password: string): Promise<Fail | null>;
  signOut(): Promise<void>;
}

const signedIn = (staff: StaffInfo, prev: AuthState | null): AuthState => ({
  setupNeeded: false,
  staff,
  locked: false,
  idleLockMinutes: prev?.idleLockMinutes ?? 10,
});

export const useSession = create<SessionState>((set, get) => ({
  auth: null,
  error: null,
  async refresh() {
    const r = await call('auth.me', {});
    if (r.ok) set({ auth: r.value, error: null });
    else set({ error: r.message });
  },
  async signIn(username, password) {
    const r = await call('auth.signIn', { username, password });
    if (!r.ok) return r;
    set({ auth: signedIn(r.value, get().auth) });
    void get().refresh();
    return null;
  },
  async setupAdmin(input) {
    const r = await call('auth.setupAdmin', input);
    if (!r.ok) return r;
    set({ auth: signedIn(r.value, get().auth) });
    void get().refresh();
    return null;
  },
  async unlock(password) {
    const r = await call('auth.unlock', { password });
    if (!r.ok) {
      void get().refresh();
      return r;
    }
    set({ auth: signedIn(r.value, get().auth) });
    return null;
  },
  async signOut() {
    await call('auth.signOut', {});
    await get().refresh();
  },
}));

export const useStaff = () => useSession((s) => s.auth?.staff ?? null);

const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'wheel', 'touchstart'] as const;
const PING_EVERY_MS = 30_000;
const POLL_EVERY_MS = 15_000;

/**
 * Keeps the session current: keyboard and mouse use count as activity (a throttled auth.ping, since reading a long
 * form makes no calls), and a poll of auth.me notices the core's idle lock so the lock screen appears by itself.
 */
export function startSessionUpdates(): () => void {
  const { refresh } = useSession.getState();
  void refresh();
  let lastPing = 0;
  const onActivity = () => {
    const auth = useSession.getState().auth;
    if (!auth?.staff || auth.locked) return;
    const now = Date.now();
    if (now - lastPing < PING_EVERY_MS) return;
    lastPing = now;
    void call('auth.ping', {}).then((r) => {
      if (!r.ok && (r.code === 'LOCKED' || r.code === 'UNAUTHENTICATED')) void refresh();
    });
  };
  for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { passive: true, capture: true });
  const timer = setInterval(() => void refresh(), POLL_EVERY_MS);
  return () => {
    for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity, { capture: true });
    clearInterval(timer);
  };
}
