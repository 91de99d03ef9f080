import { z } from 'zod/v4';

/**
 * A zod enum of a GraphQL enum's values (a generated union): the list must name every
 * value, so a value added to the schema fails the typecheck here, not a client later.
 */
export function graphqlEnum<T extends string>() {
  return <const V extends readonly [T, ...T[]]>(
    values: V & ([Exclude<T, V[number]>] extends [never] ? unknown : { missing: Exclude<T, V[number]> }),
    params?: { error?: string },
  ) => z.enum(values as V, params);
}
