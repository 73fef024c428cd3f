/**
 * The description of an operation's input that read-params follows: the model's shapes and
 * constraints (botocore's `service-2.json`), written as data.
 */

interface Member {
  /** Only for a member of a structure: a request without it fails ("Member must not be null"). */
  readonly required?: boolean
}

interface StringShape extends Member {
  readonly kind: 'string'
  /** Length bounds in UTF-16 code units, as AWS counts (Java's String.length()). */
  readonly min?: number
  readonly max?: number
  /** The model's pattern, matched against the whole value (see queryPattern). */
  readonly pattern?: { readonly text: string; readonly regex: RegExp }
  /** The model's enum: the only values accepted. */
  readonly enum?: readonly string[]
  /** A secret (a password, a private key): its value never appears in an error message. */
  readonly sensitive?: boolean
}

interface IntegerShape extends Member {
  readonly kind: 'integer'
  readonly min?: number
  readonly max?: number
}

interface BooleanShape extends Member {
  readonly kind: 'boolean'
}

interface TimestampShape extends Member {
  readonly kind: 'timestamp'
}

interface ListShape extends Member {
  readonly kind: 'list'
  readonly member: QueryShape
  /** Bounds on the number of members. */
  readonly min?: number
  readonly max?: number
}

interface MapShape extends Member {
  readonly kind: 'map'
  readonly key: StringShape
  readonly value: QueryShape
  /** Bounds on the number of entries. */
  readonly min?: number
  readonly max?: number
}

interface StructureShape extends Member {
  readonly kind: 'structure'
  /** The members by their wire names (`UserName`), in the order errors are reported. */
  readonly members: { readonly [name: string]: QueryShape }
}

/** One shape of an operation's input: a scalar, a list, a map or a structure. */
export type QueryShape =
  StringShape | IntegerShape | BooleanShape | TimestampShape | ListShape | MapShape | StructureShape
