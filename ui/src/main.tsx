import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './app.css';
import { App } from './App';
import { useStore } from './store';

// Development builds expose the store for debugging and browser tests.
if (import.meta.env.DEV) (window as unknown as { patchbay: typeof useStore }).patchbay = useStore;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
