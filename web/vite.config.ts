import react from '@vitejs/plugin-react';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

// The api the development server proxies to: `pnpm start` serves it on 8080.
const api = process.env.TELEMED_API ?? 'http://127.0.0.1:8080';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * Writes a Brotli and a gzip copy beside each script, style sheet and page of the build, compressed once at their
 * best, so the api sends a county PC the smallest bytes without compressing on every request.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'telemed-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async writeBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => /\.(js|css|html|svg|json)$/.test(f));
      await Promise.all(
        files.map(async (file) => {
          const path = join(outDir, file);
          const bytes = await readFile(path);
          await writeFile(
            `${path}.br`,
            await brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
          );
          await writeFile(`${path}.gz`, await gz(bytes, { level: 9 }));
        }),
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    proxy: {
      '/api': api,
      '/dicomweb': api,
      '/wado': api,
      '/socket.io': { target: api, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    // the contracts' schemas are built by TypeBox calls the app never reads: the bundle drops them
    rolldownOptions: { treeshake: { manualPureFunctions: ['Type'] } },
  },
  // module workers: the upload's worker loads its de-identification code only when an upload asks for it
  worker: { format: 'es' },
});
