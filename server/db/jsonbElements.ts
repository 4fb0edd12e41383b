/**
 * A `jsonb[]` parameter assembled from JSON texts that are already bytes: the records' `data` as the stations sent
 * them (docs/sync-protocol.md SP-29). The county does not serialise the parsed values again, and over PostgreSQL it
 * does not even encode text: node-postgres sends a Buffer as a binary parameter, and this is the binary array format
 * with jsonb elements (each a version byte, 1, followed by the JSON text). Every element must be a JSON text the caller
 * has parsed or checked.
 *
 * Why an array of elements rather than one jsonb array of the mutations' args: PostgreSQL 15 hands the elements of
 * `jsonb_array_elements` over through a tuplestore and then copies each record's `data` out of its args again, so every
 * record was copied four or five times before the INSERT. `unnest` of a jsonb[] in the select list hands out the
 * elements as they are: a 100k-record push took about a sixth less of PostgreSQL's CPU (issue 7).
 */
export class JsonbElements {
  constructor(readonly elements: readonly Uint8Array[]) {}

  /** node-postgres calls this for an object parameter: jsonb[] in binary format. */
  toPostgres(): Buffer {
    const head = Buffer.alloc(20);
    head.writeInt32BE(1, 0); // dimensions
    head.writeInt32BE(0, 4); // no NULL element
    head.writeInt32BE(JSONB_OID, 8);
    head.writeInt32BE(this.elements.length, 12);
    head.writeInt32BE(1, 16); // lower bound
    const parts: Uint8Array[] = [head];
    for (const e of this.elements) {
      const prefix = Buffer.alloc(5);
      prefix.writeInt32BE(e.length + 1, 0);
      prefix[4] = JSONB_BINARY_VERSION;
      parts.push(prefix, e);
    }
    return Buffer.concat(parts);
  }

  /** As an array literal, for drivers without binary parameters (PGlite): each element quoted, `"` and `\` escaped. */
  toText(): string {
    const quoted = this.elements.map((e) => `"${Buffer.from(e.buffer, e.byteOffset, e.length).toString('utf8').replace(/["\\]/g, '\\$&')}"`);
    return `{${quoted.join(',')}}`;
  }
}

const JSONB_OID = 3802;
const JSONB_BINARY_VERSION = 1;

/** Parameters for a driver that takes text only. */
export function textParams(params: readonly unknown[]): unknown[] {
  return params.map((p) => (p instanceof JsonbElements ? p.toText() : p));
}
