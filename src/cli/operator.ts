import { createAgents } from '../modules/agents/index.js';
import { auctionJobsFor } from '../modules/auctions/index.js';
import { IntentLookup } from '../modules/intents/index.js';
import { listTenants, setTenantTier } from '../modules/tenants/index.js';
import { createWallet } from '../modules/wallet/index.js';
import { CliFailure } from './database.js';
import { UsageError } from './args.js';
import { dbOf, type CliCommand, type Context } from './context.js';
import { table, usd, when } from './format.js';
import { tierOf } from './keys.js';

const agentsOf = (context: Context) => {
  const { orm, pool } = dbOf(context);
  return createAgents({ orm, pool, config: context.config });
};

export const tenantCommands: CliCommand[] = [
  {
    name: 'tenants list',
    summary: 'every tenant: tier, billing, wallet',
    database: { migrate: true },
    async run(_call, context) {
      const tenants = await listTenants(dbOf(context).orm.em.fork());
      const rows = tenants.map((t) => [
        t.name,
        t.id,
        t.tier,
        t.isOperator ? 'operator' : t.prepaid ? 'prepaid' : 'postpaid',
        usd(t.balanceMicros),
        usd(t.heldMicros),
        when(t.createdAt),
      ]);
      console.log(table(['NAME', 'ID', 'TIER', 'BILLING', 'BALANCE', 'HELD', 'CREATED'], rows));
      return 0;
    },
  },
  {
    name: 'tenants set-tier',
    args: ['TENANT', 'TIER'],
    summary: 'move a tenant (all its keys) to another tier',
    database: { migrate: true },
    check: (call) => void tierOf(call.args[1]!),
    async run(call, context) {
      const [name, tier] = call.args as [string, string];
      const { tenant, previous } = await setTenantTier(dbOf(context).orm.em.fork(), name, tierOf(tier));
      console.log(
        previous === tenant.tier
          ? `Tenant ${tenant.name} is on the ${tenant.tier} tier already`
          : `Moved tenant ${tenant.name} from ${previous} to ${tenant.tier}`,
      );
      return 0;
    },
  },
  {
    name: 'wallet top-up',
    args: ['TENANT', 'AMOUNT'],
    summary: "add AMOUNT US dollars to a tenant's wallet (making it prepaid)",
    options: { note: { type: 'string', value: 'TEXT', description: "the ledger row's note" } },
    database: { migrate: true },
    check(call) {
      const amount = call.args[1]!;
      if (!/^\d+(\.\d{1,6})?$/.test(amount)) throw new UsageError(`AMOUNT must be US dollars like 25 or 12.50; got "${amount}"`);
    },
    async run(call, context) {
      const [name, amount] = call.args as [string, string];
      const { orm, pool } = dbOf(context);
      const wallet = createWallet({ orm, pool, agents: agentsOf(context).registry });
      const tenantId = await wallet.tenantIdOf(name);
      if (!tenantId) throw new CliFailure(`no tenant named ${name}; see tenants list`);
      const view = await wallet.topUp(tenantId, Number(amount), (call.values.note as string | undefined) ?? null);
      console.log(`Topped up ${name} by $${Number(amount).toFixed(2)}: balance ${usd(view.balanceMicros)}, held ${usd(view.heldMicros)}, prepaid`);
      return 0;
    },
  },
];

export const agentCommands: CliCommand[] = [
  {
    name: 'agents list',
    summary: 'every agent, enabled or not',
    database: { migrate: true },
    async run(_call, context) {
      const agents = await agentsOf(context).registry.list({ includeInactive: true });
      const rows = agents.map((a) => [a.slug, a.kind, a.domain, a.active ? 'enabled' : 'disabled', a.source, a.name]);
      console.log(table(['SLUG', 'KIND', 'DOMAIN', 'STATE', 'SOURCE', 'NAME'], rows));
      return 0;
    },
  },
  ...(['enable', 'disable'] as const).map((action): CliCommand => ({
    name: `agents ${action}`,
    args: ['SLUG'],
    summary: action === 'enable' ? 'let an agent bid again' : 'stop an agent from bidding (a catalog sync keeps it so)',
    database: { migrate: true },
    async run(call, context) {
      const agent = await agentsOf(context).admin.update(call.args[0]!, { active: action === 'enable' });
      console.log(`Agent ${agent.slug} is ${agent.active ? 'enabled' : 'disabled'}`);
      return 0;
    },
  })),
  {
    name: 'agents secret rotate',
    args: ['SLUG'],
    summary: 'a new signing secret for an HTTP agent (printed once, last line)',
    options: { 'grace-seconds': { type: 'string', value: 'N', description: 'seconds the old secret also signs (default 86400; 0: none)' } },
    database: { migrate: true },
    check(call) {
      const grace = call.values['grace-seconds'] as string | undefined;
      if (grace !== undefined && !/^\d+$/.test(grace)) throw new UsageError(`--grace-seconds must be a whole number; got "${grace}"`);
    },
    async run(call, context) {
      const grace = call.values['grace-seconds'] as string | undefined;
      const rotated = await agentsOf(context).admin.rotateSecret(call.args[0]!, grace === undefined ? undefined : Number(grace));
      const until = rotated.previousSecretValidUntil;
      console.log(
        `New signing secret for ${rotated.agent.slug}; ${until ? `the old one also signs until ${until.toISOString()}` : 'the old one signs nothing more'}.`,
      );
      // The write notified every running gateway through the database (the agents table's trigger).
      console.log('Running gateways sign with it from their next call (they reload the roster within a second).');
      console.log(rotated.signingSecret);
      return 0;
    },
  },
];

export const intentCommands: CliCommand[] = [
  {
    name: 'intents show',
    args: ['ID'],
    summary: "any tenant's intent: status, bids, winner, receipt",
    database: { migrate: true },
    check(call) {
      if (!/^\d+$/.test(call.args[0]!)) throw new UsageError(`ID must be an intent's number; got "${call.args[0]}"`);
    },
    async run(call, context) {
      const id = call.args[0]!;
      const { orm, pool } = dbOf(context);
      const { intent: i, bids } = await new IntentLookup(orm, pool, auctionJobsFor(orm)).show(Number(id));
      const winner = i.winningAgentProfile ? `${i.winningAgentProfile.emoji} ${i.winningAgentProfile.name}` : '-';
      const lines = [
        `Intent ${i.id}  ${i.status}${i.sandbox ? ' (sandbox)' : ''}`,
        `  tenant      ${i.tenant.id}`,
        `  text        ${i.text.length > 200 ? `${i.text.slice(0, 200)}…` : i.text}`,
        `  created     ${when(i.createdAt)}   completed ${when(i.completedAt)}`,
        `  winner      ${winner}${i.winningConfidence != null ? `  confidence ${i.winningConfidence.toFixed(2)}` : ''}`,
        `  cost        $${i.costUsd.toFixed(6)}  tokens in ${i.inputTokens} out ${i.outputTokens}  promotions ${i.promotions}`,
        ...(i.errorCode ? [`  error       ${i.errorCode}: ${i.errorMessage ?? ''}`] : []),
        ...i.attempts.map((a, n) => `  attempt ${n + 1}   ${a.agent} ${a.outcome}${a.error ? `: ${a.error}` : ''}`),
        '',
        bids.length
          ? table(
              ['RANK', 'AGENT', 'OUTCOME', 'CONFIDENCE', 'SCORE', 'EST COST', 'LATENCY', 'WON'],
              bids.map((b) => [
                b.rank == null ? '-' : String(b.rank),
                b.agent.slug,
                b.outcome,
                b.confidence == null ? '-' : b.confidence.toFixed(2),
                b.score == null ? '-' : b.score.toFixed(3),
                b.estimatedCostUsd == null ? '-' : `$${b.estimatedCostUsd.toFixed(6)}`,
                `${Math.round(b.latencyMs)} ms`,
                b.won ? 'yes' : '',
              ]),
            )
          : 'No bids.',
        ...(i.result != null ? ['', 'Result:', i.result] : []),
      ];
      console.log(lines.join('\n'));
      return 0;
    },
  },
];
