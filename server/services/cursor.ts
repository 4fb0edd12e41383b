/**
 * Pull cursors (SP-31). Opaque to stations: 'c1.<epoch>.<seq>'. The epoch ties a cursor to one database, so a cursor
 * from a restored or different county database is recognised as foreign and answered with a reset.
 */
export interface Cursor {
  epoch: string;
  seq: number;
}

export function encodeCursor(cursor: Cursor): string {
  return `c1.${cursor.epoch}.${cursor.seq}`;
}

export function decodeCursor(text: string): Cursor | null {
  const m = /^c1\.([0-9a-f]{32})\.(0|[1-9][0-9]{0,15})$/.exec(text);
  if (!m) return null;
  const seq = Number(m[2]);
  return Number.isSafeInteger(seq) ? { epoch: m[1]!, seq } : null;
}
