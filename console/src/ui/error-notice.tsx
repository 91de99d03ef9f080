/** Errors people can act on, said plainly; anything else as the server put it. */
const EXPLAINED: Record<string, string> = {
  RATE_LIMIT_EXCEEDED: 'Quota or rate limit reached for this key. Wait for the window to pass, or use a key of a higher tier.',
  PROVIDER_NOT_CONFIGURED: 'No LLM provider is configured (OPENAI_BASE_URL): only tool agents can serve. Ask the operator to set one.',
  PROVIDER_UNAVAILABLE: 'The LLM provider is unreachable right now. Try again shortly.',
  INSUFFICIENT_BALANCE: 'The wallet cannot cover this intent. Top it up first.',
  NO_BIDS: 'No agent could serve this intent.',
  FORBIDDEN: 'This key may not do that.',
  UNAUTHORIZED: 'The key is not valid any more (revoked or expired).',
};

export function ErrorNotice({ code, message }: { code: string | null; message: string }) {
  // Intents fail with lower-case codes (no_bids), GraphQL errors carry upper-case ones.
  const explained = code ? EXPLAINED[code.toUpperCase()] : undefined;
  return (
    <p class="notice error" role="alert" data-code={code ?? undefined}>
      {explained ? `${explained} ` : ''}
      <span class="muted">({message})</span>
    </p>
  );
}
