// electron-vite build: main (ESM, dependencies and native modules external), preload (one CJS file), renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

/**
 * The early entry (renderer/early.ts: theme, early link) is its own chunk with its own script tag ahead of the bundle:
 * the browser runs it as soon as it is fetched, while the bundle is still being parsed, so the socket opens (and the
 * bridge answers the first screen's queries) tens of milliseconds earlier. The bundle imports the same chunk (one
 * module instance).
 */
function earlyLinkScript(): Plugin {
  return {
    name: 'mirrordesk-early-link-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const early = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'early');
        const bundleTag = html.indexOf('<script type="module"');
        if (!early || bundleTag < 0) throw new Error('the renderer build has no early-link chunk or no bundle script tag');
        // Right before the bundle's tag (module scripts run in document order), after the CSP meta tag.
        return `${html.slice(0, bundleTag)}<script type="module" crossorigin src="./${early.fileName}"></script>\n    ${html.slice(bundleTag)}`;
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(root, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react(), earlyLinkScript()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      target: 'es2023',
      // Minified: the dashboard's first render is mostly bundle download and parse (test/bench/dashboard-bench.ts).
      minify: true,
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html'), early: resolve(root, 'renderer/early.ts') } },
    },
  },
});
