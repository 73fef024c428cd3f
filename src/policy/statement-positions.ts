/**
 * Where each statement of a policy document stands in its text, as IAM's policy simulator
 * reports it in the Statement type's StartPosition and EndPosition (1-based line and column).
 *
 * AWS's positions are those of a streaming JSON reader (Jackson's "current location"): the point
 * just past the last character it consumed. A statement ends just past its closing `}`. It
 * starts where the reader stood before reading it: just past the `[` that opens the list (the
 * first statement), just past the previous statement's `}` (the others), and, for a Statement
 * that is a single object, just past that object's own `{`, which the reader consumes together
 * with the member name. AWS's records bear each case out: `{"Version":"2012-10-17","Statement":
 * {...}}` starts at column 38, one past the `{` at 37 (the AWS CLI's simulate-custom-policy
 * example); a pretty-printed `"Statement": [` list starts one past its `[` and ends one past the
 * statement's `}` (simulate-principal-policy's example, and AmazonS3ReadOnlyAccess in the API
 * reference's). Line breaks are `\n`, `\r\n` and a lone `\r`, as that reader counts them.
 *
 * Pure. The text must be a document parsePolicy accepted: this scanner checks nothing.
 */
import type { TextPosition } from './json-tree.js'

/** Where a statement starts and ends. */
export interface StatementSpan {
  readonly start: TextPosition
  readonly end: TextPosition
}

class Scanner {
  offset = 0
  private line = 1
  private lineStart = 0

  constructor(private readonly text: string) {}

  /** The point just past the last character consumed. */
  position(): TextPosition {
    return { line: this.line, column: this.offset - this.lineStart + 1 }
  }

  /** The next character that is not white space, not consumed. */
  peek(): string | undefined {
    const text = this.text
    for (;;) {
      const c = text.charCodeAt(this.offset)
      if (c === 0x20 || c === 0x09) this.offset++
      else if (c === 0x0a) this.newLine(1)
      else if (c === 0x0d) this.newLine(text.charCodeAt(this.offset + 1) === 0x0a ? 2 : 1)
      else return text[this.offset]
    }
  }

  /** Consumes the next character that is not white space. */
  take(): string | undefined {
    const c = this.peek()
    this.offset++
    return c
  }

  private newLine(width: number): void {
    this.offset += width
    this.line++
    this.lineStart = this.offset
  }

  /** Reads a string whose opening quote was taken; returns its raw text (escapes as written). */
  string(): string {
    const text = this.text
    const start = this.offset
    while (this.offset < text.length) {
      const c = text.charCodeAt(this.offset)
      if (c === 0x5c) this.offset += 2
      else if (c === 0x22) {
        this.offset++
        return text.slice(start, this.offset - 1)
      } else this.offset++
    }
    return text.slice(start)
  }

  /** Skips a value whose first character `first` was taken. Depth is bounded by the parser's check. */
  skipRest(first: string | undefined): void {
    if (first === '"') {
      this.string()
      return
    }
    if (first === '{' || first === '[') {
      const close = first === '{' ? '}' : ']'
      if (this.peek() === close) {
        this.offset++
        return
      }
      for (;;) {
        if (first === '{') {
          this.take() // the member name's quote
          this.string()
          this.take() // :
        }
        this.skipRest(this.take())
        if (this.take() !== ',') return // the closing bracket
      }
    }
    // A number or a literal: everything up to the next delimiter.
    while (this.offset < this.text.length && !/[\s,}\]]/.test(this.text[this.offset] ?? '')) {
      this.offset++
    }
  }
}

/** The start and end of each statement of `text`, in document order. */
export function statementPositions(text: string): StatementSpan[] {
  const scanner = new Scanner(text)
  if (scanner.take() !== '{') return []
  if (scanner.peek() === '}') return []
  for (;;) {
    scanner.take() // the member name's opening quote
    const name = scanner.string()
    scanner.take() // :
    const first = scanner.take()
    if (name === 'Statement') return statementsOf(scanner, first)
    scanner.skipRest(first)
    if (scanner.take() !== ',') return []
  }
}

/** The spans of the Statement element whose first character `first` was just taken. */
function statementsOf(scanner: Scanner, first: string | undefined): StatementSpan[] {
  if (first === '{') {
    const start = scanner.position()
    scanner.skipRest('{')
    return [{ start, end: scanner.position() }]
  }
  const spans: StatementSpan[] = []
  if (first !== '[') return spans
  let start = scanner.position()
  if (scanner.peek() === ']') return spans
  for (;;) {
    scanner.skipRest(scanner.take())
    const end = scanner.position()
    spans.push({ start, end })
    start = end
    if (scanner.take() !== ',') return spans
  }
}
