/** Renders the transition tables of docs/case-state-machine.md from the machine, so the test can hold them equal. */
import {
  ACTION_ACTORS,
  ACTION_LABELS,
  ACTION_RULES,
  STATE_LABELS,
  TRANSITIONS,
  type WorkflowVariant,
} from '../../../shared/domain';

export function renderTransitionTable(variant: WorkflowVariant): string {
  const lines = ['| 当前状态 | 操作 | 下一状态 | 可办理 | 规则 |', '|---|---|---|---|---|'];
  for (const t of TRANSITIONS[variant]) {
    lines.push(
      `| \`${t.from}\` ${STATE_LABELS[t.from]} | \`${t.action}\` ${ACTION_LABELS[t.action]} | \`${t.to}\` ${STATE_LABELS[t.to]} | ${ACTION_ACTORS[t.action].join(', ')} | ${ACTION_RULES[t.action]} |`,
    );
  }
  return lines.join('\n');
}
