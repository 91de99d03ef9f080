import { graphql } from '../gql';
import type { AuctionEventsSubscription } from '../gql/graphql';

/**
 * Every event of an intent, as the live view and the replay read them. `seq` and `type`
 * come from the Event interface; the rest per type. Verification's reason is aliased: it
 * is nullable there and non-null on Failover and IntentCancelled.
 */
export const AuctionEventsDocument = graphql(`
  subscription AuctionEvents($intentId: ID!, $after: Int) {
    intentEvents(intentId: $intentId, after: $after) {
      __typename
      seq
      type
      at
      ... on IntentCreated {
        text
        domain
        auctionTier
        sandbox
      }
      ... on BidPlaced {
        agent
        name
        emoji
        domain
        outcome
        confidence
        reasoning
        estimatedCostUsd
        latencyMs
      }
      ... on AuctionClosed {
        winner
        bids
        asked
      }
      ... on ExecutionStarted {
        agent
        name
      }
      ... on ResultChunk {
        text
      }
      ... on Verification {
        agent
        accepted
        verdict: reason
      }
      ... on Failover {
        from
        to
        reason
      }
      ... on IntentCompleted {
        result
        winner
        inputTokens
        outputTokens
        costUsd
        promotions
      }
      ... on IntentFailed {
        code
        message
      }
      ... on IntentCancelled {
        reason
      }
    }
  }
`);

export type AuctionEvent = AuctionEventsSubscription['intentEvents'];
