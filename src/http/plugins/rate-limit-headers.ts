import type { Plugin } from 'graphql-yoga';
import { rateHeaders, type RateState } from '../../modules/limits/index.js';

/** The rate state of each request, recorded when the key is counted (see auth-context). */
export const rateStates = new WeakMap<Request, RateState>();

/** `X-RateLimit-Limit`, `-Remaining` and `-Reset` on every response of a rate-limited key. */
export function useRateLimitHeaders(): Plugin {
  return {
    onResponse({ request, response }) {
      const state = rateStates.get(request);
      if (!state) return;
      for (const [name, value] of Object.entries(rateHeaders(state))) response.headers.set(name, value);
    },
  };
}
