import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { graphql } from '../gql';
import type { MeQuery } from '../gql/graphql';

export const MeDocument = graphql(`
  query Me {
    me {
      keyId
      tenant
      tier
      scopes
      keyPrefix
      operator
      sandbox
    }
  }
`);

/** Ends with UNAUTHORIZED within about 2 s of the key's revocation: the shell signs out then. */
export const MeWatchDocument = graphql(`
  subscription MeWatch {
    me {
      keyId
    }
  }
`);

export type Me = MeQuery['me'];
export type Scope = Me['scopes'][number];

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in shell');
  return me;
}

/** What the key may do: full_access includes every scope. */
export function can(me: Me, scope: Scope): boolean {
  return me.scopes.includes('full_access') || me.scopes.includes(scope);
}
