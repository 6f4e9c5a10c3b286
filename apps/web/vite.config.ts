import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { routeTablePlugin } from './route-table.plugin';

const root = fileURLToPath(new URL('.', import.meta.url));

// The console builds into dist/apps/web, which the console host (apps/web-host) serves on one origin.
// `vite` (nx run web:serve) proxies /v1 to a running host so development uses the same paths.
export default defineConfig({
  root,
  // The console's API types come from the shared HTTP contracts (tsconfig paths); at run time it needs only the
  // route tables' methods and paths, which the plugin takes from the same contracts at build time.
  plugins: [routeTablePlugin(), react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 5173,
    proxy: { '/v1': process.env.CONSOLE_API ?? 'http://127.0.0.1:3000' },
  },
});
