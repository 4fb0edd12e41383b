import { ACTION_LABELS, STATE_LABELS, type CaseAction, type CaseState } from '../../../shared/domain/caseMachine';
import { formatYuan } from '../../../shared/domain/income';
import { itemByCode } from '../../../shared/domain/items';

/** Display helpers over the shared catalogue and state machine: one source for every label the console shows. */

export const itemName = (code: string | null | undefined, subKind?: string | null): string => {
  if (!code) return '—';
  const item = itemByCode(code);
  if (!item) return code;
  const sub = subKind ? item.subKinds.find((k) => k.code === subKind)?.name : undefined;
  return sub ? `${item.shortName}（${sub}）` : item.shortName;
};

export const stateLabel = (s: string | null | undefined): string => (s && s in STATE_LABELS ? STATE_LABELS[s as CaseState] : (s ?? '—'));
// 'create' is the station's registration of the application, not a machine action.
export const actionLabel = (a: string): string => (a === 'create' ? '登记申请' : a in ACTION_LABELS ? ACTION_LABELS[a as CaseAction] : a);
export const yuan = (fen: number | null | undefined): string => (fen === null || fen === undefined ? '—' : `${formatYuan(fen)} 元`);
export const dateTime = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('zh-CN', { hour12: false });
};
