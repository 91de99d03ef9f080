import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** A small history-API router: paths under /console, links that do not reload the page. */
const BASE = '/console';
const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

/** The path inside the console, e.g. "/intents/12" ("/" for /console itself), and its query. */
export function location(): { path: string; query: URLSearchParams } {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return { path: path === '' ? '/' : path, query: new URLSearchParams(window.location.search) };
}

export function navigate(to: string, replace = false): void {
  const url = BASE + (to === '/' ? '' : to);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((l) => l());
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return location();
}

export function Link(props: { to: string; class?: string; children: ComponentChildren; 'aria-current'?: 'page' | undefined }) {
  return (
    <a
      href={BASE + (props.to === '/' ? '' : props.to)}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
