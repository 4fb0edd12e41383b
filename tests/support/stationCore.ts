import { envOrFileKeyProvider } from '../../main/core/db/key';
import { openStationCore, type StationCore } from '../../main/core/station';
import { dispatch } from '../../main/core/api/dispatch';
import { newSession, type Session } from '../../main/core/api/context';
import type { CallInput, CallName, CallResult } from '../../shared/ipc/contract';
import pino from 'pino';

/** A real station core on a real encrypted SQLite file in `dir`, driven through the same dispatch as every transport. */
export function openTestCore(dir: string, keyHex?: string): StationCore {
  const env = keyHex ? { STATION_DB_KEY: keyHex } : {};
  return openStationCore({ dataDir: dir, keys: envOrFileKeyProvider(dir, env), host: 'browser', log: pino({ level: 'silent' }) });
}

export interface TestClient {
  session: Session;
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>;
  /** For tests of the untrusted boundary: any name, any payload. */
  raw(name: unknown, input: unknown): Promise<{ ok: boolean; code?: string; message?: string; value?: unknown }>;
}

export function clientFor(core: StationCore, session: Session = newSession()): TestClient {
  return {
    session,
    call: (name, input) => dispatch(core, session, name, input) as never,
    raw: (name, input) => dispatch(core, session, name, input) as never,
  };
}
