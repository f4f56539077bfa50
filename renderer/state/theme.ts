// Theme: dark by default, light on request; remembered in localStorage and applied as <html data-theme>; Alt+T toggles.
import { create } from 'zustand';

export type Theme = 'dark' | 'light';
const KEY = 'mirrordesk.theme';

export function savedTheme(): Theme {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // storage unavailable (private mode): the theme still applies for this session
  }
}

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
