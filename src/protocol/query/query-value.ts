/** The TypeScript type of what read-params returns for a shape, so handlers need no casts. */

type Flatten<T> = { -readonly [K in keyof T]: T[K] }

type RequiredKeys<Ms> = {
  [K in keyof Ms]: Ms[K] extends { readonly required: true } ? K : never
}[keyof Ms]

type StructureValue<Ms> = Flatten<
  { [K in RequiredKeys<Ms>]: QueryValue<Ms[K]> } & {
    [K in Exclude<keyof Ms, RequiredKeys<Ms>>]?: QueryValue<Ms[K]>
  }
>

/**
 * The value read for a shape written `as const`: a string (or its enum's union), number,
 * boolean, Date, array, Map, or an object whose optional members may be absent.
 */
export type QueryValue<S> = S extends {
  readonly kind: 'string'
  readonly enum: readonly (infer E)[]
}
  ? E
  : S extends { readonly kind: 'string' }
    ? string
    : S extends { readonly kind: 'integer' }
      ? number
      : S extends { readonly kind: 'boolean' }
        ? boolean
        : S extends { readonly kind: 'timestamp' }
          ? Date
          : S extends { readonly kind: 'list'; readonly member: infer M }
            ? QueryValue<M>[]
            : S extends { readonly kind: 'map'; readonly value: infer V }
              ? Map<string, QueryValue<V>>
              : S extends { readonly kind: 'structure'; readonly members: infer Ms }
                ? StructureValue<Ms>
                : never
