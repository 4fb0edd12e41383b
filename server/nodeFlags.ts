/**
 * The Node.js flags the county server process runs with. One list, used by `npm run county` (package.json), by
 * tests/support/countyProcess.ts (tests and benchmarks start the county as it is deployed), and named in
 * docs/sync-protocol.md ("Running it"); tests/unit/server/nodeFlags.test.ts holds those places to it. V8 accepts
 * these only on the command line (not in NODE_OPTIONS), so they cannot be set from inside the process.
 *
 * --initial-old-space-size=128: V8 otherwise sizes the old generation from the county's small live heap (~40 MB)
 *   and counts the push bodies' buffers (~2 MB each, held until their batch's turn, SP-28) against it, so it ran a
 *   full collection every two or three pushes: 12–22 per 100k pushed case records, ~20% of the county's CPU.
 *   With 128 MB to start with: 4, and 0.45–0.9 s less county CPU per 100k records (bench/peers/sync.ts, alternated
 *   runs; 64 MB made no difference, and the young generation's size none either). The memory is used only as
 *   garbage accumulates; V8 still collects at that size.
 */
export const COUNTY_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128'];

/** The flags of COUNTY_NODE_FLAGS this process was not started with. */
export function missingNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return COUNTY_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}
