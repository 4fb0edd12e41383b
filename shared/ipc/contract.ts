import '../zodLocale';
import type { z } from 'zod';
import type { Result } from './errors';
import { systemCalls } from './calls/system';
import { authCalls } from './calls/auth';
import { peopleCalls } from './calls/people';
import { caseCalls } from './calls/cases';
import { syncCalls } from './calls/sync';
import { reportCalls } from './calls/reports';
import { stationEvents } from './events';

/**
 * THE contract between the renderer and the station core. Every transport (Electron IPC, loopback HTTP for the
 * browser host) and every handler derives from this object; adding a call means adding it here, nowhere else.
 * Feature areas keep their calls in ./calls/<area>.ts and are spread in below.
 */
export const contract = {
  ...systemCalls,
  ...authCalls,
  ...peopleCalls,
  ...caseCalls,
  ...syncCalls,
  ...reportCalls,
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
export type ParsedInput<N extends CallName> = z.output<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>;
export type CallResult<N extends CallName> = Result<CallOutput<N>>;

export const CALL_NAMES = Object.keys(contract) as CallName[];
export const isCallName = (name: unknown): name is CallName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);

export { stationEvents };
export type { StationEventName, StationEventPayload } from './events';

/** What the preload exposes and what the loopback client implements: the renderer sees only this. */
export interface StationBridge {
  invoke<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>;
  on(event: import('./events').StationEventName, listener: (payload: unknown) => void): () => void;
  readonly host: 'electron' | 'browser';
}
