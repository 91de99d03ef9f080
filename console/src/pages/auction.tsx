import { useMutation } from '@urql/preact';
import { useState } from 'preact/hooks';
import { AuctionView } from '../auction/auction-view';
import { useLiveEvents } from '../auction/live';
import { Receipt } from '../auction/receipt';
import { fold, isFinal } from '../auction/state';
import { graphql } from '../gql';
import type { AuctionTier } from '../gql/graphql';
import { errorCode, errorMessage } from '../lib/client';
import { useMe } from '../lib/me';
import { Link, navigate } from '../lib/router';
import { ErrorNotice } from '../ui/error-notice';

const SubmitDocument = graphql(`
  mutation SubmitIntent($input: SubmitIntentInput!) {
    submitIntent(input: $input) {
      id
      status
    }
  }
`);

export const DOMAINS = [
  '',
  'analysis',
  'data',
  'design',
  'devops',
  'ecommerce',
  'engineering',
  'finance',
  'legal',
  'research',
  'security',
  'support',
  'writing',
];

/** Type an intent, submit it, and watch its auction; /auction/:id follows one (and survives a reload). */
export function AuctionPage({ id }: { id: string | null }) {
  return (
    <>
      <h1>Live auction</h1>
      <IntentForm />
      {id && <LiveAuction key={id} id={id} />}
    </>
  );
}

function IntentForm() {
  const me = useMe();
  const [text, setText] = useState('');
  const [domain, setDomain] = useState('');
  const [tier, setTier] = useState<AuctionTier>('standard');
  const [submitted, submit] = useMutation(SubmitDocument);
  const shieldAllowed = me.tier !== 'free';
  return (
    <form
      class="card intent-form"
      onSubmit={async (event) => {
        event.preventDefault();
        const res = await submit({ input: { text, domain: domain || undefined, auctionTier: tier } });
        if (res.data) navigate(`/auction/${res.data.submitIntent.id}`);
      }}
    >
      <label for="intent-text">Intent</label>
      <textarea
        id="intent-text"
        name="text"
        rows={3}
        maxLength={8000}
        required
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        placeholder="What is 17% of 2,340?"
      />
      <div class="row">
        <label>
          Domain
          <select name="domain" value={domain} onChange={(e) => setDomain(e.currentTarget.value)}>
            {DOMAINS.map((d) => (
              <option key={d} value={d}>
                {d || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tier
          <select name="tier" value={tier} onChange={(e) => setTier(e.currentTarget.value as AuctionTier)}>
            <option value="standard">standard</option>
            <option value="shield" disabled={!shieldAllowed}>
              shield{shieldAllowed ? '' : ' (Pro and up)'}
            </option>
          </select>
        </label>
        <button type="submit" class="primary" disabled={submitted.fetching || !text.trim()}>
          {submitted.fetching ? 'Submitting…' : 'Submit'}
        </button>
      </div>
      {submitted.error && <ErrorNotice code={errorCode(submitted.error)} message={errorMessage(submitted.error)} />}
    </form>
  );
}

function LiveAuction({ id }: { id: string }) {
  const { events, error, done } = useLiveEvents(id);
  const state = fold(events);
  return (
    <>
      <p class="muted">
        Intent <Link to={`/intents/${id}`}>#{id}</Link>
        {state.text ? `: ${state.text}` : ''}
      </p>
      {error && <p class="notice error">Event stream: {error}</p>}
      <AuctionView state={state} />
      {(done || isFinal(state.phase)) && <Receipt id={id} />}
    </>
  );
}
