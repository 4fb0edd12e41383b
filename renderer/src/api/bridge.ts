import type { CallInput, CallName, CallResult, StationBridge } from '../../../shared/ipc/contract';
import type { StationEventName } from '../../../shared/ipc/events';

declare global {
  interface Window {
    stationBridge?: StationBridge;
  }
}

const TOKEN_KEY = 'station.loopbackToken';

/** Browser host: the token arrives once in the URL fragment and is kept for reloads of this tab only. */
function loopbackToken(): string {
  const m = /(?:^#|&)token=([0-9a-f]{64})/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return m[1];
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function loopbackBridge(): StationBridge {
  const token = loopbackToken();
  let source: EventSource | null = null;
  return {
    host: 'browser',
    async invoke<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
      try {
        const res = await fetch(`/api/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
        return (await res.json()) as CallResult<N>;
      } catch {
        return { ok: false, code: 'STORE_UNAVAILABLE', message: '无法连接工作站服务，请确认程序仍在运行。' };
      }
    },
    on(event: StationEventName, listener: (payload: unknown) => void) {
      source ??= new EventSource(`/api/events?token=${token}`);
      const handler = (e: MessageEvent) => listener(JSON.parse(e.data as string));
      source.addEventListener(event, handler as EventListener);
      return () => source?.removeEventListener(event, handler as EventListener);
    },
  };
}

/** Electron's preload bridge when present, otherwise the same contract over loopback HTTP. */
export const bridge: StationBridge = window.stationBridge ?? loopbackBridge();
