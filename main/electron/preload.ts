/**
 * Sandboxed preload: exposes exactly the contract's calls, nothing of Node or Electron. Bundled to CommonJS because
 * sandboxed preloads cannot load ES modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { isCallName } from '../../shared/ipc/contract';
import { STATION_EVENT_NAMES, type StationEventName } from '../../shared/ipc/events';

const CALL_CHANNEL_PREFIX = 'station:call:';
let subscribed = false;

contextBridge.exposeInMainWorld('stationBridge', {
  host: 'electron',
  invoke(name: unknown, input: unknown) {
    if (!isCallName(name)) return Promise.resolve({ ok: false, code: 'UNKNOWN_CALL', message: '不支持的操作。' });
    return ipcRenderer.invoke(`${CALL_CHANNEL_PREFIX}${name}`, input);
  },
  on(event: StationEventName, listener: (payload: unknown) => void) {
    if (!STATION_EVENT_NAMES.includes(event)) return () => undefined;
    if (!subscribed) {
      ipcRenderer.send('station:subscribe');
      subscribed = true;
    }
    const wrapped = (_e: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(`station:event:${event}`, wrapped);
    return () => ipcRenderer.off(`station:event:${event}`, wrapped);
  },
});
