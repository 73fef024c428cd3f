/**
 * The last step of a successful awsJson request: the handler's result as the JSON body. Dates are
 * timestamps in the awsJson protocols' default format, epoch seconds as a JSON number (Smithy
 * awsJson1_1, "timestamps ... epoch-seconds"; CloudTrail's LookupEvents sends EventTime so), which
 * @aws-sdk/client-cloudtrail reads with parseEpochTimestamp and botocore with its
 * unix-timestamp parser.
 */

/**
 * A result value: strings, finite numbers, booleans and Dates are scalars; arrays are lists;
 * other objects are structures, whose undefined members are left out. Declare result types
 * with `type`, not `interface`, so that TypeScript takes them for structures here.
 */
export type JsonOutput =
  | string
  | number
  | boolean
  | Date
  | readonly JsonOutput[]
  | { readonly [member: string]: JsonOutput | undefined }

/** A structure result: an operation's output members. */
export type JsonOutputObject = { readonly [member: string]: JsonOutput | undefined }

function wire(value: JsonOutput, path: string): unknown {
  if (value instanceof Date) {
    const ms = value.getTime()
    if (Number.isNaN(ms)) throw new RangeError(`encodeJson: ${path} is an invalid Date`)
    // Milliseconds kept as a fraction: the clients read fractional epoch seconds.
    return ms / 1000
  }
  if (Array.isArray(value)) {
    return (value as readonly JsonOutput[]).map((item, i) => wire(item, `${path}[${i}]`))
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      // JSON has no NaN or Infinity: JSON.stringify would send null for a member a client
      // believes is a number.
      if (!Number.isFinite(value)) throw new RangeError(`encodeJson: ${path} is ${value}`)
      return value
    case 'object': {
      if (value === null) throw new TypeError(`encodeJson: ${path} is null`)
      // No prototype: a member named __proto__ stays a member.
      const out = Object.create(null) as Record<string, unknown>
      for (const [member, item] of Object.entries(value as JsonOutputObject)) {
        if (item !== undefined) out[member] = wire(item, path === '' ? member : `${path}.${member}`)
      }
      return out
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      // Plain JavaScript can still pass these.
      throw new TypeError(`encodeJson: ${path} is a ${typeof value}`)
  }
}

/** Encodes an operation's result as its awsJson response body. */
export function encodeJson(result: JsonOutputObject): string {
  return JSON.stringify(wire(result, ''))
}
