import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_RULES, CASE_ACTIONS, CASE_STATES, STATE_LABELS, WORKFLOW_VARIANTS } from '../../../shared/domain';
import { renderTransitionTable } from './stateMachineDoc';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/case-state-machine.md', import.meta.url)), 'utf8');
const here = fileURLToPath(new URL('.', import.meta.url));
const TESTS = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => readFileSync(`${here}/${f}`, 'utf8'))
  .join('\n');

/** Table rows as trimmed cells, so column padding (a formatter's business) does not matter. */
function cells(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
}

function tableUnder(heading: string): string[][] {
  const start = DOC.indexOf(`\n${heading}\n`);
  if (start < 0) return [];
  const rest = DOC.slice(start + heading.length + 2).replace(/^\n+/, '');
  return cells(rest.slice(0, rest.search(/\n\n|$/)));
}

describe('docs/case-state-machine.md', () => {
  it.each(WORKFLOW_VARIANTS)('SM-2 carries the %s transition table exactly as the machine has it', (variant) => {
    expect(tableUnder(`### ${variant}`)).toEqual(cells(renderTransitionTable(variant)));
  });

  it('defines rules SM-1 … SM-n without gaps, and every rule an action cites is defined', () => {
    const defined = [...DOC.matchAll(/^- \*\*SM-(\d+)\*\*/gm)].map((m) => Number(m[1]));
    expect(defined).toEqual(defined.map((_, i) => i + 1));
    for (const a of CASE_ACTIONS) expect(defined).toContain(Number(ACTION_RULES[a].slice(3)));
  });

  it('every rule is cited by name in a test', () => {
    const defined = [...DOC.matchAll(/^- \*\*(SM-\d+)\*\*/gm)].map((m) => m[1]!);
    expect(defined.filter((id) => !new RegExp(`${id}\\b`).test(TESTS))).toEqual([]);
  });

  it('lists every state with its label and every action', () => {
    const states = cells(DOC).map((row) => row.slice(0, 2).join(' '));
    for (const s of CASE_STATES) expect(states).toContain(`\`${s}\` ${STATE_LABELS[s]}`);
    for (const a of CASE_ACTIONS) expect(DOC).toContain(`\`${a}\``);
  });
});
