import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { InProcessSocket } from './in-process-socket.js';
import { NotificationScanner, type Notification } from './notification-scanner.js';
import { SessionLock } from './session-lock.js';
import { StatementNames } from './statement-names.js';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;

type Log = (msg: string, extra?: Record<string, unknown>) => void;

/**
 * Serves one PGlite database over the PostgreSQL wire protocol to any number of
 * clients (the ORM's pool, the job engine's pool, the CLI), so that all of them use
 * the ordinary `pg` driver. PGlite has a single session: a client owns it from its
 * first message until PGlite reports the session idle (ReadyForQuery 'I') with nothing
 * more buffered from that client. So an extended-protocol sequence (Parse … Sync) and a
 * whole transaction always run without another client's statements in between.
 */
export class PgliteWireServer {
  private readonly lock = new SessionLock();
  private readonly sockets = new Set<Socket | InProcessSocket>();
  private clients = 0;
  private readonly notificationListeners = new Set<(notification: Notification) => void>();
  private server: Server | null = null;

  constructor(
    private readonly db: PGlite,
    private readonly log: Log = () => {},
  ) {}

  async listen(target: { path: string } | { host: string; port: number }): Promise<void> {
    const server = createServer((socket) => this.serve(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if ('path' in target) server.listen(target.path, resolve);
      else server.listen(target.port, target.host, resolve);
    });
  }

  /** A connection from this process that skips the kernel: a `pg` client's `stream`. */
  connectInProcess(): InProcessSocket {
    if (!this.server) throw new Error('the embedded database is closed');
    const [client, server] = InProcessSocket.pair();
    this.serve(server);
    return client;
  }

  /**
   * Calls `listener` with every notification the session sends, whichever client's
   * statement committed it (see NotificationScanner): LISTEN/NOTIFY for the owner process.
   */
  onNotification(listener: (notification: Notification) => void): void {
    this.notificationListeners.add(listener);
  }

  address(): ReturnType<Server['address']> {
    return this.server?.address() ?? null;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    // Wait for whoever still holds the session to be rolled back and released.
    const closer = Symbol('close');
    await this.lock.acquire(closer);
    this.lock.release(closer);
  }

  private serve(socket: Socket | InProcessSocket): void {
    const owner = Symbol('client');
    const names = new StatementNames(`c${++this.clients}_`);
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    let processing = false;
    let closed = false;
    this.sockets.add(socket);
    socket.setNoDelay(true);

    const onClose = async () => {
      if (closed) return;
      closed = true;
      this.sockets.delete(socket);
      if (!this.lock.isHeldBy(owner)) {
        this.lock.forget(owner);
        if (names.prepared.size === 0) return;
        await this.lock.acquire(owner);
      }
      try {
        // A client that vanished mid-transaction must not leave its work half-done, nor
        // its prepared statements behind in the one session (unless the server is closing).
        if (this.server === null || this.db.closed) return;
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => {});
        for (const name of names.prepared) await this.db.exec(`DEALLOCATE "${name}"`).catch(() => {});
      } finally {
        this.lock.release(owner);
      }
    };

    /** Splits off the next complete message, or null when more bytes are needed. */
    const nextMessage = (): Buffer | null => {
      if (!started) {
        if (buffer.length < 8) return null;
        const len = buffer.readInt32BE(0);
        if (buffer.length < len) return null;
        const msg = buffer.subarray(0, len);
        buffer = buffer.subarray(len);
        return msg;
      }
      if (buffer.length < 5) return null;
      const len = 1 + buffer.readInt32BE(1);
      if (buffer.length < len) return null;
      const msg = buffer.subarray(0, len);
      buffer = buffer.subarray(len);
      return msg;
    };

    // Replies are held (corked) while a run of this client's messages is processed, then
    // written at once: PGlite answers in many small pieces, and a write per piece cost
    // more than the queries' own bytes.
    let corked = false;
    // Handed on after the reply is out, never inside the session's turn.
    const scanner = new NotificationScanner((n) => {
      for (const listener of this.notificationListeners) setImmediate(listener, n);
    });
    // Made once per client, not per message.
    const replies = {
      // `data` is a view into PGlite's memory, reused by the next reply: a write that
      // is buffered (corked, or behind a slow reader) must hold a copy of its own.
      onRawData: (data: Uint8Array) => {
        scanner.scan(data);
        if (!socket.destroyed) socket.write(Buffer.from(data));
      },
    };
    const flush = () => {
      if (!corked) return;
      corked = false;
      socket.uncork();
    };

    const pump = async () => {
      if (processing) return;
      processing = true;
      try {
        let msg: Buffer | null;
        while (!closed && (msg = nextMessage()) !== null) {
          let isStartup = false;
          if (!started) {
            const code = msg.readInt32BE(4);
            if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
              socket.write('N');
              continue;
            }
            if (code === CANCEL_REQUEST) {
              socket.end();
              return;
            }
            started = true;
            isStartup = true;
          } else if (msg[0] === 0x58 /* 'X' Terminate */) {
            socket.end();
            return;
          }
          // Never sit on replies while waiting for another client's turn to end.
          if (!this.lock.isHeldBy(owner)) flush();
          await this.lock.acquire(owner);
          if (closed) {
            this.lock.release(owner);
            return;
          }
          if (!corked) {
            socket.cork();
            corked = true;
          }
          await this.db.execProtocolRawStream(names.rewrite(msg), replies);
          // Only a simple Query, a Sync or the startup end with ReadyForQuery; when that
          // leaves the session idle and nothing more from this client is queued, the
          // next client may have it.
          const atReady = isStartup || msg[0] === 0x51 /* 'Q' */ || msg[0] === 0x53; /* 'S' */
          if (atReady && !this.db.isInTransaction() && nextMessageLength() === null) this.lock.release(owner);
        }
      } catch (error) {
        this.log('embedded database connection failed', { err: String(error) });
        socket.destroy();
      } finally {
        flush();
        processing = false;
      }
    };

    const nextMessageLength = (): number | null => {
      if (buffer.length < 5) return null;
      const len = 1 + buffer.readInt32BE(1);
      return buffer.length >= len ? len : null;
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      void pump();
    });
    socket.on('error', () => void onClose());
    socket.on('close', () => void onClose());
  }
}
