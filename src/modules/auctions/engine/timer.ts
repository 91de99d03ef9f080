/**
 * Schedules `fn` after `ms` and returns its cancel. Injected so that tests (and any
 * caller with its own scheduler) decide when deadlines fire; the engine never reads
 * the wall clock itself.
 */
export type SetTimer = (fn: () => void, ms: number) => () => void;

/** The default: Node's timers. */
export const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};
