import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTY_NODE_FLAGS, missingNodeFlags } from '../../../server/nodeFlags';

// server/nodeFlags.ts is the one list of the county process's Node flags; every place that starts the county or tells
// an operator how to start it must carry all of them (tests/support/countyProcess.ts imports the list itself).

const ROOT = resolve(import.meta.dirname, '../../..');

describe('the county process flags', () => {
  it('npm run county starts the server with every flag', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const launch = pkg.scripts.county!.split('&&').map((s) => s.trim()).find((s) => s.includes('dist/server/county.mjs'));
    expect(launch).toBeDefined();
    const flags = launch!.slice(0, launch!.indexOf('dist/server/county.mjs')).split(/\s+/);
    expect(missingNodeFlags(flags)).toEqual([]);
  });

  it('the operator documentation names every flag in its start command', () => {
    const doc = readFileSync(resolve(ROOT, 'docs/sync-protocol.md'), 'utf8');
    const running = doc.slice(doc.indexOf('**Running it.**'));
    const command = /`node ([^`]*)dist\/server\/county\.mjs start/.exec(running);
    expect(command).not.toBeNull();
    expect(missingNodeFlags(command![1]!.split(/\s+/))).toEqual([]);
  });

  it('answers which flags a process lacks', () => {
    expect(COUNTY_NODE_FLAGS.length).toBeGreaterThan(0);
    expect(missingNodeFlags([...COUNTY_NODE_FLAGS, '--import', 'tsx'])).toEqual([]);
    expect(missingNodeFlags(['--import', 'tsx'])).toEqual([...COUNTY_NODE_FLAGS]);
  });
});
