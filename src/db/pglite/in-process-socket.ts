import { Duplex } from 'node:stream';

/**
 * One end of an in-memory connection: what a `pg` client (its `stream` option) and the
 * wire server each see as their socket. The embedded database lives in this very
 * process, so its own clients need not go through the kernel: each query over a local
 * socket cost two system calls and an event-loop wake-up per direction.
 *
 * It behaves as a socket does where the two users rely on it: bytes arrive in order and
 * asynchronously (never inside the writer's call stack, as over a real socket), ending
 * one side ends the other (no half-open connections), destroying one closes both.
 */
export class InProcessSocket extends Duplex {
  private peer: InProcessSocket | null = null;

  private constructor() {
    super({ allowHalfOpen: false });
  }

  /** Two connected ends: [the client's, the server's]. */
  static pair(): [InProcessSocket, InProcessSocket] {
    const client = new InProcessSocket();
    const server = new InProcessSocket();
    client.peer = server;
    server.peer = client;
    return [client, server];
  }

  override _read(): void {
    // Data is pushed by the peer as it writes.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    process.nextTick(() => {
      if (peer && !peer.destroyed) peer.push(chunk);
    });
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    process.nextTick(() => {
      if (peer && !peer.destroyed) peer.push(null);
    });
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = null;
    if (peer && !peer.destroyed) process.nextTick(() => peer.destroy());
    callback(error);
  }

  // What `pg` calls on a socket it was handed (it is already connected).
  connect(): this {
    process.nextTick(() => this.emit('connect'));
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}
