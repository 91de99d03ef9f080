/** The mechanics every dialect shares; a dialect imports only from here. */
export type { Dialect, ErrorFacts, ReceiptReader, WebhookPayload } from './dialect.js';
export { defineRoute, idFromPath, type Route, type RouteInput, type RouteResponse, type StreamTools } from './route.js';
export { graphqlEnum } from './enums.js';
export type { IntentEvent, StreamFrame, StreamFrames } from './event-stream.js';
