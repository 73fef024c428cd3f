/** What an operation's handler returns for encode-xml to send. */

/**
 * A result value: strings, numbers, booleans and Dates are scalars; arrays are lists (each item
 * a `<member>`); Maps are maps (`<entry><key/><value/></entry>`); other objects are structures,
 * whose undefined members are left out. Declare result types with `type`, not `interface`: an
 * interface has no index signature, so TypeScript will not take it for a structure here.
 */
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | readonly XmlValue[]
  | ReadonlyMap<string, XmlValue>
  | { readonly [member: string]: XmlValue | undefined }
