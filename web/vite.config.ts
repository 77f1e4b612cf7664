import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The api the development server proxies to: `pnpm start` serves it on 8080.
const api = process.env.TELEMED_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': api,
      '/dicomweb': api,
      '/wado': api,
      '/socket.io': { target: api, ws: true },
    },
  },
  build: { outDir: 'dist', sourcemap: true },
});
