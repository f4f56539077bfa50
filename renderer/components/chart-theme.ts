// Chart colours from the current theme's CSS variables, and a hook that follows theme changes.
import { useSyncExternalStore } from 'react';

const subscribe = (fn: () => void) => {
  const mo = new MutationObserver(fn);
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => mo.disconnect();
};

export function useThemeName(): string {
  return useSyncExternalStore(subscribe, () => document.documentElement.dataset.theme ?? 'dark');
}

export interface ChartColors {
  bg: string;
  text: string;
  grid: string;
  accent: string;
  series: string[];
}

export function chartColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--panel', '#151a21'),
    text: v('--muted', '#8b95a5'),
    grid: v('--grid', '#222a35'),
    accent: v('--accent', '#4c9aff'),
    series: [v('--series-1', '#4c9aff'), v('--series-2', '#e5a442'), v('--series-3', '#b07cf7'), v('--series-4', '#3fc1c9'), v('--series-5', '#f06292')],
  };
}

export function baseOptions(c: ChartColors) {
  return {
    autoSize: true,
    layout: { background: { color: c.bg }, textColor: c.text, fontSize: 11, attributionLogo: false },
    grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
    rightPriceScale: { borderColor: c.grid },
    timeScale: { borderColor: c.grid },
  };
}
