/**
 * Collects items added within one turn of the event loop (or `delayMs`) and flushes
 * them together, in order, one flush at a time. Bids that arrive together are stored
 * with one INSERT; a streaming LLM's tokens become a few chunk events, not hundreds.
 */
export function createBatcher<T>(flush: (items: T[]) => Promise<void>, delayMs = 0) {
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;

  const run = () => {
    timer = null;
    const items = pending;
    pending = [];
    if (items.length === 0) return chain;
    chain = chain
      .then(() => flush(items))
      .catch((error: unknown) => {
        failure ??= error;
      });
    return chain;
  };

  return {
    add(item: T) {
      pending.push(item);
      timer ??= setTimeout(run, delayMs);
    },
    /**
     * Waits for flushes under way, then hands back what is still pending instead of
     * flushing it, so the caller can write it together with something else.
     */
    async take(): Promise<T[]> {
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
      if (failure) throw failure;
      const items = pending;
      pending = [];
      return items;
    },
    /** Flushes what is pending and waits for every flush; rethrows the first failure. */
    async drain() {
      if (timer) clearTimeout(timer);
      await run();
      if (failure) throw failure;
    },
  };
}
