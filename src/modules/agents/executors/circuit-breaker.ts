import type { Availability } from '../types.js';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  threshold?: number;
  /** How long an open circuit keeps the agent out of auctions, in ms. Default 30 000. */
  coolDownMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * Stops calling an agent that keeps failing: after `threshold` consecutive failures it
 * is unavailable (so it does not bid, and the roster reports why) for `coolDownMs`.
 * After the cool-down the circuit is half-open: the next call is a trial, and one more
 * failure opens it again at once rather than after another `threshold` failures.
 */
export class CircuitBreaker {
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private failures = 0;
  /** When the circuit last opened, until when; 0 once a call has succeeded since. */
  private openUntil = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.threshold ?? 5;
    this.coolDownMs = options.coolDownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  availability(): Availability {
    return this.now() < this.openUntil ? { available: false, reason: 'circuit open' } : { available: true };
  }

  /**
   * Runs one call to the agent and records its outcome. A failure for which
   * `abandoned()` is true is the caller's doing (the intent was cancelled, another agent
   * already won) and is not held against the agent.
   */
  async run<T>(fn: () => Promise<T>, abandoned: () => boolean = () => false): Promise<T> {
    try {
      const result = await fn();
      this.failures = 0;
      this.openUntil = 0;
      return result;
    } catch (error) {
      if (!abandoned()) this.recordFailure();
      throw error;
    }
  }

  private recordFailure(): void {
    // No success since the circuit last opened: this was the trial call, and it failed.
    const trialFailed = this.openUntil !== 0;
    if (trialFailed || ++this.failures >= this.threshold) {
      this.openUntil = this.now() + this.coolDownMs;
      this.failures = 0;
    }
  }
}
