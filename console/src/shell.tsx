import { useQuery, useSubscription } from '@urql/preact';
import { useEffect } from 'preact/hooks';
import { errorCode, errorMessage } from './lib/client';
import { can, MeContext, MeDocument, MeWatchDocument, type Me } from './lib/me';
import { Link, navigate, useLocation } from './lib/router';
import { signOut } from './lib/session';
import { AuctionPage } from './pages/auction';
import { IntentsPage } from './pages/intents';
import { IntentPage } from './pages/intent';
import { BidFeedPage } from './pages/bid-feed';
import { AgentsPage } from './pages/agents';
import { StatsPage } from './pages/stats';
import { AccountPage } from './pages/account';

/**
 * A revoked key is noticed by the MeWatch subscription (it ends with UNAUTHORIZED within
 * about 2 s). The slow poll is a fallback for a WebSocket that cannot connect; it costs
 * a Free key (60 requests a minute) 2 of them.
 */
const ME_POLL_MS = 30_000;

interface Section {
  path: string;
  label: string;
  allowed: (me: Me) => boolean;
}

const SECTIONS: Section[] = [
  { path: '/', label: 'Live auction', allowed: (me) => can(me, 'intent_submit') },
  { path: '/intents', label: 'Intents', allowed: (me) => can(me, 'intent_read') },
  { path: '/bids', label: 'Bid feed', allowed: (me) => can(me, 'intent_read') },
  { path: '/agents', label: 'Agents', allowed: () => true },
  { path: '/stats', label: 'Stats', allowed: () => true },
  { path: '/account', label: 'Account', allowed: (me) => can(me, 'full_access') },
];

export function Shell() {
  const [me, reexecute] = useQuery({ query: MeDocument, requestPolicy: 'network-only' });
  useEffect(() => {
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), ME_POLL_MS);
    return () => clearInterval(timer);
  }, [reexecute]);
  const [watch] = useSubscription({ query: MeWatchDocument });
  const code = errorCode(me.error) ?? (errorCode(watch.error) === 'UNAUTHORIZED' ? 'UNAUTHORIZED' : null);
  useEffect(() => {
    if (code === 'UNAUTHORIZED') signOut('This key is no longer valid (revoked, expired or unknown): you were signed out.');
  }, [code]);
  const { path } = useLocation();

  if (!me.data) {
    if (me.error && code !== 'UNAUTHORIZED')
      return (
        <p role="alert" class="error page">
          Cannot reach Gavel: {errorMessage(me.error)}
        </p>
      );
    return <p class="page muted">Signing in…</p>;
  }
  const who = me.data.me;
  const sections = SECTIONS.filter((s) => s.allowed(who));
  const section = sections.find((s) => (s.path === '/' ? path === '/' || path.startsWith('/auction') : path.startsWith(s.path)));
  // A key that may not submit lands on the first page it may open.
  if (path === '/' && !section && sections[0]) queueMicrotask(() => navigate(sections[0]!.path, true));
  return (
    <MeContext.Provider value={who}>
      <header class="top">
        <span class="brand">Gavel</span>
        <nav aria-label="Sections">
          {sections.map((s) => (
            <Link key={s.path} to={s.path} aria-current={s === section ? 'page' : undefined}>
              {s.label}
            </Link>
          ))}
        </nav>
        <div class="who" aria-label="Signed in as">
          <span data-testid="tenant">{who.tenant}</span>
          <span class="badge" data-testid="tier">
            {who.tier}
          </span>
          {who.sandbox && <span class="badge warn">sandbox</span>}
          <span class="scopes" data-testid="scopes">
            {who.scopes.join(', ')}
          </span>
          <button type="button" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main class="page">{section ? <Page path={path} /> : <p>This key may not open this page. Choose a section above.</p>}</main>
    </MeContext.Provider>
  );
}

function Page({ path }: { path: string }) {
  const intent = /^\/intents\/([^/]+)$/.exec(path);
  if (intent) return <IntentPage id={decodeURIComponent(intent[1]!)} />;
  const auction = /^\/auction\/([^/]+)$/.exec(path);
  if (path === '/' || auction) return <AuctionPage id={auction ? decodeURIComponent(auction[1]!) : null} />;
  if (path === '/intents') return <IntentsPage />;
  if (path === '/bids') return <BidFeedPage />;
  if (path === '/agents') return <AgentsPage />;
  if (path === '/stats') return <StatsPage />;
  if (path === '/account') return <AccountPage />;
  return <p>Nothing here.</p>;
}
