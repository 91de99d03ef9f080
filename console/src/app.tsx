import { Provider } from '@urql/preact';
import { useEffect, useMemo } from 'preact/hooks';
import { createGavelClient } from './lib/client';
import { useKey } from './lib/session';
import { Shell } from './shell';
import { SignIn } from './pages/sign-in';

/** Signed out: the sign-in page. Signed in: one urql client for that key, and the shell. */
export function App() {
  const key = useKey();
  const gavel = useMemo(() => (key ? createGavelClient(key) : null), [key]);
  useEffect(() => () => gavel?.dispose(), [gavel]);
  if (!key || !gavel) return <SignIn />;
  return (
    <Provider value={gavel.client}>
      <Shell />
    </Provider>
  );
}
