/**
 * A jsonb array parameter assembled from JSON texts that are already bytes: the station's args as it sent them
 * (docs/sync-protocol.md SP-29). The county does not serialise the parsed values again, and over PostgreSQL it does
 * not even encode text: node-postgres sends a Buffer as a binary parameter, and jsonb's binary form is a version byte
 * (1) followed by the JSON text. Every element must be a JSON text the caller has parsed and checked.
 */
export class JsonbArray {
  constructor(readonly elements: readonly Uint8Array[]) {}

  private bytes(prefix: readonly number[]): Buffer {
    const parts: Uint8Array[] = [Buffer.from([...prefix, 0x5b])];
    this.elements.forEach((e, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(e);
    });
    parts.push(CLOSE);
    return Buffer.concat(parts);
  }

  /** node-postgres calls this for an object parameter: jsonb in binary format. */
  toPostgres(): Buffer {
    return this.bytes([JSONB_BINARY_VERSION]);
  }

  /** As text, for drivers without binary parameters (PGlite). */
  toText(): string {
    return this.bytes([]).toString('utf8');
  }
}

const JSONB_BINARY_VERSION = 1;
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** Parameters for a driver that takes text only. */
export function textParams(params: readonly unknown[]): unknown[] {
  return params.map((p) => (p instanceof JsonbArray ? p.toText() : p));
}
