import { z } from 'zod/v4';
import {
  MindraCancelExecutionDocument,
  MindraExecutionDocument,
  MindraExecutionsDocument,
  MindraOrchestrateDocument,
  type IntentOrder,
} from '../../../generated/graphql.js';
import { defineRoute, idFromPath } from '../../kit/index.js';
import { integerQuery } from '../../octomind/paging.js';
import { EXECUTION_STATUSES, ExecutionSchema, FILTER_OF, execution } from '../execution.js';
import { OrchestrateBodySchema, orchestrateInput } from '../orchestrate.js';
import { listOf, pageArgs, pageQuery, paginated } from '../paging.js';

const IdParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'Execution id must be a positive integer') });

const SORTS: Record<string, IntentOrder> = {
  createdAt: 'created_at_asc',
  '-createdAt': 'created_at_desc',
  completedAt: 'completed_at_asc',
  '-completedAt': 'completed_at_desc',
  cost: 'cost_asc',
  '-cost': 'cost_desc',
};

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * An ISO-8601 date or instant from the query string; a bad one is a 400, never ignored.
 * A bare date (UTC) is its whole day: `startDate` from its first instant, `endDate` to
 * its last, so `startDate=2025-11-10&endDate=2025-11-10` is that one day.
 */
const dateQuery = (name: string, bareDate: 'start' | 'end') =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      const date = DATE_ONLY.test(raw) ? new Date(`${raw}T00:00:00.000Z`) : /^\d{4}-\d{2}-\d{2}T/.test(raw) ? new Date(raw) : new Date(Number.NaN);
      // 2025-02-30 parses as 2 March: a date that does not name itself back is refused.
      const exists = !Number.isNaN(date.getTime()) && (!DATE_ONLY.test(raw) || date.toISOString().startsWith(raw));
      if (exists) return new Date(date.getTime() + (DATE_ONLY.test(raw) && bareDate === 'end' ? DAY_MS - 1 : 0)).toISOString();
      ctx.addIssue({ code: 'custom', message: `${name} must be an ISO-8601 date, e.g. 2025-11-10 or 2025-11-10T10:30:00Z` });
      return z.NEVER;
    });

const ListQuery = z.object({
  ...pageQuery,
  status: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      const status = raw.toUpperCase();
      if ((EXECUTION_STATUSES as readonly string[]).includes(status)) return FILTER_OF[status as keyof typeof FILTER_OF];
      ctx.addIssue({ code: 'custom', message: `status must be one of ${EXECUTION_STATUSES.join(', ')}` });
      return z.NEVER;
    })
    .describe(EXECUTION_STATUSES.join(', ')),
  vertical: z.string().optional().describe("The winning agent's vertical (or the execution's domain hint)"),
  startDate: dateQuery('startDate', 'start').describe('Created on or after (ISO-8601; a bare date from its start, UTC)'),
  endDate: dateQuery('endDate', 'end').describe('Created on or before (ISO-8601; a bare date to its end, UTC)'),
  sort: z
    .string()
    .optional()
    .refine((s) => s === undefined || s in SORTS, { error: `sort must be one of ${Object.keys(SORTS).join(', ')}` })
    .describe('createdAt, completedAt or cost; prefix with - for descending (default -createdAt)'),
});

/** Mindra's orchestration and executions: orchestrate, get, list, cancel, stream. */
export const executionRoutes = [
  defineRoute({
    method: 'POST',
    path: '/orchestrate',
    summary: 'Starts an execution: agents bid on the query, the winner runs it. Answers 202 at once; poll or stream the execution',
    document: MindraOrchestrateDocument,
    body: OrchestrateBodySchema,
    variables: ({ body, headers }) => ({ input: orchestrateInput(body, headers) }),
    result: ({ submitIntent }) => {
      const data = execution(submitIntent);
      return { status: 202, body: { executionId: data.executionId, status: data.status, data }, headers: { Location: `/v1/executions/${data.executionId}` } };
    },
    // 409 (a key still in use) and 422 (a key reused with another body) answer as 400 here (Mindra's foreignCodes).
    errors: [402],
    responses: {
      202: {
        description: 'Accepted; with the same X-Idempotency-Key and body within 24 hours, the same execution again',
        schema: z.object({ executionId: z.string(), status: z.enum(EXECUTION_STATUSES), data: ExecutionSchema }),
        headers: ['Location'],
      },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/executions/:id',
    summary: 'One execution: status, result, the winning agent, cost and timestamps',
    document: MindraExecutionDocument,
    params: IdParams,
    variables: idFromPath,
    result: ({ intent }) => ({ body: execution(intent) }),
    responses: { 200: { description: 'The execution', schema: ExecutionSchema } },
  }),
  defineRoute({
    method: 'POST',
    path: '/executions/:id/cancel',
    summary: 'Cancels an execution that has not finished',
    document: MindraCancelExecutionDocument,
    params: IdParams,
    variables: idFromPath,
    // A finished execution's cancel is Gavel's 409 CONFLICT, answered as Mindra's 400 INVALID_REQUEST.
    result: ({ cancelIntent }) => ({ body: execution(cancelIntent) }),
    responses: { 200: { description: 'The cancelled execution', schema: ExecutionSchema } },
  }),
  defineRoute({
    method: 'GET',
    path: '/executions/:id/stream',
    summary: "The execution's events as Server-Sent Events, resumable with Last-Event-ID or ?after=",
    document: MindraExecutionDocument,
    params: IdParams,
    query: z.object({
      after: integerQuery('after', 0, 0, 1_000_000_000).describe('Resume after this sequence number'),
      stream_token: z.string().optional().describe('In place of Authorization, for an EventSource'),
    }),
    variables: idFromPath,
    stream: {
      always: true,
      tokenIntent: ({ params }) => params.id,
      open: (_data, { params, query, headers }, { events }) => {
        const last = (headers.get('last-event-id') ?? '').trim();
        return events(params.id, /^\d{1,10}$/.test(last) ? Number(last) : query.after);
      },
    },
    responses: {},
  }),
  defineRoute({
    method: 'GET',
    path: '/executions',
    summary: 'Your executions, filtered, sorted and paginated',
    document: MindraExecutionsDocument,
    query: ListQuery,
    variables: ({ query }) => ({
      ...pageArgs(query),
      status: query.status ?? null,
      domain: query.vertical ?? null,
      createdAfter: query.startDate ?? null,
      createdBefore: query.endDate ?? null,
      orderBy: query.sort ? SORTS[query.sort]! : null,
    }),
    result: ({ intents }, { query }) => ({
      body: paginated(
        intents.edges.map((e) => execution(e.node)),
        intents.totalCount,
        query,
      ),
    }),
    responses: { 200: { description: 'A page of executions', schema: listOf(ExecutionSchema) } },
  }),
];
