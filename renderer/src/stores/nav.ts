import { create } from 'zustand';

export const PAGES = [
  { key: 'intake', label: '受理' },
  { key: 'cases', label: '案件' },
  { key: 'people', label: '人员与家庭' },
  { key: 'stats', label: '统计' },
  { key: 'sync', label: '同步' },
  { key: 'settings', label: '设置' },
] as const;
export type PageKey = (typeof PAGES)[number]['key'];

const fromHash = (): PageKey => {
  const key = window.location.hash.replace(/^#\/?/, '').split(/[?&/]/)[0];
  return (PAGES.find((p) => p.key === key)?.key ?? 'intake') as PageKey;
};

interface NavState {
  page: PageKey;
  go(page: PageKey): void;
}

export const useNav = create<NavState>((set) => ({
  page: window.location.hash.includes('token=') ? 'intake' : fromHash(),
  go(page) {
    window.location.hash = `/${page}`;
    set({ page });
  },
}));

window.addEventListener('hashchange', () => {
  if (!window.location.hash.includes('token=')) useNav.setState({ page: fromHash() });
});
