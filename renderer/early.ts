// The early entry: its own small script that runs before the bundle is parsed (see electron.vite.config.ts). It
// applies the saved theme before anything paints and opens the bridge socket with the first screen's queries.
import { applyTheme, savedTheme } from './state/theme-saved.js';
import './state/early-link.js';

applyTheme(savedTheme());
