import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A plain aligned table for humans (CJK characters count as two columns). */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

/**
 * The machine-readable result: ONE JSON object on the last line of output (CI and the checks read it), and
 * the same object in bench/results/NAME.json.
 */
export function emitResult(name: string, result: Record<string, unknown>): void {
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify({ bench: name, at: new Date().toISOString(), node: process.version, ...result });
  writeFileSync(join(dir, `${name}.json`), json + '\n');
  console.log(json);
}

export const hasFlag = (flag: string): boolean => process.argv.includes(flag);
