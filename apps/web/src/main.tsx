import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { refresh } from './api/session';
import { App, preloadPageOf } from './App';
import './styles.css';

// Before the first render: the session refresh and the chunk of the page the URL opens, side by side.
const session = refresh();
preloadPageOf(window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App session={session} />
  </StrictMode>,
);
