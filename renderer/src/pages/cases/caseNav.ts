import { create } from 'zustand';
import { useNav } from '../../stores/nav';

/** Which case the 案件 page shows; other pages (受理) open a case through here. */
interface CaseNavState {
  selectedId: string | null;
  select(id: string | null): void;
  /** Switches to the 案件 page with this case open. */
  openCase(id: string): void;
}

export const useCaseNav = create<CaseNavState>((set) => ({
  selectedId: null,
  select: (id) => set({ selectedId: id }),
  openCase(id) {
    set({ selectedId: id });
    useNav.getState().go('cases');
  },
}));
