/** The wallet module: prepaid balances, holds while an intent runs, the charge when it ends. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { AgentRegistry } from '../agents/index.js';
import { WalletService } from './wallet.service.js';

export { WalletService } from './wallet.service.js';

export function createWallet(deps: { orm: MikroORM; pool: pg.Pool; agents: AgentRegistry }): WalletService {
  return new WalletService(deps.orm, deps.pool, deps.agents);
}
