import { create } from 'zustand';
import type { StationStatus } from '../../../shared/ipc/calls/system';
import { call, onStationEvent } from '../api/client';

interface StatusState {
  status: StationStatus | null;
  error: string | null;
  refresh(): Promise<void>;
}

export const useStatus = create<StatusState>((set) => ({
  status: null,
  error: null,
  async refresh() {
    const r = await call('status.get', {});
    if (r.ok) set({ status: r.value, error: null });
    else set({ error: r.message });
  },
}));

/** Keeps the status bar current: on every core event and, as a fallback for missed events, every 10 s. */
export function startStatusUpdates(): () => void {
  const refresh = () => void useStatus.getState().refresh();
  refresh();
  const off = onStationEvent('status.changed', refresh);
  const timer = setInterval(refresh, 10_000);
  return () => {
    off();
    clearInterval(timer);
  };
}
