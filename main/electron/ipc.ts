import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CALL_NAMES } from '../../shared/ipc/contract';
import { STATION_EVENT_NAMES } from '../../shared/ipc/events';
import { fail } from '../../shared/ipc/errors';
import { dispatch } from '../core/api/dispatch';
import { newSession, type Session } from '../core/api/context';
import type { StationCore } from '../core/station';
import { APP_ORIGIN } from './protocol';

export const CALL_CHANNEL_PREFIX = 'station:call:';

/**
 * One ipcMain handler per contract call. The sender must be our own top frame loaded from app://station; anything
 * else (a navigated-away frame, an injected iframe) is refused before the payload is even looked at.
 */
export function registerIpc(core: StationCore, isTrustedSender: (wc: WebContents) => boolean): () => void {
  const sessions = new WeakMap<WebContents, Session>();
  const sessionOf = (wc: WebContents) => {
    let s = sessions.get(wc);
    if (!s) sessions.set(wc, (s = newSession()));
    return s;
  };
  const validSender = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    return !!frame && frame === event.sender.mainFrame && frame.url.startsWith(`${APP_ORIGIN}/`) && isTrustedSender(event.sender);
  };
  for (const name of CALL_NAMES) {
    ipcMain.handle(`${CALL_CHANNEL_PREFIX}${name}`, async (event, input: unknown) => {
      if (!validSender(event)) {
        core.log.warn({ call: name }, 'ipc call from untrusted frame refused');
        return fail('FORBIDDEN', '非法的调用来源');
      }
      return dispatch(core, sessionOf(event.sender), name, input);
    });
  }
  const offs = STATION_EVENT_NAMES.map((name) => core.on(name, (payload) => broadcast(name, payload)));
  const targets = new Set<WebContents>();
  function broadcast(name: string, payload: unknown) {
    for (const wc of targets) if (!wc.isDestroyed()) wc.send(`station:event:${name}`, payload);
  }
  ipcMain.on('station:subscribe', (event) => {
    if (event.senderFrame?.url.startsWith(`${APP_ORIGIN}/`) && isTrustedSender(event.sender)) targets.add(event.sender);
  });
  return () => {
    offs.forEach((off) => off());
    for (const name of CALL_NAMES) ipcMain.removeHandler(`${CALL_CHANNEL_PREFIX}${name}`);
  };
}
