import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, gunzipSync, inflate, inflateSync, type InputType, type ZlibOptions } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { ServiceError } from '../services/errors';

const gunzipAsync = promisify<InputType, ZlibOptions, Buffer>(gunzip);
const inflateAsync = promisify<InputType, ZlibOptions, Buffer>(inflate);

/** Compressed bodies up to this size are inflated on the event loop: well under a millisecond, no thread hand-off. */
const INFLATE_ON_LOOP_BYTES = 32 * 1024;

/**
 * preParsing for the push route: reads the (compressed) body whole and inflates it in one go (SP-1). The generic
 * request decompression streams every 16 KiB chunk through the thread pool, a hand-off each; a push body is a few
 * KiB to a few hundred, so reading it whole is cheaper, and small ones need no thread at all. Limits as before: at
 * most `maxBytes` on the wire and after inflating (a gzip bomb is refused with 413 before it is inflated further).
 */
export function inflatePushBody(maxBytes: number) {
  return async (request: FastifyRequest, _reply: unknown, payload: NodeJS.ReadableStream): Promise<NodeJS.ReadableStream> => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (encoding === 'identity') return payload;
    if (encoding !== 'gzip' && encoding !== 'deflate') throw new ServiceError('UNSUPPORTED_ENCODING');
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of payload as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw new ServiceError('PAYLOAD_TOO_LARGE');
      chunks.push(chunk);
    }
    const compressed = Buffer.concat(chunks, received);
    const options = { maxOutputLength: maxBytes };
    let body: Buffer;
    try {
      if (compressed.length <= INFLATE_ON_LOOP_BYTES) body = (encoding === 'gzip' ? gunzipSync : inflateSync)(compressed, options);
      else body = await (encoding === 'gzip' ? gunzipAsync : inflateAsync)(compressed, options);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ServiceError('PAYLOAD_TOO_LARGE');
      throw new ServiceError('BAD_REQUEST', `请求体的 ${encoding} 压缩数据无效。`);
    }
    // Fastify compares the bytes it reads with Content-Length unless told how many arrived encoded.
    return Object.assign(Readable.from([body]), { receivedEncodedLength: received });
  };
}
