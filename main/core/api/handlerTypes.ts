import type { CallName, CallOutput, ParsedInput } from '../../../shared/ipc/contract';
import type { HandlerContext } from './context';

export type Handler<N extends CallName> = (
  input: ParsedInput<N>,
  ctx: HandlerContext,
) => CallOutput<N> | Promise<CallOutput<N>>;

export type HandlerMap<K extends CallName> = { [N in K]: Handler<N> };
