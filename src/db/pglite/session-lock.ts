/**
 * A FIFO async lock. PGlite has exactly one session, so one client at a time owns it:
 * from its first message until it is idle again (ReadyForQuery 'I').
 */
export class SessionLock {
  private holder: symbol | null = null;
  private readonly waiters: Array<{ owner: symbol; grant: () => void }> = [];

  /** Resolves when `owner` holds the lock (at once if it already does). */
  acquire(owner: symbol): Promise<void> {
    if (this.holder === owner) return Promise.resolve();
    if (this.holder === null) {
      this.holder = owner;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiters.push({ owner, grant }));
  }

  release(owner: symbol): void {
    if (this.holder !== owner) return;
    const next = this.waiters.shift();
    this.holder = next?.owner ?? null;
    next?.grant();
  }

  /** Drops a waiter that went away before its turn. */
  forget(owner: symbol): void {
    const i = this.waiters.findIndex((w) => w.owner === owner);
    if (i >= 0) this.waiters.splice(i, 1);
    this.release(owner);
  }

  isHeldBy(owner: symbol): boolean {
    return this.holder === owner;
  }
}
