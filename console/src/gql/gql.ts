/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n      tenant\n      scopes\n      sandbox\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        prefix\n        tenant\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  query Usage {\n    usage {\n      intents\n      completed\n      failed\n      quota\n      remaining\n      totalTokens\n      costUsd\n      periodStart\n      periodEnd\n    }\n  }\n": typeof types.UsageDocument,
    "\n  query Wallet {\n    wallet {\n      prepaid\n      balanceUsd\n      availableUsd\n      heldUsd\n      currency\n      transactions(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            amountUsd\n            balanceAfterUsd\n            createdAt\n            intentId\n            note\n          }\n        }\n      }\n    }\n  }\n": typeof types.WalletDocument,
    "\n  query WebhookDeliveries {\n    intents(first: 20) {\n      edges {\n        node {\n          id\n          webhookDeliveries {\n            id\n            event\n            url\n            status\n            createdAt\n            deliveredAt\n            attempts {\n              attempt\n              statusCode\n              error\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  mutation Redeliver($id: ID!) {\n    redeliverWebhook(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.RedeliverDocument,
    "\n  subscription AuctionEvents($intentId: ID!, $after: Int) {\n    intentEvents(intentId: $intentId, after: $after) {\n      __typename\n      seq\n      type\n      at\n      ... on IntentCreated {\n        text\n        domain\n        auctionTier\n        sandbox\n      }\n      ... on BidPlaced {\n        agent\n        name\n        emoji\n        domain\n        outcome\n        confidence\n        reasoning\n        estimatedCostUsd\n        latencyMs\n      }\n      ... on AuctionClosed {\n        winner\n        bids\n        asked\n      }\n      ... on ExecutionStarted {\n        agent\n        name\n      }\n      ... on ResultChunk {\n        text\n      }\n      ... on Verification {\n        agent\n        accepted\n        verdict: reason\n      }\n      ... on Failover {\n        from\n        to\n        reason\n      }\n      ... on IntentCompleted {\n        result\n        winner\n        inputTokens\n        outputTokens\n        costUsd\n        promotions\n      }\n      ... on IntentFailed {\n        code\n        message\n      }\n      ... on IntentCancelled {\n        reason\n      }\n    }\n  }\n": typeof types.AuctionEventsDocument,
    "\n  query Receipt($id: ID!) {\n    intent(id: $id) {\n      id\n      status\n      text\n      domain\n      auctionTier\n      sandbox\n      createdAt\n      completedAt\n      durationMs\n      result\n      promotions\n      error {\n        code\n        message\n      }\n      cost {\n        inputTokens\n        outputTokens\n        totalTokens\n        costUsd\n      }\n      winningAgent {\n        name\n        emoji\n        confidence\n        domain\n        reasoning\n      }\n      attempts {\n        agent\n        outcome\n        error\n        startedAt\n        finishedAt\n      }\n    }\n  }\n": typeof types.ReceiptDocument,
    "\n  query Me {\n    me {\n      keyId\n      tenant\n      tier\n      scopes\n      keyPrefix\n      operator\n      sandbox\n    }\n  }\n": typeof types.MeDocument,
    "\n  subscription MeWatch {\n    me {\n      keyId\n    }\n  }\n": typeof types.MeWatchDocument,
    "\n  query Agents($domain: String, $kind: AgentKind) {\n    agents(domain: $domain, kind: $kind) {\n      id\n      slug\n      name\n      emoji\n      domain\n      kind\n      description\n      available\n      unavailableReason\n      price {\n        inputPerMTok\n        outputPerMTok\n      }\n      stats {\n        bids\n        wins\n        winRate\n      }\n    }\n  }\n": typeof types.AgentsDocument,
    "\n  mutation SubmitIntent($input: SubmitIntentInput!) {\n    submitIntent(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.SubmitIntentDocument,
    "\n  subscription BidFeed($domain: String, $outcome: [BidOutcome!]) {\n    bidFeed(domain: $domain, outcome: $outcome) {\n      seq\n      intentId\n      at\n      agent\n      name\n      emoji\n      domain\n      outcome\n      confidence\n      latencyMs\n    }\n  }\n": typeof types.BidFeedDocument,
    "\n  mutation CancelIntent($id: ID!) {\n    cancelIntent(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelIntentDocument,
    "\n  query Intents($first: Int, $after: String, $status: IntentFilterStatus, $domain: String) {\n    intents(first: $first, after: $after, status: $status, domain: $domain) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          status\n          text\n          createdAt\n          durationMs\n          cost {\n            costUsd\n          }\n          winningAgent {\n            name\n            emoji\n          }\n        }\n      }\n    }\n  }\n": typeof types.IntentsDocument,
    "\n  query RoutingStats {\n    routingStats {\n      totalIntents30d\n      agentsActive\n      avgWinningConfidence\n      failureRate30d\n      shieldPromotionRate\n      bidCollectionP50Ms\n      bidCollectionP95Ms\n      executionP50Ms\n      executionP95Ms\n      topDomains {\n        domain\n        intentShare\n      }\n    }\n  }\n": typeof types.RoutingStatsDocument,
};
const documents: Documents = {
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n      tenant\n      scopes\n      sandbox\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        prefix\n        tenant\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  query Usage {\n    usage {\n      intents\n      completed\n      failed\n      quota\n      remaining\n      totalTokens\n      costUsd\n      periodStart\n      periodEnd\n    }\n  }\n": types.UsageDocument,
    "\n  query Wallet {\n    wallet {\n      prepaid\n      balanceUsd\n      availableUsd\n      heldUsd\n      currency\n      transactions(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            amountUsd\n            balanceAfterUsd\n            createdAt\n            intentId\n            note\n          }\n        }\n      }\n    }\n  }\n": types.WalletDocument,
    "\n  query WebhookDeliveries {\n    intents(first: 20) {\n      edges {\n        node {\n          id\n          webhookDeliveries {\n            id\n            event\n            url\n            status\n            createdAt\n            deliveredAt\n            attempts {\n              attempt\n              statusCode\n              error\n            }\n          }\n        }\n      }\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  mutation Redeliver($id: ID!) {\n    redeliverWebhook(id: $id) {\n      id\n      status\n    }\n  }\n": types.RedeliverDocument,
    "\n  subscription AuctionEvents($intentId: ID!, $after: Int) {\n    intentEvents(intentId: $intentId, after: $after) {\n      __typename\n      seq\n      type\n      at\n      ... on IntentCreated {\n        text\n        domain\n        auctionTier\n        sandbox\n      }\n      ... on BidPlaced {\n        agent\n        name\n        emoji\n        domain\n        outcome\n        confidence\n        reasoning\n        estimatedCostUsd\n        latencyMs\n      }\n      ... on AuctionClosed {\n        winner\n        bids\n        asked\n      }\n      ... on ExecutionStarted {\n        agent\n        name\n      }\n      ... on ResultChunk {\n        text\n      }\n      ... on Verification {\n        agent\n        accepted\n        verdict: reason\n      }\n      ... on Failover {\n        from\n        to\n        reason\n      }\n      ... on IntentCompleted {\n        result\n        winner\n        inputTokens\n        outputTokens\n        costUsd\n        promotions\n      }\n      ... on IntentFailed {\n        code\n        message\n      }\n      ... on IntentCancelled {\n        reason\n      }\n    }\n  }\n": types.AuctionEventsDocument,
    "\n  query Receipt($id: ID!) {\n    intent(id: $id) {\n      id\n      status\n      text\n      domain\n      auctionTier\n      sandbox\n      createdAt\n      completedAt\n      durationMs\n      result\n      promotions\n      error {\n        code\n        message\n      }\n      cost {\n        inputTokens\n        outputTokens\n        totalTokens\n        costUsd\n      }\n      winningAgent {\n        name\n        emoji\n        confidence\n        domain\n        reasoning\n      }\n      attempts {\n        agent\n        outcome\n        error\n        startedAt\n        finishedAt\n      }\n    }\n  }\n": types.ReceiptDocument,
    "\n  query Me {\n    me {\n      keyId\n      tenant\n      tier\n      scopes\n      keyPrefix\n      operator\n      sandbox\n    }\n  }\n": types.MeDocument,
    "\n  subscription MeWatch {\n    me {\n      keyId\n    }\n  }\n": types.MeWatchDocument,
    "\n  query Agents($domain: String, $kind: AgentKind) {\n    agents(domain: $domain, kind: $kind) {\n      id\n      slug\n      name\n      emoji\n      domain\n      kind\n      description\n      available\n      unavailableReason\n      price {\n        inputPerMTok\n        outputPerMTok\n      }\n      stats {\n        bids\n        wins\n        winRate\n      }\n    }\n  }\n": types.AgentsDocument,
    "\n  mutation SubmitIntent($input: SubmitIntentInput!) {\n    submitIntent(input: $input) {\n      id\n      status\n    }\n  }\n": types.SubmitIntentDocument,
    "\n  subscription BidFeed($domain: String, $outcome: [BidOutcome!]) {\n    bidFeed(domain: $domain, outcome: $outcome) {\n      seq\n      intentId\n      at\n      agent\n      name\n      emoji\n      domain\n      outcome\n      confidence\n      latencyMs\n    }\n  }\n": types.BidFeedDocument,
    "\n  mutation CancelIntent($id: ID!) {\n    cancelIntent(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelIntentDocument,
    "\n  query Intents($first: Int, $after: String, $status: IntentFilterStatus, $domain: String) {\n    intents(first: $first, after: $after, status: $status, domain: $domain) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          status\n          text\n          createdAt\n          durationMs\n          cost {\n            costUsd\n          }\n          winningAgent {\n            name\n            emoji\n          }\n        }\n      }\n    }\n  }\n": types.IntentsDocument,
    "\n  query RoutingStats {\n    routingStats {\n      totalIntents30d\n      agentsActive\n      avgWinningConfidence\n      failureRate30d\n      shieldPromotionRate\n      bidCollectionP50Ms\n      bidCollectionP95Ms\n      executionP50Ms\n      executionP95Ms\n      topDomains {\n        domain\n        intentShare\n      }\n    }\n  }\n": types.RoutingStatsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n      tenant\n      scopes\n      sandbox\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n      tenant\n      scopes\n      sandbox\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        prefix\n        tenant\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        prefix\n        tenant\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Usage {\n    usage {\n      intents\n      completed\n      failed\n      quota\n      remaining\n      totalTokens\n      costUsd\n      periodStart\n      periodEnd\n    }\n  }\n"): (typeof documents)["\n  query Usage {\n    usage {\n      intents\n      completed\n      failed\n      quota\n      remaining\n      totalTokens\n      costUsd\n      periodStart\n      periodEnd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Wallet {\n    wallet {\n      prepaid\n      balanceUsd\n      availableUsd\n      heldUsd\n      currency\n      transactions(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            amountUsd\n            balanceAfterUsd\n            createdAt\n            intentId\n            note\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Wallet {\n    wallet {\n      prepaid\n      balanceUsd\n      availableUsd\n      heldUsd\n      currency\n      transactions(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            amountUsd\n            balanceAfterUsd\n            createdAt\n            intentId\n            note\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries {\n    intents(first: 20) {\n      edges {\n        node {\n          id\n          webhookDeliveries {\n            id\n            event\n            url\n            status\n            createdAt\n            deliveredAt\n            attempts {\n              attempt\n              statusCode\n              error\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookDeliveries {\n    intents(first: 20) {\n      edges {\n        node {\n          id\n          webhookDeliveries {\n            id\n            event\n            url\n            status\n            createdAt\n            deliveredAt\n            attempts {\n              attempt\n              statusCode\n              error\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Redeliver($id: ID!) {\n    redeliverWebhook(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation Redeliver($id: ID!) {\n    redeliverWebhook(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuctionEvents($intentId: ID!, $after: Int) {\n    intentEvents(intentId: $intentId, after: $after) {\n      __typename\n      seq\n      type\n      at\n      ... on IntentCreated {\n        text\n        domain\n        auctionTier\n        sandbox\n      }\n      ... on BidPlaced {\n        agent\n        name\n        emoji\n        domain\n        outcome\n        confidence\n        reasoning\n        estimatedCostUsd\n        latencyMs\n      }\n      ... on AuctionClosed {\n        winner\n        bids\n        asked\n      }\n      ... on ExecutionStarted {\n        agent\n        name\n      }\n      ... on ResultChunk {\n        text\n      }\n      ... on Verification {\n        agent\n        accepted\n        verdict: reason\n      }\n      ... on Failover {\n        from\n        to\n        reason\n      }\n      ... on IntentCompleted {\n        result\n        winner\n        inputTokens\n        outputTokens\n        costUsd\n        promotions\n      }\n      ... on IntentFailed {\n        code\n        message\n      }\n      ... on IntentCancelled {\n        reason\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription AuctionEvents($intentId: ID!, $after: Int) {\n    intentEvents(intentId: $intentId, after: $after) {\n      __typename\n      seq\n      type\n      at\n      ... on IntentCreated {\n        text\n        domain\n        auctionTier\n        sandbox\n      }\n      ... on BidPlaced {\n        agent\n        name\n        emoji\n        domain\n        outcome\n        confidence\n        reasoning\n        estimatedCostUsd\n        latencyMs\n      }\n      ... on AuctionClosed {\n        winner\n        bids\n        asked\n      }\n      ... on ExecutionStarted {\n        agent\n        name\n      }\n      ... on ResultChunk {\n        text\n      }\n      ... on Verification {\n        agent\n        accepted\n        verdict: reason\n      }\n      ... on Failover {\n        from\n        to\n        reason\n      }\n      ... on IntentCompleted {\n        result\n        winner\n        inputTokens\n        outputTokens\n        costUsd\n        promotions\n      }\n      ... on IntentFailed {\n        code\n        message\n      }\n      ... on IntentCancelled {\n        reason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Receipt($id: ID!) {\n    intent(id: $id) {\n      id\n      status\n      text\n      domain\n      auctionTier\n      sandbox\n      createdAt\n      completedAt\n      durationMs\n      result\n      promotions\n      error {\n        code\n        message\n      }\n      cost {\n        inputTokens\n        outputTokens\n        totalTokens\n        costUsd\n      }\n      winningAgent {\n        name\n        emoji\n        confidence\n        domain\n        reasoning\n      }\n      attempts {\n        agent\n        outcome\n        error\n        startedAt\n        finishedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query Receipt($id: ID!) {\n    intent(id: $id) {\n      id\n      status\n      text\n      domain\n      auctionTier\n      sandbox\n      createdAt\n      completedAt\n      durationMs\n      result\n      promotions\n      error {\n        code\n        message\n      }\n      cost {\n        inputTokens\n        outputTokens\n        totalTokens\n        costUsd\n      }\n      winningAgent {\n        name\n        emoji\n        confidence\n        domain\n        reasoning\n      }\n      attempts {\n        agent\n        outcome\n        error\n        startedAt\n        finishedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      keyId\n      tenant\n      tier\n      scopes\n      keyPrefix\n      operator\n      sandbox\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      keyId\n      tenant\n      tier\n      scopes\n      keyPrefix\n      operator\n      sandbox\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MeWatch {\n    me {\n      keyId\n    }\n  }\n"): (typeof documents)["\n  subscription MeWatch {\n    me {\n      keyId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Agents($domain: String, $kind: AgentKind) {\n    agents(domain: $domain, kind: $kind) {\n      id\n      slug\n      name\n      emoji\n      domain\n      kind\n      description\n      available\n      unavailableReason\n      price {\n        inputPerMTok\n        outputPerMTok\n      }\n      stats {\n        bids\n        wins\n        winRate\n      }\n    }\n  }\n"): (typeof documents)["\n  query Agents($domain: String, $kind: AgentKind) {\n    agents(domain: $domain, kind: $kind) {\n      id\n      slug\n      name\n      emoji\n      domain\n      kind\n      description\n      available\n      unavailableReason\n      price {\n        inputPerMTok\n        outputPerMTok\n      }\n      stats {\n        bids\n        wins\n        winRate\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitIntent($input: SubmitIntentInput!) {\n    submitIntent(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation SubmitIntent($input: SubmitIntentInput!) {\n    submitIntent(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription BidFeed($domain: String, $outcome: [BidOutcome!]) {\n    bidFeed(domain: $domain, outcome: $outcome) {\n      seq\n      intentId\n      at\n      agent\n      name\n      emoji\n      domain\n      outcome\n      confidence\n      latencyMs\n    }\n  }\n"): (typeof documents)["\n  subscription BidFeed($domain: String, $outcome: [BidOutcome!]) {\n    bidFeed(domain: $domain, outcome: $outcome) {\n      seq\n      intentId\n      at\n      agent\n      name\n      emoji\n      domain\n      outcome\n      confidence\n      latencyMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelIntent($id: ID!) {\n    cancelIntent(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CancelIntent($id: ID!) {\n    cancelIntent(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Intents($first: Int, $after: String, $status: IntentFilterStatus, $domain: String) {\n    intents(first: $first, after: $after, status: $status, domain: $domain) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          status\n          text\n          createdAt\n          durationMs\n          cost {\n            costUsd\n          }\n          winningAgent {\n            name\n            emoji\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Intents($first: Int, $after: String, $status: IntentFilterStatus, $domain: String) {\n    intents(first: $first, after: $after, status: $status, domain: $domain) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          status\n          text\n          createdAt\n          durationMs\n          cost {\n            costUsd\n          }\n          winningAgent {\n            name\n            emoji\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RoutingStats {\n    routingStats {\n      totalIntents30d\n      agentsActive\n      avgWinningConfidence\n      failureRate30d\n      shieldPromotionRate\n      bidCollectionP50Ms\n      bidCollectionP95Ms\n      executionP50Ms\n      executionP95Ms\n      topDomains {\n        domain\n        intentShare\n      }\n    }\n  }\n"): (typeof documents)["\n  query RoutingStats {\n    routingStats {\n      totalIntents30d\n      agentsActive\n      avgWinningConfidence\n      failureRate30d\n      shieldPromotionRate\n      bidCollectionP50Ms\n      bidCollectionP95Ms\n      executionP50Ms\n      executionP95Ms\n      topDomains {\n        domain\n        intentShare\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;