import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * What GraphiQL opens on (development only): an operation that works with no key, and
 * the ones to try once the key is in the Headers tab. Those headers reach subscriptions
 * too: GraphiQL sends them in each subscribe message's extensions, which ws/graphql-ws.ts
 * reads when the connection itself carries no key.
 */
const EXAMPLE = `# Gavel. Put your key in the Headers tab below:
#   { "Authorization": "Bearer gvl_live_..." }
# then run Submit, put its id in Variables as { "id": "..." }
# and run Follow to watch the auction.
# Stats needs no key.

query Stats {
  routingStats { totalIntents30d agentsActive avgWinningConfidence topDomains { domain intentShare } }
}

query Me {
  me { tenant tier scopes }
}

mutation Submit {
  submitIntent(input: { text: "What is 17% of 2,340?" }) { id status }
}

subscription Follow($id: ID!) {
  intentEvents(intentId: $id) {
    seq
    type
    ... on BidPlaced { name outcome confidence }
    ... on AuctionClosed { winner asked }
    ... on ResultChunk { text }
    ... on IntentCompleted { result costUsd }
  }
}
`;

export const graphiqlOptions: GraphiQLOptions = { title: 'Gavel', subscriptionsProtocol: 'WS', defaultQuery: EXAMPLE };

/**
 * GraphiQL's page with its scripts and styles inlined (@graphql-yoga/render-graphiql),
 * so it works offline; yoga's default loads them from a CDN. Loaded on first use: the
 * bundle is large and production never serves GraphiQL.
 */
export async function renderLocalGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  return renderGraphiQL(options);
}
