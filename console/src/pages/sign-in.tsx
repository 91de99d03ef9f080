import { useState } from 'preact/hooks';
import { signIn, signOutNotice } from '../lib/session';

/**
 * Paste a key. It is checked with one `me` query before it is kept (in sessionStorage
 * only), so a mistyped key says so here rather than after the shell opens.
 */
export function SignIn() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = signOutNotice();
  return (
    <main class="page sign-in">
      <h1>Gavel console</h1>
      <form
        class="card"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const res = await fetch('/graphql', {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${key.trim()}` },
              body: JSON.stringify({ query: '{ me { tenant } }' }),
            });
            const body = (await res.json()) as { data?: unknown; errors?: Array<{ message: string }> };
            if (body.errors?.length) setError(body.errors[0]!.message);
            else signIn(key);
          } catch (e) {
            setError(`Cannot reach Gavel: ${(e as Error).message}`);
          } finally {
            setBusy(false);
          }
        }}
      >
        {notice && (
          <p class="notice warn" role="status">
            {notice}
          </p>
        )}
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          placeholder="gvl_live_…"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        <p class="muted">The key is kept in this tab only (sessionStorage) and sent in the Authorization header; never in a URL or cookie.</p>
        <button type="submit" class="primary" disabled={busy || !key.trim()}>
          Sign in
        </button>
        {error && (
          <p class="notice error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
