import { invalid } from '../../errors/app-error.js';
import { hostProblem } from '../../lib/public-address.js';

/**
 * Checks a webhook URL when it is submitted: absolute, HTTPS, no credentials, and not a
 * literal non-public address or a local name. What a name resolves to is checked again
 * at every delivery (`createGuardedFetch`), since DNS may change between the two.
 */
export function validateWebhookUrl(raw: string, allowPrivate: boolean, field = 'webhookUrl'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid('webhook URL must be an absolute URL', field);
  }
  if (raw.length > 2000) throw invalid('webhook URL must be at most 2000 characters', field);
  if (url.username || url.password) throw invalid('webhook URL must not carry credentials', field);
  if (allowPrivate) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('webhook URL must be an HTTP(S) URL', field);
    return url.toString();
  }
  if (url.protocol !== 'https:') throw invalid('webhook URL must be an HTTPS URL', field);
  const problem = hostProblem(url);
  if (problem) throw invalid(`webhook URL must point at a public address (${problem})`, field);
  return url.toString();
}
