/**
 * CPU seconds used by processes, read from /proc (Linux), so a load bench can say where the machine's cores went:
 * the county server, PostgreSQL (postmaster and every backend) and the load generator itself.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function stat(pid: number): { ppid: number; user: number; sys: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), user: Number(f[11]) / TICKS_PER_SECOND, sys: Number(f[12]) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

export interface CpuSeconds {
  user: number;
  sys: number;
}

/** CPU seconds (user, system) of `pid` plus those of its live direct children. 0 where /proc is unavailable. */
export function treeCpuSeconds(pid: number): CpuSeconds {
  const own = stat(pid);
  const total = { user: own?.user ?? 0, sys: own?.sys ?? 0 };
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return total;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const s = stat(Number(e));
    if (s && s.ppid === pid) {
      total.user += s.user;
      total.sys += s.sys;
    }
  }
  return total;
}

/** The postmaster's pid from its data directory, or null. */
export function postmasterPid(pgdata: string): number | null {
  try {
    const pid = Number(readFileSync(`${pgdata}/postmaster.pid`, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
