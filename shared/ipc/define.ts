import type { z } from 'zod';

/**
 * Who may make a call. `public`: anyone (sign-in screen, status). `setup`: anyone while the station has no staff
 * yet (first run), afterwards an admin. `signedIn`: any signed-in staff member. A role list: only those roles.
 */
export type Access = 'public' | 'setup' | 'signedIn' | readonly ('clerk' | 'reviewer' | 'admin')[];

export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  /** One line for readers of the contract and for the audit log of reads. */
  summary: string;
}

export const defineCall = <I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> => spec;
