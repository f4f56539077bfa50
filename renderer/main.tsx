// Renderer entry: applies the saved theme, mounts the dashboard and opens the contract connection.
// First import, so it runs first (it also has its own script tag): the theme, and the bridge socket with the first
// screen's queries (state/early-link.ts).
import './early.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { followRisk } from './state/risk.js';
import { startSession } from './state/session.js';
import { installThemeShortcut } from './state/theme.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/widgets.css';
import './styles/forms.css';
import './styles/overlays.css';
import './styles/tables.css';
import './styles/status.css';
import './styles/risk.css';

installThemeShortcut();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  startSession();
  followRisk();
}
