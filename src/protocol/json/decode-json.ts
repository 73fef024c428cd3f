/**
 * The first step of an awsJson request: its body, the operation's input as one JSON object,
 * decoded strictly (RFC 8259) and within bounds. What JSON.parse would let through differently
 * from what a signature check, a log or another parser reads is refused rather than resolved:
 * repeated member names, text that is not UTF-8, escapes of lone surrogates, numbers beyond a
 * double's range.
 */
import { Buffer, isUtf8 } from 'node:buffer'
import { JSON_LIMITS } from './json-limits.js'
import { jsonProtocolError } from './json-service-error.js'
import type { JsonServiceError } from './json-service-error.js'

/** A JSON object as decoded: a record without a prototype, so any member name is only data. */
export type JsonObject = { readonly [member: string]: JsonValue }

/** A decoded JSON value. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject

function malformed(detail: string): JsonServiceError {
  return jsonProtocolError(
    'SerializationException',
    `The request body is not valid JSON: ${detail}.`,
  )
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

// A run of string characters that need no attention: not the quote, not a backslash, not a
// control character (which JSON allows only escaped).
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
const HEX4 = /^[0-9A-Fa-f]{4}$/
// A UTF-16 surrogate without its partner: what an escaped lone surrogate decodes to.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** A recursive-descent reader over the body's text; each read starts at `pos`. */
class Reader {
  pos = 0
  #values = 0

  constructor(
    private readonly text: string,
    private readonly limits: typeof JSON_LIMITS,
  ) {}

  skipSpace(): void {
    const text = this.text
    for (;;) {
      const ch = text.charCodeAt(this.pos)
      // RFC 8259 whitespace: space, tab, LF, CR; nothing else (no BOM, no NBSP).
      if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) this.pos++
      else return
    }
  }

  #where(): string {
    return `at offset ${this.pos}`
  }

  #count(): void {
    if (++this.#values > this.limits.maxValues) {
      throw jsonProtocolError(
        'SerializationException',
        `The request body has more than ${this.limits.maxValues} JSON values.`,
      )
    }
  }

  value(depth: number): JsonValue {
    this.skipSpace()
    this.#count()
    const ch = this.text[this.pos]
    switch (ch) {
      case '{':
        return this.#object(depth + 1)
      case '[':
        return this.#array(depth + 1)
      case '"':
        return this.string()
      case 't':
        return this.#literal('true', true)
      case 'f':
        return this.#literal('false', false)
      case 'n':
        return this.#literal('null', null)
      case undefined:
        throw malformed('it ends where a value should begin')
      default:
        return this.#number()
    }
  }

  #enter(depth: number): void {
    if (depth > this.limits.maxDepth) {
      throw jsonProtocolError(
        'SerializationException',
        `The request body nests objects and arrays more than ${this.limits.maxDepth} deep.`,
      )
    }
    this.pos++
  }

  #object(depth: number): JsonObject {
    this.#enter(depth)
    const object = Object.create(null) as Record<string, JsonValue>
    this.skipSpace()
    if (this.text[this.pos] === '}') {
      this.pos++
      return object
    }
    for (;;) {
      this.skipSpace()
      if (this.text[this.pos] !== '"') throw malformed(`a member name is expected ${this.#where()}`)
      const name = this.string()
      // SECURITY: a repeated name is refused, not resolved: JSON.parse keeps the last copy,
      // other parsers the first, and the log, the audit record and the handler must all read the
      // same request.
      if (Object.hasOwn(object, name)) {
        throw malformed(`the member name ${JSON.stringify(name)} appears twice in one object`)
      }
      this.skipSpace()
      if (this.text[this.pos] !== ':') throw malformed(`':' is expected ${this.#where()}`)
      this.pos++
      object[name] = this.value(depth)
      this.skipSpace()
      const next = this.text[this.pos]
      this.pos++
      if (next === '}') return object
      if (next !== ',') {
        this.pos--
        throw malformed(`',' or '}' is expected ${this.#where()}`)
      }
    }
  }

  #array(depth: number): JsonValue[] {
    this.#enter(depth)
    const array: JsonValue[] = []
    this.skipSpace()
    if (this.text[this.pos] === ']') {
      this.pos++
      return array
    }
    for (;;) {
      array.push(this.value(depth))
      this.skipSpace()
      const next = this.text[this.pos]
      this.pos++
      if (next === ']') return array
      if (next !== ',') {
        this.pos--
        throw malformed(`',' or ']' is expected ${this.#where()}`)
      }
    }
  }

  string(): string {
    const text = this.text
    this.pos++ // the opening quote
    let out = ''
    for (;;) {
      PLAIN_RUN.lastIndex = this.pos
      PLAIN_RUN.exec(text)
      out += text.slice(this.pos, PLAIN_RUN.lastIndex)
      this.pos = PLAIN_RUN.lastIndex
      const ch = text[this.pos]
      if (ch === '"') {
        this.pos++
        break
      }
      if (ch === undefined) throw malformed('a string is not closed')
      if (ch !== '\\') throw malformed(`a control character is not escaped ${this.#where()}`)
      const escape = text[this.pos + 1]
      if (escape === 'u') {
        const hex = text.slice(this.pos + 2, this.pos + 6)
        if (!HEX4.test(hex))
          throw malformed(`'\\u' is not followed by four hex digits ${this.#where()}`)
        out += String.fromCharCode(parseInt(hex, 16))
        this.pos += 6
      } else {
        const decoded = escape === undefined ? undefined : ESCAPES[escape]
        if (decoded === undefined)
          throw malformed(`a string has an invalid escape ${this.#where()}`)
        out += decoded
        this.pos += 2
      }
    }
    // SECURITY: `\ud800` alone is valid JSON syntax but not text; it would reach the store and the
    // trail as a string that no UTF-8 encoder can write back faithfully.
    if (LONE_SURROGATE.test(out)) throw malformed('a string escapes a lone UTF-16 surrogate')
    return out
  }

  #literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos))
      throw malformed(`an unknown literal ${this.#where()}`)
    this.pos += word.length
    return value
  }

  #number(): number {
    NUMBER.lastIndex = this.pos
    const match = NUMBER.exec(this.text)
    if (match === null || match[0] === '' || match[0] === '-') {
      throw malformed(`an unexpected character ${this.#where()}`)
    }
    const value = Number(match[0])
    // 1e400 is valid JSON, but no double holds it: refused rather than read as Infinity.
    if (!Number.isFinite(value)) throw malformed(`a number is out of range ${this.#where()}`)
    this.pos += match[0].length
    return value
  }
}

/**
 * Decodes an awsJson request body into the operation's input object. An empty body is the empty
 * input (`{}`), as clients send for an operation called without members; anything else must be
 * one JSON object. Throws SerializationException for a body that is not UTF-8, not JSON, not an
 * object, or beyond the limits.
 */
export function decodeJson(body: Uint8Array, limits: typeof JSON_LIMITS = JSON_LIMITS): JsonObject {
  if (body.byteLength > limits.maxBytes) {
    throw jsonProtocolError(
      'SerializationException',
      `The request body is larger than ${limits.maxBytes} bytes.`,
    )
  }
  if (body.byteLength === 0) return Object.create(null) as JsonObject
  // SECURITY: invalid UTF-8 is refused rather than replaced with U+FFFD, so that two different
  // byte strings never decode to the same input.
  if (!isUtf8(body)) throw malformed('it is not UTF-8')
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
  const reader = new Reader(text, limits)
  reader.skipSpace()
  if (text[reader.pos] !== '{') {
    throw jsonProtocolError('SerializationException', 'The request body must be a JSON object.')
  }
  const value = reader.value(0)
  reader.skipSpace()
  if (reader.pos !== text.length)
    throw malformed(`there is more after the object, at offset ${reader.pos}`)
  return value as JsonObject
}
