// Renderer entry: applies the saved theme, mounts the dashboard and opens the contract connection.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { followRisk } from './state/risk.js';
import { startSession } from './state/session.js';
import { applyTheme, installThemeShortcut, savedTheme } from './state/theme.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/widgets.css';
import './styles/forms.css';
import './styles/overlays.css';
import './styles/tables.css';
import './styles/status.css';
import './styles/risk.css';

applyTheme(savedTheme());
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
