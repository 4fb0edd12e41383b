import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the county server that injects network faults per HTTP request (the fault harness) and
 * counts bytes on the wire (the sync benchmark). HTTP/1.1 without pipelining alternates request and response on a
 * connection, so "client bytes after a response" marks the start of the next request: each request gets its own
 * fault decision even on a kept-alive connection.
 */

export type Fault =
  /** Forward unchanged. */
  | { kind: 'pass' }
  /** Hold the request this long, then forward. */
  | { kind: 'delay'; ms: number }
  /** Close the connection before the server sees anything. */
  | { kind: 'drop' }
  /** Forward the request; when the server starts answering (it has committed), cut both sides: the reply is lost. */
  | { kind: 'cutAfterCommit' }
  /** Forward the first half of the first response chunk, then cut. */
  | { kind: 'cutMidResponse' }
  /** Forward, and send the same request bytes again on a second connection (the server processes it twice). */
  | { kind: 'duplicate' };

export type FaultPolicy = (requestIndex: number) => Fault;

export interface ProxyStats {
  requests: number;
  bytesUp: number;
  bytesDown: number;
  faults: Record<Fault['kind'], number>;
}

export interface TcpProxy {
  port: number;
  url: string;
  stats: ProxyStats;
  setPolicy(policy: FaultPolicy): void;
  /** Points the proxy at another upstream port (a restarted server). */
  setTarget(port: number): void;
  /** Cuts every open connection now. */
  cutAll(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let policy: FaultPolicy = () => ({ kind: 'pass' });
  let target = targetPort;
  const sockets = new Set<Socket>();
  const stats: ProxyStats = {
    requests: 0,
    bytesUp: 0,
    bytesDown: 0,
    faults: { pass: 0, delay: 0, drop: 0, cutAfterCommit: 0, cutMidResponse: 0, duplicate: 0 },
  };
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };

  const server: Server = createServer((client) => {
    track(client);
    const upstream = connect(target, targetHost);
    track(upstream);
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());

    let awaitingRequest = true;
    let fault: Fault = { kind: 'pass' };
    let requestBytes: Buffer[] = [];
    let firstResponseChunk = true;
    let held: Promise<void> = Promise.resolve();

    client.on('data', (chunk: Buffer) => {
      if (awaitingRequest) {
        awaitingRequest = false;
        firstResponseChunk = true;
        requestBytes = [];
        fault = policy(stats.requests++);
        stats.faults[fault.kind]++;
        if (fault.kind === 'delay') {
          const ms = fault.ms;
          held = new Promise((r) => setTimeout(r, ms));
        } else held = Promise.resolve();
      }
      if (fault.kind === 'drop') {
        kill();
        return;
      }
      requestBytes.push(chunk);
      stats.bytesUp += chunk.length;
      void held.then(() => {
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });

    upstream.on('data', (chunk: Buffer) => {
      const first = firstResponseChunk;
      firstResponseChunk = false;
      awaitingRequest = true;
      if (first && fault.kind === 'cutAfterCommit') {
        kill();
        return;
      }
      if (first && fault.kind === 'cutMidResponse') {
        const part = chunk.subarray(0, Math.floor(chunk.length / 2));
        stats.bytesDown += part.length;
        client.write(part, () => kill());
        return;
      }
      if (first && fault.kind === 'duplicate') replay(Buffer.concat(requestBytes));
      stats.bytesDown += chunk.length;
      client.write(chunk);
    });
  });

  /** The same request again on its own connection; its answer is thrown away. */
  function replay(bytes: Buffer): void {
    const side = connect(target, targetHost, () => side.write(bytes));
    track(side);
    side.on('data', () => undefined);
    setTimeout(() => side.destroy(), 10_000).unref();
  }

  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats,
    setPolicy: (p) => {
      policy = p;
    },
    setTarget: (p) => {
      target = p;
    },
    cutAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((res) => {
        for (const s of sockets) s.destroy();
        server.close(() => res());
      }),
  };
}
