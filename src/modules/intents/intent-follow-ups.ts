import type { Logger } from '../../observability/logger.js';
import type { WalletService } from '../wallet/index.js';
import type { AgentMoment, WebhookService } from '../webhooks/index.js';

/**
 * What happens after an intent's moments, beyond its own record: charging a prepaid
 * wallet and announcing webhooks. Each step is idempotent, so the auction runner, a
 * retried job, a cancel and the periodic sweep may all call it; a failure here is
 * logged and left to the sweep, never failing the auction that triggered it.
 */
export class IntentFollowUps {
  constructor(
    private readonly wallet: WalletService,
    private readonly webhooks: WebhookService,
    private readonly logger: Logger,
  ) {}

  /** The winner starts executing. */
  async started(intentId: number): Promise<void> {
    await this.webhooks
      .announce(intentId, 'started')
      .catch((error: unknown) => this.logger.warn({ err: error, intentId }, 'announcing execution.started failed'));
  }

  /**
   * An agent started or ended an attempt (the winner, then each failover). Announced as it
   * happens and not swept: an attempt a crash interrupted is told by the execution events.
   */
  async agent(intentId: number, moment: AgentMoment): Promise<void> {
    await this.webhooks
      .announce(intentId, moment)
      .catch((error: unknown) => this.logger.warn({ err: error, intentId }, `announcing agent.${moment.phase} failed`));
  }

  /** The intent reached completed, failed or cancelled. */
  async final(intentId: number): Promise<void> {
    try {
      await this.wallet.settle(intentId);
      await this.webhooks.announce(intentId, 'final');
    } catch (error) {
      this.logger.warn({ err: error, intentId }, 'follow-ups of a final intent failed; the sweep retries them');
    }
  }

  /** Catches up on what a crash left undone. */
  async sweep(): Promise<void> {
    await this.wallet.sweepUnsettled();
    await this.webhooks.sweepUnannounced();
  }
}
