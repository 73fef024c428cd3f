/**
 * A strict JSON reader that keeps what JSON.parse throws away: where each value stands in the
 * text, and object keys that occur twice (AWS rejects a policy with a repeated element).
 * It is iterative in spirit and bounded in depth, so hostile input cannot exhaust the stack.
 */

/** Where a value starts in the policy text (1-based line and column). */
export interface TextPosition {
  readonly line: number
  readonly column: number
}

/** A JSON value with its position. Objects keep their members in order, duplicates included. */
export type JsonNode =
  | {
      readonly type: 'object'
      readonly members: readonly JsonMember[]
      readonly pos?: TextPosition
    }
  | { readonly type: 'array'; readonly items: readonly JsonNode[]; readonly pos?: TextPosition }
  | { readonly type: 'string'; readonly value: string; readonly pos?: TextPosition }
  | { readonly type: 'number'; readonly value: string; readonly pos?: TextPosition }
  | { readonly type: 'boolean'; readonly value: boolean; readonly pos?: TextPosition }
  | { readonly type: 'null'; readonly pos?: TextPosition }

/** One `"key": value` pair of an object. */
export interface JsonMember {
  readonly key: string
  readonly value: JsonNode
  readonly pos?: TextPosition
}

/** The reader's failure: the text is not JSON (or nests deeper than MAX_JSON_DEPTH). */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError'
  constructor(
    message: string,
    readonly pos: TextPosition,
  ) {
    super(message)
  }
}

/** Deeper nesting than any policy needs; the bound keeps recursion safe. */
export const MAX_JSON_DEPTH = 32

/** Reads JSON text into a tree of positioned nodes; throws JsonSyntaxError. */
export function parseJsonTree(text: string): JsonNode {
  const reader = new Reader(text)
  reader.skipSpace()
  const node = reader.readValue(0)
  reader.skipSpace()
  if (reader.offset < text.length) reader.fail('unexpected text after the end of the document')
  return node
}

/** Turns an already-parsed JavaScript value (for example a policy embedded in a case file) into nodes without positions. */
export function jsonTreeFromValue(value: unknown, depth = 0): JsonNode {
  if (depth > MAX_JSON_DEPTH)
    throw new JsonSyntaxError('nesting is too deep', { line: 0, column: 0 })
  if (value === null) return { type: 'null' }
  switch (typeof value) {
    case 'string':
      return { type: 'string', value }
    case 'number':
      return { type: 'number', value: String(value) }
    case 'boolean':
      return { type: 'boolean', value }
    case 'object':
      if (Array.isArray(value)) {
        return { type: 'array', items: value.map((item) => jsonTreeFromValue(item, depth + 1)) }
      }
      return {
        type: 'object',
        members: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({
          key,
          value: jsonTreeFromValue(v, depth + 1),
        })),
      }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      break
  }
  throw new JsonSyntaxError(`a ${typeof value} is not a JSON value`, { line: 0, column: 0 })
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

class Reader {
  offset = 0
  private line = 1
  private lineStart = 0

  constructor(private readonly text: string) {}

  position(): TextPosition {
    return { line: this.line, column: this.offset - this.lineStart + 1 }
  }

  fail(message: string): never {
    throw new JsonSyntaxError(message, this.position())
  }

  skipSpace(): void {
    const text = this.text
    for (;;) {
      const c = text.charCodeAt(this.offset)
      if (c === 0x20 || c === 0x09 || c === 0x0d) this.offset++
      else if (c === 0x0a) {
        this.offset++
        this.line++
        this.lineStart = this.offset
      } else return
    }
  }

  readValue(depth: number): JsonNode {
    if (depth > MAX_JSON_DEPTH) this.fail('nesting is too deep')
    const pos = this.position()
    const c = this.text[this.offset]
    switch (c) {
      case '{':
        return this.readObject(depth, pos)
      case '[':
        return this.readArray(depth, pos)
      case '"':
        return { type: 'string', value: this.readString(), pos }
      case 't':
        this.expectWord('true')
        return { type: 'boolean', value: true, pos }
      case 'f':
        this.expectWord('false')
        return { type: 'boolean', value: false, pos }
      case 'n':
        this.expectWord('null')
        return { type: 'null', pos }
      case undefined:
      default: {
        NUMBER.lastIndex = this.offset
        const match = NUMBER.exec(this.text)
        if (match === null || match[0].length === 0) {
          this.fail(
            c === undefined
              ? 'unexpected end of the document'
              : `unexpected character ${JSON.stringify(c)}`,
          )
        }
        this.offset += match[0].length
        return { type: 'number', value: match[0], pos }
      }
    }
  }

  private expectWord(word: string): void {
    if (!this.text.startsWith(word, this.offset)) this.fail(`expected ${word}`)
    this.offset += word.length
  }

  private readObject(depth: number, pos: TextPosition): JsonNode {
    this.offset++ // {
    const members: JsonMember[] = []
    this.skipSpace()
    if (this.text[this.offset] === '}') {
      this.offset++
      return { type: 'object', members, pos }
    }
    for (;;) {
      this.skipSpace()
      const keyPos = this.position()
      if (this.text[this.offset] !== '"') this.fail('expected a quoted member name')
      const key = this.readString()
      this.skipSpace()
      if (this.text[this.offset] !== ':') this.fail("expected ':' after a member name")
      this.offset++
      this.skipSpace()
      members.push({ key, value: this.readValue(depth + 1), pos: keyPos })
      this.skipSpace()
      const next = this.text[this.offset]
      this.offset++
      if (next === '}') return { type: 'object', members, pos }
      if (next !== ',') {
        this.offset--
        this.fail("expected ',' or '}' in an object")
      }
    }
  }

  private readArray(depth: number, pos: TextPosition): JsonNode {
    this.offset++ // [
    const items: JsonNode[] = []
    this.skipSpace()
    if (this.text[this.offset] === ']') {
      this.offset++
      return { type: 'array', items, pos }
    }
    for (;;) {
      this.skipSpace()
      items.push(this.readValue(depth + 1))
      this.skipSpace()
      const next = this.text[this.offset]
      this.offset++
      if (next === ']') return { type: 'array', items, pos }
      if (next !== ',') {
        this.offset--
        this.fail("expected ',' or ']' in an array")
      }
    }
  }

  private readString(): string {
    const text = this.text
    let i = this.offset + 1 // past the opening quote
    let out = ''
    let runStart = i
    for (;;) {
      if (i >= text.length) {
        this.offset = i
        this.fail('unterminated string')
      }
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        out += text.slice(runStart, i)
        this.offset = i + 1
        return out
      }
      if (c < 0x20) {
        this.offset = i
        this.fail('control character in a string')
      }
      if (c === 0x5c) {
        out += text.slice(runStart, i)
        const e = text[i + 1]
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e
            i += 2
            break
          case 'b':
            out += '\b'
            i += 2
            break
          case 'f':
            out += '\f'
            i += 2
            break
          case 'n':
            out += '\n'
            i += 2
            break
          case 'r':
            out += '\r'
            i += 2
            break
          case 't':
            out += '\t'
            i += 2
            break
          case 'u': {
            const hex = text.slice(i + 2, i + 6)
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              this.offset = i
              this.fail('invalid \\u escape')
            }
            out += String.fromCharCode(parseInt(hex, 16))
            i += 6
            break
          }
          case undefined:
          default:
            this.offset = i
            this.fail('invalid escape in a string')
        }
        runStart = i
        continue
      }
      i++
    }
  }
}
