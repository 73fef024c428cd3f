/** The values a CloudTrail record is made of: what JSON.stringify writes back unchanged. */

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonArray | JsonObject

/** A JSON array. */
export type JsonArray = readonly JsonValue[]

/** A JSON object. */
export type JsonObject = { readonly [member: string]: JsonValue }
