import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The layer rules of ARCHITECTURE.md live in eslint.config.js. Each case lints a snippet as if it were a file in that
// layer, and proves the rule fires on a violation (and stays quiet on a legal import).
const eslint = new ESLint({ cwd: process.cwd() });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/src/pages/Bad.tsx', `import { readFileSync } from 'node:fs'; export const x = readFileSync;`],
    ['renderer/src/pages/Bad.tsx', `import fs from 'fs'; export const x = fs;`],
    ['renderer/src/pages/Bad.tsx', `import { ipcRenderer } from 'electron'; export const x = ipcRenderer;`],
    ['renderer/src/pages/Bad.tsx', `import { openStore } from '../../../main/core/db/open'; export const x = openStore;`],
    ['renderer/src/pages/Bad.tsx', `import Database from 'better-sqlite3-multiple-ciphers'; export const x = Database;`],
    ['shared/domain/bad.ts', `import { createHash } from 'node:crypto'; export const x = createHash;`],
    ['shared/domain/bad.ts', `import { app } from 'electron'; export const x = app;`],
    ['shared/domain/bad.ts', `import { dispatch } from '../../main/core/api/dispatch'; export const x = dispatch;`],
    ['shared/domain/bad.ts', `import React from 'react'; export const x = React;`],
    ['main/core/services/bad.ts', `import { safeStorage } from 'electron'; export const x = safeStorage;`],
    ['main/core/services/bad.ts', `import { App } from '../../../renderer/src/App'; export const x = App;`],
    ['server/bad.ts', `import { app } from 'electron'; export const x = app;`],
    ['server/bad.ts', `import { dispatch } from '../main/core/api/dispatch'; export const x = dispatch;`],
  ])('%s: refuses %s', async (file, code) => {
    expect((await violations(file, code)).length).toBeGreaterThan(0);
  });

  it.each([
    ['renderer/src/pages/Good.tsx', `import { contract } from '../../../shared/ipc/contract'; export const x = contract;`],
    ['shared/ipc/good.ts', `import { stationEvents } from './events'; export const x = stationEvents;`],
    ['main/core/services/good.ts', `import { createHash } from 'node:crypto'; export const x = createHash;`],
    ['main/electron/good.ts', `import { app } from 'electron'; import { StationCore } from '../core/station'; export const x = [app, StationCore];`],
  ])('%s: allows a legal import', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
