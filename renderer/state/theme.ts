// Theme: dark by default, light on request; remembered in localStorage and applied as <html data-theme>; Alt+T toggles.
import { create } from 'zustand';

import { applyTheme, savedTheme, type Theme } from './theme-saved.js';

export { applyTheme, savedTheme, type Theme } from './theme-saved.js';

export const useTheme = create<{ theme: Theme; toggle(): void }>((set, get) => ({
  theme: savedTheme(),
  toggle: () => {
    const theme: Theme = get().theme === 'dark' ? 'light' : 'dark';
    applyTheme(theme);
    set({ theme });
  },
}));

/** Alt+T switches the theme from anywhere, also while a dialog is open. */
export function installThemeShortcut(): void {
  window.addEventListener('keydown', (e) => {
    if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyT') {
      e.preventDefault();
      useTheme.getState().toggle();
    }
  });
}
