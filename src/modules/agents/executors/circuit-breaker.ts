import type { Availability } from '../types.js';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  threshold?: number;
  /** How long an open circuit keeps its target out of auctions, in ms. Default 30 000. */
  coolDownMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** What the breaker guards, for its messages: "the LLM provider at …", "the agent's endpoint". */
  target?: string;
}

/** A call the breaker refused without making it: the circuit is open, or its one trial call is running. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(
    message: string,
    /** Seconds until the next trial may run. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * Stops calling a target (an LLM provider, an HTTP agent's endpoint) that keeps failing.
 * One breaker per target, shared by every agent that calls it, so a failing provider
 * opens one circuit after `threshold` failures, not one per agent after `threshold` each.
 * Open: calls are refused (and the agents using it do not bid) for `coolDownMs`. Then
 * half-open: exactly one call is let through as a trial while the others fail fast; its
 * success closes the circuit, its failure opens it again for another cool-down.
 */
export class CircuitBreaker {
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private readonly target: string;
  private failures = 0;
  /** Open until then (epoch ms); 0 when closed. Past it, the circuit is half-open. */
  private openUntil = 0;
  private trialRunning = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.threshold ?? 5;
    this.coolDownMs = options.coolDownMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.target = options.target ?? 'the target';
  }

  availability(): Availability {
    const refusal = this.refusal();
    return refusal ? { available: false, reason: refusal.message, retryAfterSeconds: refusal.retryAfterSeconds } : { available: true };
  }

  /** Why a call now would be refused, or null when it may run. */
  private refusal(): CircuitOpenError | null {
    if (this.openUntil === 0) return null;
    const left = this.openUntil - this.now();
    if (left > 0)
      return new CircuitOpenError(`circuit open: ${this.target} failed repeatedly; next trial in ${Math.ceil(left / 1000)} s`, Math.ceil(left / 1000));
    if (this.trialRunning) return new CircuitOpenError(`circuit half-open: a trial call to ${this.target} is running`, 1);
    return null;
  }

  /**
   * Runs one call and records its outcome; throws `CircuitOpenError` without calling when
   * the circuit refuses it. A failure for which `abandoned()` is true is the caller's
   * doing (the intent was cancelled, another agent already won) and is not held against
   * the target; an abandoned trial lets the next call be the trial.
   */
  async run<T>(fn: () => Promise<T>, abandoned: () => boolean = () => false): Promise<T> {
    const refusal = this.refusal();
    if (refusal) throw refusal;
    const trial = this.openUntil !== 0;
    if (trial) this.trialRunning = true;
    try {
      const result = await fn();
      this.failures = 0;
      this.openUntil = 0;
      return result;
    } catch (error) {
      if (!abandoned()) this.recordFailure(trial);
      throw error;
    } finally {
      if (trial) this.trialRunning = false;
    }
  }

  private recordFailure(trial: boolean): void {
    if (trial || ++this.failures >= this.threshold) {
      this.openUntil = this.now() + this.coolDownMs;
      this.failures = 0;
    }
  }
}

/** Breakers by target key (an LLM base URL, an HTTP agent's endpoint), kept across roster reloads. */
export class BreakerBoard {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly options: Omit<CircuitBreakerOptions, 'target'> = {}) {}

  for(key: string, target: string): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) this.breakers.set(key, (breaker = new CircuitBreaker({ ...this.options, target })));
    return breaker;
  }
}
