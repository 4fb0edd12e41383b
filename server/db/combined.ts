import type { Queryable } from './types';

/** One data-modifying statement with its own $1, $2 … placeholders, ending in `RETURNING 1` so its rows can be counted. */
export interface WritePart {
  sql: string;
  params: readonly unknown[];
}

/**
 * Joins statements written with their own $1, $2 … into one parameter list: `add` renumbers a fragment's placeholders
 * after those already taken. Our statements use no dollar quoting, so every `$n` is a placeholder.
 */
export class ParamList {
  readonly values: unknown[] = [];

  add(sql: string, params: readonly unknown[]): string {
    const offset = this.values.length;
    this.values.push(...params);
    return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  }
}

/**
 * Runs several data-modifying statements as one (each becomes a WITH query): one round trip to the database instead of
 * one per statement. Answers how many rows each part returned, in order.
 *
 * PostgreSQL runs the parts on one snapshot and in no promised order, so none may read what another writes: combine
 * only writes to different tables that do not refer to each other ("Data-Modifying Statements in WITH").
 */
export async function runCombined(q: Queryable, parts: readonly WritePart[]): Promise<number[]> {
  if (parts.length === 0) return [];
  if (parts.length === 1) return [(await q.query(parts[0]!.sql, parts[0]!.params)).rows.length];
  const list = new ParamList();
  const ctes = parts.map((part, i) => `w${i} AS (${list.add(part.sql, part.params)})`);
  const counts = parts.map((_, i) => `(SELECT count(*) FROM w${i})::int AS n${i}`);
  const { rows } = await q.query<Record<string, number>>(`WITH ${ctes.join(',\n')}\nSELECT ${counts.join(', ')}`, list.values);
  return parts.map((_, i) => Number(rows[0]![`n${i}`]));
}
