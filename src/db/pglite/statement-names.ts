/**
 * PGlite has one session, shared by every client of the wire server, but a PostgreSQL
 * client expects its prepared statements to be its own: two `pg` connections that each
 * prepare "s1" must not collide, and one must not find the other's. So statement names
 * in a client's messages are given that client's prefix on the way in, as if each
 * client had a session of its own. Portals need no such care: they end with their
 * transaction, and a client owns the session for a whole transaction.
 */
export class StatementNames {
  /** The prefixed names this client prepared, to deallocate when it goes. */
  readonly prepared = new Set<string>();

  /** The prefix's bytes, made once: every Parse and Bind of a named statement is rewritten. */
  private readonly prefixBytes: Buffer;

  constructor(private readonly prefix: string) {
    this.prefixBytes = Buffer.from(prefix);
  }

  /** The message with its statement name (if any) prefixed; the same buffer when it has none. */
  rewrite(msg: Buffer): Buffer {
    switch (msg[0]) {
      case 0x50: {
        // Parse: name\0 query\0 …
        const renamed = this.renameAt(msg, 5);
        if (renamed !== msg) this.prepared.add(this.prefixed(cstringAt(msg, 5)));
        return renamed;
      }
      case 0x42: // Bind: portal\0 statement\0 …
        return this.renameAt(msg, msg.indexOf(0, 5) + 1);
      case 0x44: // Describe: 'S' | 'P', name\0
      case 0x43: // Close: 'S' | 'P', name\0
        if (msg[5] !== 0x53 /* 'S' */) return msg;
        if (msg[0] === 0x43) this.prepared.delete(this.prefixed(cstringAt(msg, 6)));
        return this.renameAt(msg, 6);
      default:
        return msg;
    }
  }

  private prefixed(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Rewrites the C string at `offset` (a statement name) with the prefix; unnamed stays unnamed. */
  private renameAt(msg: Buffer, offset: number): Buffer {
    if (msg[offset] === 0) return msg;
    const prefix = this.prefixBytes;
    const out = Buffer.allocUnsafe(msg.length + prefix.length);
    msg.copy(out, 0, 0, offset);
    prefix.copy(out, offset);
    msg.copy(out, offset + prefix.length, offset);
    out.writeInt32BE(out.length - 1, 1);
    return out;
  }
}

function cstringAt(msg: Buffer, offset: number): string {
  return msg.toString('utf8', offset, msg.indexOf(0, offset));
}
