import type { CallInput, CallName, CallOutput, CallResult } from '../../../shared/ipc/contract';
import { bridge } from './bridge';

export const call = <N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> => bridge.invoke(name, input);

/** For places where failure is shown by the caller's catch: throws an Error carrying the Chinese message. */
export class CallFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export async function callOrThrow<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const r = await call(name, input);
  if (!r.ok) throw new CallFailed(r.code, r.message, r.details);
  return r.value;
}

export const onStationEvent = bridge.on.bind(bridge);
