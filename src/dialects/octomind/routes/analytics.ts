import { z } from 'zod/v4';
import { RestCostSummaryDocument, type CostFigureFieldsFragment, type CostGroupBy } from '../../../generated/graphql.js';
import { defineRoute, graphqlEnum } from '../../kit/index.js';

const GROUP_BYS = ['user_id', 'api_key_id', 'agent', 'domain'] as const;
const GroupBy = graphqlEnum<CostGroupBy>()(GROUP_BYS, { error: `group_by must be one of ${GROUP_BYS.join(', ')}` });
const required = (name: string) => z.string({ error: `${name} is required` }).min(1, `${name} is required`);

const figures = {
  intents: z.number().int(),
  completed: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  total_tokens: z.number().int(),
  cost_usd: z.number(),
};

function costFigures(f: CostFigureFieldsFragment) {
  return {
    intents: f.intents,
    completed: f.completed,
    input_tokens: f.inputTokens,
    output_tokens: f.outputTokens,
    total_tokens: f.totalTokens,
    cost_usd: f.costUsd,
  };
}

/** OctoMind's cost aggregation (Enterprise, analytics_read). */
export const analyticsRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/analytics/cost-summary',
    summary: 'Tokens and cost over a period, grouped by user, key, agent or domain',
    document: RestCostSummaryDocument,
    query: z.object({
      start: required('start').describe('ISO date or date-time'),
      end: required('end').describe('ISO date or date-time'),
      group_by: GroupBy.default('user_id'),
    }),
    variables: ({ query }) => ({ start: query.start, end: query.end, groupBy: query.group_by }),
    result: ({ costSummary: s }) => ({
      body: {
        start: s.start,
        end: s.end,
        group_by: s.groupBy,
        currency: 'USD',
        groups: s.groups.map((g) => ({ [s.groupBy]: g.key, name: g.name, ...costFigures(g) })),
        totals: costFigures(s.totals),
      },
    }),
    responses: {
      200: {
        description: 'The summary',
        schema: z.object({
          start: z.string(),
          end: z.string(),
          group_by: GroupBy,
          currency: z.literal('USD'),
          groups: z.array(
            z
              .object({ name: z.string(), ...figures })
              .catchall(z.string())
              .describe('The group key under the group_by name'),
          ),
          totals: z.object(figures),
        }),
      },
    },
  }),
];
