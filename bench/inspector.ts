import WebSocket from 'ws';

/**
 * A gateway started with `--inspect=127.0.0.1:0` prints its DevTools address; the bench
 * and the soak read its memory through it, so the server needs no endpoint of its own
 * for that (the inspector listens on loopback only).
 */
export function inspectorUrl(output: string): string {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`the gateway did not open its inspector:\n${output}`);
  return url;
}

/** Sends DevTools commands in order on one connection and answers their results. */
async function devtools(inspector: string, commands: Array<{ method: string; params?: unknown }>): Promise<unknown[]> {
  const socket = new WebSocket(inspector);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const results: unknown[] = [];
  try {
    for (const [i, command] of commands.entries()) {
      results.push(
        await new Promise((resolve) => {
          const onMessage = (data: WebSocket.RawData) => {
            const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
            if (message.id !== i + 1) return;
            socket.off('message', onMessage);
            resolve(message.result);
          };
          socket.on('message', onMessage);
          socket.send(JSON.stringify({ id: i + 1, ...command }));
        }),
      );
    }
  } finally {
    socket.close();
  }
  return results;
}

/** A full, synchronous garbage collection in the gateway. */
export async function collectGarbage(inspector: string): Promise<void> {
  await devtools(inspector, [{ method: 'HeapProfiler.collectGarbage' }]);
}

/** Evaluates `expression` in the gateway's main context and answers its value (JSON-serialisable). */
export async function evaluate<T>(inspector: string, expression: string): Promise<T> {
  const [result] = (await devtools(inspector, [{ method: 'Runtime.evaluate', params: { expression, returnByValue: true } }])) as Array<{
    result: { value: T };
  }>;
  return result!.result.value;
}

/** The gateway's JavaScript heap in use, in bytes, right after a full garbage collection. */
export async function heapAfterGc(inspector: string): Promise<number> {
  await collectGarbage(inspector);
  return evaluate<number>(inspector, 'process.memoryUsage().heapUsed');
}

/** The gateway's open handles and requests, counted by kind (Node's getActiveResourcesInfo). */
export async function openHandles(inspector: string): Promise<Record<string, number>> {
  return evaluate(inspector, 'process.getActiveResourcesInfo().reduce((a, k) => (a[k] = (a[k] ?? 0) + 1, a), {})');
}
