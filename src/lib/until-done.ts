/**
 * Runs `undo` until it succeeds: at once, then in the background with a doubling delay
 * (1 s to 30 s) for up to `forMs`. For giving back what a request took (a wallet hold, a
 * quota slot) when the request then failed: the failure is often the database going
 * away, and the undo that runs in the same moment fails with it. Handwritten: the whole
 * need is these lines, and p-retry's attempts-based policy fits a time bound less well.
 * Never throws; `onGiveUp` hears of an undo that never succeeded.
 */
export async function untilDone(undo: () => Promise<void>, onGiveUp: (error: unknown) => void, forMs = 10 * 60_000): Promise<void> {
  try {
    return await undo();
  } catch (error) {
    const deadline = Date.now() + forMs;
    const retry = (delayMs: number, last: unknown) => {
      if (Date.now() + delayMs > deadline) return onGiveUp(last);
      setTimeout(() => {
        undo().catch((next: unknown) => retry(Math.min(delayMs * 2, 30_000), next));
      }, delayMs).unref();
    };
    retry(1_000, error);
  }
}
