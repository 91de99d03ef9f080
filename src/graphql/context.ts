import type { AuthInfo } from '../modules/keys/auth-info.js';
import type { Logger } from '../observability/logger.js';
import type { Services } from '../services.js';

/** What every resolver sees; built once per HTTP request or WebSocket operation. */
export interface GavelContext {
  requestId: string;
  auth: AuthInfo | null;
  services: Services;
  logger: Logger;
  /** Base URL for links handed out (signed file URLs): GAVEL_PUBLIC_URL, or the request's own. */
  origin: string;
}
