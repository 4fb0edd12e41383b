// Bundles the main-process side: browser host, Electron shell + preload, county server CLI.
// Dependencies stay external (they are installed in node_modules and packaged by electron-builder),
// except in the preload, which runs sandboxed and can require nothing but electron.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', legalComments: 'none' };
const esm = {
  ...common,
  format: 'esm',
  packages: 'external',
  // Bundled ESM still meets CommonJS-only code in our own tree now and then; give it a require.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

const jobs = [
  build({ ...esm, entryPoints: ['main/web-host.ts'], outfile: 'dist/main/web-host.mjs' }),
  build({ ...esm, entryPoints: ['main/electron/main.ts'], outfile: 'dist/main/electron-main.mjs', external: ['electron'] }),
  build({ ...common, minify: true, format: 'cjs', entryPoints: ['main/electron/preload.ts'], outfile: 'dist/main/preload.cjs', external: ['electron'] }),
  build({ ...esm, entryPoints: ['scripts/county.ts'], outfile: 'dist/server/county.mjs' }),
  // The county's report worker thread (server/services/reports/workers.ts looks for it next to county.mjs).
  build({ ...esm, entryPoints: ['server/services/reports/worker.ts'], outfile: 'dist/server/reports-worker.mjs' }),
  // Station process for the fault harness, and the report worker thread (its own read-only store connection).
  build({ ...esm, entryPoints: ['main/core/sync/worker.ts'], outfile: 'dist/main/sync-worker.mjs' }),
  build({ ...esm, entryPoints: ['main/core/reports/worker.ts'], outfile: 'dist/main/reports-worker.mjs' }),
  // The sync engine thread of the hosts (main/core/sync/thread): its own read-write store connection.
  build({ ...esm, entryPoints: ['main/core/sync/thread/worker.ts'], outfile: 'dist/main/sync-thread.mjs' }),
];
await Promise.all(jobs);
