/**
 * A TCP proxy on loopback that counts every byte in both directions (HTTP headers, bodies, chunk framing — what
 * would cross a real link, before TLS). Both sides of a sync comparison go through the same proxy, so the byte
 * counts are measured by one method.
 */
import { createServer, connect, type Socket } from 'node:net';

export interface ByteCount {
  /** client → server */
  up: number;
  /** server → client */
  down: number;
  connections: number;
}

export interface CountingProxy {
  port: number;
  url: string;
  counts(): ByteCount;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<CountingProxy> {
  const count: ByteCount = { up: 0, down: 0, connections: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    count.connections++;
    const upstream = connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (chunk: Buffer) => {
      count.up += chunk.length;
    });
    upstream.on('data', (chunk: Buffer) => {
      count.down += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...count }),
    reset: () => {
      count.up = 0;
      count.down = 0;
      count.connections = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
