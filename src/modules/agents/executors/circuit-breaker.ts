import type { Availability } from '../types.js';

/**
 * Stops calling an agent that keeps failing: after `threshold` consecutive failures it
 * is unavailable (and so does not bid) for `coolDownMs`, then gets one more chance.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(
    private readonly threshold = 5,
    private readonly coolDownMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  availability(): Availability {
    return this.now() < this.openUntil ? { available: false, reason: 'circuit open after repeated failures' } : { available: true };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      this.failures = 0;
      return result;
    } catch (error) {
      if (++this.failures >= this.threshold) {
        this.openUntil = this.now() + this.coolDownMs;
        this.failures = 0;
      }
      throw error;
    }
  }
}
