import { useEffect, useState } from 'preact/hooks';

/**
 * The signed-in key. It lives in sessionStorage only (gone with the tab; never in a URL
 * or a cookie, so nothing sends it but our own Authorization header and graphql-ws
 * connectionParams).
 */
const KEY = 'gavel.key';
const NOTICE = 'gavel.signout-notice';
const listeners = new Set<() => void>();

export function currentKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function signIn(key: string): void {
  sessionStorage.setItem(KEY, key.trim());
  sessionStorage.removeItem(NOTICE);
  listeners.forEach((l) => l());
}

/** Signs out; `notice` is shown on the sign-in page (e.g. "This key was revoked"). */
export function signOut(notice?: string): void {
  sessionStorage.removeItem(KEY);
  if (notice) sessionStorage.setItem(NOTICE, notice);
  listeners.forEach((l) => l());
}

export function signOutNotice(): string | null {
  return sessionStorage.getItem(NOTICE);
}

export function useKey(): string | null {
  const [key, setKey] = useState(currentKey);
  useEffect(() => {
    const update = () => setKey(currentKey());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return key;
}
