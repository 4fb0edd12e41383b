import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  brotliDecompress,
  brotliDecompressSync,
  gunzip,
  gunzipSync,
  gzip,
  gzipSync,
  inflate,
  inflateSync,
  type BrotliOptions,
  type InputType,
  type ZlibOptions,
} from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../services/errors';

const gunzipAsync = promisify<InputType, ZlibOptions, Buffer>(gunzip);
const inflateAsync = promisify<InputType, ZlibOptions, Buffer>(inflate);
const brotliAsync = promisify<InputType, BrotliOptions, Buffer>(brotliDecompress);

type Encoding = 'gzip' | 'deflate' | 'br';
type InflateOptions = { maxOutputLength: number; chunkSize?: number };
const SYNC: Record<Encoding, (b: Buffer, o: InflateOptions) => Buffer> = { gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync };
const ASYNC: Record<Encoding, (b: Buffer, o: InflateOptions) => Promise<Buffer>> = { gzip: gunzipAsync, deflate: inflateAsync, br: brotliAsync };

/** Compressed bodies up to this size are inflated on the event loop: well under a millisecond, no thread hand-off. */
const INFLATE_ON_LOOP_BYTES = 32 * 1024;

const EXPECTED_EXPANSION = 64;
const MIN_INFLATE_CHUNK = 64 * 1024;
const MAX_INFLATE_CHUNK = 4 * 1024 * 1024;

/**
 * Output buffer for inflating `compressedBytes` off the event loop. zlib inflates into buffers of `chunkSize` (16 KiB
 * by default), and off the loop every buffer is one round trip to the thread pool, copied together at the end: a 1.8
 * MB push of 1,000 case records (33 KB as brotli) made 113 round trips and spent ~10 ms of CPU inflating, ~1 s per
 * 100k records; in one buffer the same took ~2.5 ms (issue 7). The guess is the body's size at the station's usual
 * compression (frames of case records shrink ~55×), bounded so a wrong guess costs a few more buffers or a few MB
 * held until the body is done with. Bodies inflated on the loop keep zlib's 16 KiB: there a buffer costs no hand-off,
 * and a large one per small push cost more (allocation and garbage collection) than it saved (bench:countyLoad).
 */
function inflateChunkSize(compressedBytes: number, maxBytes: number): number {
  return Math.max(MIN_INFLATE_CHUNK, Math.min(maxBytes, MAX_INFLATE_CHUNK, compressedBytes * EXPECTED_EXPANSION));
}

/**
 * preParsing for the push route: reads the (compressed) body whole, waits to be admitted (`admit`), and inflates it
 * in one go (SP-1): gzip, deflate, or brotli, which the station's framed pushes use (SP-20). The generic request
 * decompression streams every 16 KiB chunk through the thread pool, a hand-off each; a push body is a few KiB to a
 * few hundred, so reading it whole is cheaper, and small ones need no thread at all. Limits: at most `maxBytes` on
 * the wire and after inflating (a compression bomb is refused with 413 before it is inflated further).
 */
export function inflatePushBody(maxBytes: number, admit: (request: FastifyRequest) => Promise<void> = async () => undefined) {
  return async (request: FastifyRequest, _reply: unknown, payload: NodeJS.ReadableStream): Promise<NodeJS.ReadableStream> => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (encoding !== 'identity' && !Object.hasOwn(SYNC, encoding)) throw new ServiceError('UNSUPPORTED_ENCODING');
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of payload as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw new ServiceError('PAYLOAD_TOO_LARGE');
      chunks.push(chunk);
    }
    const compressed = Buffer.concat(chunks, received);
    // The whole body is in: from here on the push only needs CPU (see pushGate.ts).
    await admit(request);
    if (encoding === 'identity') return Object.assign(Readable.from([compressed]), { receivedEncodedLength: received });
    let body: Buffer;
    try {
      if (compressed.length <= INFLATE_ON_LOOP_BYTES) body = SYNC[encoding as Encoding](compressed, { maxOutputLength: maxBytes });
      else body = await ASYNC[encoding as Encoding](compressed, { maxOutputLength: maxBytes, chunkSize: inflateChunkSize(compressed.length, maxBytes) });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ServiceError('PAYLOAD_TOO_LARGE');
      throw new ServiceError('BAD_REQUEST', `请求体的 ${encoding} 压缩数据无效。`);
    }
    // Fastify compares the bytes it reads with Content-Length unless told how many arrived encoded.
    return Object.assign(Readable.from([body]), { receivedEncodedLength: received });
  };
}

const gzipAsync = promisify<InputType, ZlibOptions, Buffer>(gzip);

/** Whether Accept-Encoding allows gzip (a `gzip` or `*` token without q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [token, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (token === 'gzip' || token === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * The push answer, gzipped in one go when the station accepts it and it is worth it (SP-1): small answers on the
 * event loop, large ones (a batch of 1,000 results) on the thread pool, never chunk by chunk through a stream.
 */
export async function pushAnswer(request: FastifyRequest, reply: FastifyReply, value: unknown): Promise<string | Buffer> {
  const json = JSON.stringify(value);
  void reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (json.length < 1024 || !acceptsGzip(request.headers['accept-encoding'])) return json;
  void reply.header('content-encoding', 'gzip');
  return json.length <= INFLATE_ON_LOOP_BYTES * 2 ? gzipSync(json) : await gzipAsync(json, {});
}
