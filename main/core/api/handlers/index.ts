import type { CallName } from '../../../../shared/ipc/contract';
import type { HandlerMap } from '../handlerTypes';
import { systemHandlers } from './system';
import { authHandlers } from './auth';
import { peopleHandlers } from './people';
import { caseHandlers } from './cases';
import { syncHandlers } from './sync';
import { reportHandlers } from './reports';

/**
 * Every call in the contract has exactly one handler: the type below fails to compile when one is missing,
 * so a call can't be added to the contract and forgotten here.
 */
export const handlers: HandlerMap<CallName> = {
  ...systemHandlers,
  ...authHandlers,
  ...peopleHandlers,
  ...caseHandlers,
  ...syncHandlers,
  ...reportHandlers,
};
