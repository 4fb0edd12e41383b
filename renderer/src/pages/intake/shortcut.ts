import { create } from 'zustand';
import { useNav } from '../../stores/nav';

/** Bumped by the new-intake shortcut; the intake page starts over whenever it changes. */
export const useIntakeReset = create<{ generation: number; bump(): void }>((set) => ({
  generation: 0,
  bump: () => set((s) => ({ generation: s.generation + 1 })),
}));

export function startNewIntake(): void {
  useIntakeReset.getState().bump();
  useNav.getState().go('intake');
}

/**
 * F2 or Alt+N anywhere in the app: a new intake. Registered once when this module loads (the 受理 page imports it),
 * so the shortcut works from every page without touching the layout.
 */
let installed = false;
export function installIntakeShortcut(): void {
  if (installed) return;
  installed = true;
  window.addEventListener('keydown', (e) => {
    if (e.key === 'F2' || (e.altKey && (e.key === 'n' || e.key === 'N'))) {
      e.preventDefault();
      startNewIntake();
    }
  });
}
