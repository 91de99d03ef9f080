import { useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { graphql } from '../gql';
import type { Scope, Tier } from '../gql/graphql';
import { errorCode, errorMessage } from '../lib/client';
import { useMe } from '../lib/me';
import { ErrorNotice } from '../ui/error-notice';

const KeysDocument = graphql(`
  query ApiKeys {
    apiKeys {
      id
      name
      prefix
      tenant
      scopes
      sandbox
      createdAt
      lastUsedAt
      revokedAt
    }
  }
`);

const CreateKeyDocument = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      key
      apiKey {
        id
        prefix
        tenant
      }
    }
  }
`);

const RevokeKeyDocument = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

const SCOPES: Scope[] = ['intent_submit', 'intent_read', 'analytics_read', 'full_access'];

export function KeysSection() {
  const [keys, refetch] = useQuery({ query: KeysDocument, requestPolicy: 'cache-and-network' });
  const [, revoke] = useMutation(RevokeKeyDocument);
  const me = useMe();
  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <CreateKey onCreated={() => refetch({ requestPolicy: 'network-only' })} />
      {keys.error && <p class="notice error">{errorMessage(keys.error)}</p>}
      <div class="table-wrap">
        <table class="list" data-testid="keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scopes</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {(keys.data?.apiKeys ?? []).map((k) => (
              <tr key={k.id} data-key-id={k.id}>
                <td>
                  {k.name}
                  {k.id === me.keyId && <span class="badge">this key</span>}
                </td>
                <td>
                  <code>{k.prefix}…</code>
                  {k.sandbox && <span class="badge warn">test</span>}
                </td>
                <td>{k.scopes.join(', ')}</td>
                <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</td>
                <td>
                  {k.revokedAt ? (
                    <span class="badge bad">revoked</span>
                  ) : (
                    <button
                      type="button"
                      aria-label={`Revoke ${k.name} (${k.prefix})`}
                      onClick={() =>
                        confirm(`Revoke ${k.name}? It stops working at once${k.id === me.keyId ? ', and signs this console out' : ''}.`) && revoke({ id: k.id })
                      }
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const me = useMe();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['intent_submit', 'intent_read']);
  const [sandbox, setSandbox] = useState(false);
  const [tenant, setTenant] = useState('');
  const [tier, setTier] = useState<Tier>('free');
  const [created, create] = useMutation(CreateKeyDocument);
  const [copied, setCopied] = useState(false);
  return (
    <form
      class="create-key"
      onSubmit={async (event) => {
        event.preventDefault();
        setCopied(false);
        const input = { name: name || undefined, scopes, sandbox, ...(me.operator && tenant ? { tenant, tier } : {}) };
        const res = await create({ input });
        if (res.data) onCreated();
      }}
    >
      <fieldset>
        <legend>New key</legend>
        <div class="row">
          <label>
            Name
            <input value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="ci-bot" />
          </label>
          {me.operator && (
            <>
              <label>
                Tenant (new or existing)
                <input value={tenant} onInput={(e) => setTenant(e.currentTarget.value)} placeholder={`${me.tenant} (this one)`} />
              </label>
              <label>
                Tier
                <select value={tier} onChange={(e) => setTier(e.currentTarget.value as Tier)} disabled={!tenant}>
                  <option value="free">free</option>
                  <option value="pro">pro</option>
                  <option value="enterprise">enterprise</option>
                </select>
              </label>
            </>
          )}
        </div>
        <div class="row">
          {SCOPES.map((s) => (
            <label key={s} class="check">
              <input
                type="checkbox"
                checked={scopes.includes(s)}
                onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
              />
              {s}
            </label>
          ))}
          <label class="check">
            <input type="checkbox" checked={sandbox} onChange={(e) => setSandbox(e.currentTarget.checked)} />
            sandbox (gvl_test_)
          </label>
          <button type="submit" class="primary" disabled={created.fetching || scopes.length === 0}>
            Create key
          </button>
        </div>
      </fieldset>
      {created.error && <ErrorNotice code={errorCode(created.error)} message={errorMessage(created.error)} />}
      {created.data && (
        <div class="notice ok" role="status" data-testid="new-key">
          <p>
            Key for <strong>{created.data.createApiKey.apiKey.tenant}</strong>. It is shown this once: copy it now.
          </p>
          <div class="row">
            <code class="secret" data-testid="new-key-value">
              {created.data.createApiKey.key}
            </code>
            <button
              type="button"
              onClick={async () => {
                await navigator.clipboard.writeText(created.data!.createApiKey.key);
                setCopied(true);
              }}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
