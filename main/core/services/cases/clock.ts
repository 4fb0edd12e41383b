/**
 * The machine wants "now" with the station's own UTC offset (its date part is the counter day, see ActionContext in
 * shared/domain/caseMachine.ts); the unit of work stamps rows in UTC. This converts one into the other, so a case
 * accepted at 07:30 Beijing time is dated that day and not the previous one.
 */
export function localIso(d: Date): string {
  const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:` +
    `${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${sign}${pad(off / 60)}:${pad(off % 60)}`
  );
}

/** The counter day (YYYY-MM-DD, local) of a UTC timestamp written by the unit of work. */
export const localDateOf = (isoUtc: string): string => localIso(new Date(isoUtc)).slice(0, 10);
