import { EventEmitter } from 'node:events';
import type { IntentStatus } from './intent.entity.js';

export interface IntentStatusChange {
  intentId: number;
  tenantId: string;
  status: IntentStatus;
}

/**
 * In-process notifications of intent status changes, so a caller waiting for a
 * receipt (REST's synchronous POST) is woken at once when the local worker finishes.
 * Work done on another instance is still seen by the waiters' database fallback poll.
 */
export class IntentBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(change: IntentStatusChange): void {
    this.emitter.emit(String(change.intentId), change);
  }

  /** Calls `listener` on each change of one intent until the returned function is called. */
  listen(intentId: number, listener: (change: IntentStatusChange) => void): () => void {
    const key = String(intentId);
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }
}
