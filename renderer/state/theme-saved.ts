// The saved theme (localStorage) and applying it as <html data-theme>, with no store: runs before the bundle.

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
