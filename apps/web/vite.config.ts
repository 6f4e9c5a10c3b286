import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The console builds into dist/apps/web, which the console host (apps/web-host) serves on one origin.
// `vite` (nx run web:serve) proxies /v1 to a running host so development uses the same paths.
export default defineConfig({
  root,
  plugins: [react()],
  // The console's API types and route paths come from the shared HTTP contracts (browser-safe: zod only),
  // the same alias as tsconfig.base.json's paths.
  resolve: {
    alias: {
      '@huoju/contracts/http': fileURLToPath(new URL('../../libs/contracts/src/http/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 5173,
    proxy: { '/v1': process.env.CONSOLE_API ?? 'http://127.0.0.1:3000' },
  },
});
