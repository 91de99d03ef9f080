import { print, type DocumentNode, type ExecutionArgs, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { GavelContext } from '../graphql/context.js';

/** Subscription fields whose stream is the same for everyone who asks alike: no per-subscriber replay. */
const SHAREABLE_FIELDS = new Set(['bidFeed']);

type Subscribe = (args: ExecutionArgs) => Promise<AsyncIterable<ExecutionResult> | ExecutionResult> | AsyncIterable<ExecutionResult> | ExecutionResult;

/**
 * Where a WebSocket subscriber's frames go, passed in `rootValue.outlet`: its operation
 * id and its socket's send. With one, a broadcast writes each subscriber's `next` frame
 * itself (the result serialised once, the id spliced in) instead of queueing the result
 * for graphql-ws to await, wrap and serialise once per subscriber.
 */
export interface Outlet {
  id: string;
  send: (frame: string) => void;
}

type Listener = (result: ExecutionResult, json: string) => void;

interface Broadcast {
  listeners: Set<Listener>;
  enders: Set<(error?: unknown) => void>;
  stop: () => void;
}

/**
 * Fan-out that scales: subscribers of the same shape (same key, document, variables)
 * share one upstream subscription, so each published event is executed once per shape
 * and the same result object goes to every one of them. Streams that start with a
 * per-subscriber replay (intentEvents) are not shared.
 */
export function sharedSubscribe(subscribe: Subscribe): Subscribe {
  const printed = new WeakMap<DocumentNode, string>();
  const broadcasts = new Map<string, Broadcast>();

  return async (args) => {
    const field = rootField(args.document, args.operationName);
    const auth = (args.contextValue as GavelContext | undefined)?.auth;
    if (!field || !SHAREABLE_FIELDS.has(field) || !auth) return subscribe(args);
    let text = printed.get(args.document);
    if (text === undefined) printed.set(args.document, (text = print(args.document)));
    const key = `${auth.keyId}\n${args.operationName ?? ''}\n${text}\n${JSON.stringify(args.variableValues ?? {})}`;

    let broadcast = broadcasts.get(key);
    if (!broadcast) {
      const upstream = await subscribe(args);
      if (!isAsyncIterable(upstream)) return upstream; // an error result: nothing to share
      const iterator = upstream[Symbol.asyncIterator]();
      const created: Broadcast = {
        listeners: new Set(),
        enders: new Set(),
        stop: () => {
          broadcasts.delete(key);
          void iterator.return?.();
        },
      };
      broadcast = created;
      broadcasts.set(key, created);
      void (async () => {
        let failure: unknown;
        try {
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
            const json = JSON.stringify(next.value);
            for (const listener of created.listeners) listener(next.value, json);
          }
        } catch (error) {
          failure = error; // e.g. the key was revoked: every subscriber of the shape ends with it
        } finally {
          broadcasts.delete(key);
          for (const end of created.enders) end(failure);
        }
      })();
    }
    const shared = broadcast;
    const outlet = (args.rootValue as { outlet?: Outlet } | undefined)?.outlet;
    const detach = (listener: Listener, end: (error?: unknown) => void) => {
      shared.listeners.delete(listener);
      shared.enders.delete(end);
      if (shared.listeners.size === 0) shared.stop();
    };
    if (outlet) {
      // Frames go straight to the socket; graphql-ws only sees the stream end.
      const prefix = `{"id":${JSON.stringify(outlet.id)},"type":"next","payload":`;
      const send: Listener = (_result, json) => outlet.send(`${prefix}${json}}`);
      const ending = untilEnded(() => detach(send, ending.end));
      shared.listeners.add(send);
      shared.enders.add(ending.end);
      return ending.iterator;
    }
    const queue = pushQueue<ExecutionResult>(() => detach(queue.push, queue.end));
    shared.listeners.add(queue.push);
    shared.enders.add(queue.end);
    return queue.iterator;
  };
}

/** An iterator that yields nothing and settles when the stream ends (or fails). */
function untilEnded(onClose: () => void) {
  let settle: ((r: IteratorResult<ExecutionResult>) => void) | null = null;
  let fail: ((e: unknown) => void) | null = null;
  const ended = new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  ended.catch(() => {}); // observed through next(); never an unhandled rejection
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => ended,
    return() {
      close();
      settle!({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return {
    iterator,
    end(error?: unknown) {
      if (error !== undefined) fail!(error);
      else settle!({ value: undefined, done: true });
      close();
    },
  };
}

/**
 * A minimal push-to-pull async iterator: one array and one pending resolver. Fan-out
 * calls `push` once per subscriber per event, so this is the per-subscriber cost that
 * matters (a general-purpose Repeater does several promise hops per value).
 */
function pushQueue<T>(onClose: () => void) {
  const buffered: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let failWaiting: ((e: unknown) => void) | null = null;
  let ended = false;
  let failure: unknown;
  const close = () => {
    if (ended) return;
    ended = true;
    onClose();
  };
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (buffered.length > 0) return Promise.resolve({ value: buffered.shift()!, done: false });
      if (ended) return failure !== undefined ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
    return() {
      close();
      buffered.length = 0;
      waiting?.({ value: undefined, done: true });
      waiting = null;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return {
    iterator,
    push(value: T) {
      if (ended) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value, done: false });
      } else buffered.push(value);
    },
    end(error?: unknown) {
      failure = error;
      if (waiting) {
        if (error !== undefined) failWaiting!(error);
        else waiting({ value: undefined, done: true });
        waiting = null;
      }
      close();
    },
  };
}

function rootField(document: DocumentNode, operationName: string | null | undefined): string | null {
  const op = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && (!operationName || d.name?.value === operationName),
  );
  if (!op || op.operation !== 'subscription' || op.selectionSet.selections.length !== 1) return null;
  const selection = op.selectionSet.selections[0]!;
  return selection.kind === 'Field' ? selection.name.value : null;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
