/**
 * The account properties IAM defines, by namespace: what values each takes and what it reads
 * before an account sets it. AWS documents one namespace and one property so far: RoleManager/
 * Enabled, "true" to enable role manager and "false" to disable it, disabled by default for
 * most accounts (IAM User Guide, "Create roles automatically with role manager"; API reference,
 * PutAccountProperties: "boolean properties expect true or false").
 */

/** What a property's values must be. */
export type AccountPropertyType = 'boolean'

/** One property of a namespace. */
export interface AccountPropertySpec {
  readonly type: AccountPropertyType
  /** What GetAccountProperties reads for an account that has not set the property. */
  readonly defaultValue: string
}

/** The namespaces, each with its properties by name. Names are matched with their case. */
export const ACCOUNT_PROPERTY_CATALOG: ReadonlyMap<
  string,
  ReadonlyMap<string, AccountPropertySpec>
> = new Map([
  [
    'RoleManager',
    new Map([
      // "For most AWS accounts, role manager is disabled by default." The accounts AWS enables
      // it for (made through its "new AWS experience") have no counterpart in Gatehouse.
      ['Enabled', { type: 'boolean', defaultValue: 'false' }],
    ]),
  ],
])

/** Whether `value` is one the type takes: exactly `true` or `false` for a boolean. */
export function fitsPropertyType(type: AccountPropertyType, value: string): boolean {
  switch (type) {
    case 'boolean':
      return value === 'true' || value === 'false'
  }
}
