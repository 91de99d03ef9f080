/** A NotificationResponse ('A') as the backend sent it. */
export interface Notification {
  channel: string;
  payload: string;
}

/**
 * Finds NotificationResponse messages in one client's reply stream. PGlite has one
 * session, so a NOTIFY that a client commits comes back (the session listens) in that
 * very client's replies, just before its ReadyForQuery, never to the client that ran
 * LISTEN. The wire server hands each one found here to the owner process instead.
 * Replies are a sequence of whole messages (type byte, length), cut anywhere into chunks:
 * only message headers and 'A' bodies are read, everything else is skipped by length.
 */
export class NotificationScanner {
  /** Bytes still to skip of the current message's body. */
  private skip = 0;
  /** A header (or an 'A' message) cut by a chunk boundary. */
  private partial: Buffer | null = null;

  constructor(private readonly found: (notification: Notification) => void) {}

  scan(chunk: Uint8Array): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.partial) {
      data = Buffer.concat([this.partial, data]);
      this.partial = null;
    }
    let at = 0;
    while (at < data.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      if (data.length - at < 5) {
        this.partial = Buffer.from(data.subarray(at));
        return;
      }
      const type = data[at]!;
      const length = data.readInt32BE(at + 1);
      if (type !== 0x41 /* 'A' */) {
        this.skip = length - 4;
        at += 5;
        continue;
      }
      if (data.length - at < 1 + length) {
        this.partial = Buffer.from(data.subarray(at));
        return;
      }
      // Int32 process id, then channel and payload as C strings.
      const body = data.subarray(at + 9, at + 1 + length);
      const end = body.indexOf(0);
      this.found({ channel: body.toString('utf8', 0, end), payload: body.toString('utf8', end + 1, body.length - 1) });
      at += 1 + length;
    }
  }
}
