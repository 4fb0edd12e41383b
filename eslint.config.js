// Lint, including the layer rules of ARCHITECTURE.md: the folder tells the layer, and this file says who may import whom.
// tests/unit/lint/boundaries.test.ts proves each rule fires on a violation (fixtures in tests/lint-fixtures/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTIN_NAMES = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'worker_threads', 'stream', 'url', 'events', 'util', 'zlib', 'buffer', 'process'];
const NODE_BUILTINS = ['node:*'];

// Bare built-in names are matched exactly (paths), so that a module of ours called ./events is not mistaken for one.
const restrict = (patterns, builtinsMessage) => ({
  'no-restricted-imports': [
    'error',
    builtinsMessage
      ? { patterns, paths: NODE_BUILTIN_NAMES.map((name) => ({ name, message: builtinsMessage })) }
      : { patterns },
  ],
});

export const layerRules = {
  shared: restrict([
    { group: NODE_BUILTINS, message: 'shared/ runs everywhere: no Node built-ins.' },
    { group: ['electron', 'electron/*'], message: 'shared/ runs everywhere: no electron.' },
    { group: ['react', 'react-dom', 'antd', 'zustand', 'echarts', 'better-sqlite3*', 'pg', 'fastify', '@fastify/*', 'pino'], message: 'shared/ holds domain code only: no UI, database or server libraries.' },
    { group: ['**/main/**', '**/renderer/**', '**/server/**', '../main', '../renderer', '../server'], message: 'shared/ must not import from main/, renderer/ or server/.' },
  ], 'shared/ runs everywhere: no Node built-ins.'),
  renderer: restrict([
    { group: NODE_BUILTINS, message: 'renderer/ is a sandboxed web page: no Node built-ins.' },
    { group: ['electron', 'electron/*'], message: 'renderer/ talks to main only through the preload bridge (shared/ipc/contract.ts).' },
    { group: ['**/main/**', '**/server/**'], message: 'renderer/ may import only shared/.' },
    { group: ['better-sqlite3*', 'pg', 'fastify', '@fastify/*', 'pino'], message: 'renderer/ may not use server or database libraries.' },
  ], 'renderer/ is a sandboxed web page: no Node built-ins.'),
  // Web UI pieces both web apps use (the station's renderer and the county console): browser code like renderer/.
  ui: restrict([
    { group: NODE_BUILTINS, message: 'ui/ runs in web pages: no Node built-ins.' },
    { group: ['electron', 'electron/*'], message: 'ui/ runs in web pages: no electron.' },
    { group: ['**/main/**', '**/server/**', '**/renderer/**'], message: 'ui/ may import only shared/ and UI libraries.' },
    { group: ['better-sqlite3*', 'pg', 'fastify', '@fastify/*', 'pino'], message: 'ui/ may not use server or database libraries.' },
  ], 'ui/ runs in web pages: no Node built-ins.'),
  stationCore: restrict([
    { group: ['electron', 'electron/*'], message: 'The station core (main/core) must run under plain Node: no electron. Put Electron code in main/electron/.' },
    { group: ['**/renderer/**', '**/server/**'], message: 'main/core may import only shared/ and its own modules.' },
  ]),
  electronShell: restrict([
    { group: ['**/renderer/**', '**/server/**'], message: 'main/electron may import only shared/ and main/core.' },
  ]),
  server: restrict([
    { group: ['electron', 'electron/*'], message: 'server/ runs on the county server: no electron.' },
    { group: ['**/main/**', '**/renderer/**'], message: 'server/ may import only shared/ and its own modules.' },
  ]),
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tests/output/**', 'bench/results/**', 'coverage/**', 'tests/lint-fixtures/**', 'server/console/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  { files: ['shared/**/*.ts'], rules: layerRules.shared },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...layerRules.renderer, 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['ui/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...layerRules.ui, 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  { files: ['main/core/**/*.ts', 'main/web-host.ts'], rules: layerRules.stationCore },
  { files: ['main/electron/**/*.ts'], rules: layerRules.electronShell },
  { files: ['server/**/*.{ts,tsx}'], rules: layerRules.server },
);
