import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Tauri expects a fixed dev port; outside Tauri, `/api` is proxied to the
// `patchbay-api-http` dev server (PATCHBAY_API, default http://127.0.0.1:1421)
// so the page can run against the real core in a plain browser.
const api = process.env.PATCHBAY_API ?? 'http://127.0.0.1:1421';

export default defineConfig({
  plugins: [react()],
  base: './',
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: process.env.TAURI_DEV_HOST || '127.0.0.1',
    watch: { ignored: ['**/src-tauri/**'] },
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
});
