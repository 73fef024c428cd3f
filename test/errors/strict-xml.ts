/**
 * A strict reader for the XML subset that awsQuery responses use (elements, attributes, text and
 * references), written from the XML 1.0 grammar to check that what Gatehouse sends is
 * well-formed. It throws on anything outside the grammar and on anything outside the subset
 * (comments, CDATA, processing instructions, a DOCTYPE), so a pass means a real parser reads the
 * same tree.
 */

/** An element as read: its name, attributes and children (adjacent text merged). */
export interface XmlElement {
  readonly name: string
  readonly attributes: Readonly<Record<string, string>>
  readonly children: readonly (XmlElement | string)[]
}

/** Thrown for any input that is not well-formed (or not in the subset). */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError'
}

const PREDEFINED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}

// XML 1.0 §2.2 Char.
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  )
}

// A simplified §2.3 Name: ASCII letters, digits and `_:.-`, which covers every awsQuery name.
const NAME = /[A-Za-z_:][A-Za-z0-9._:-]*/y
const WHITESPACE = /[ \t\r\n]*/y

/** Reads one document: a single root element, optionally surrounded by whitespace. */
export function parseStrictXml(text: string): XmlElement {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0
    if (!isXmlChar(cp)) throw new XmlSyntaxError(`not an XML character: U+${cp.toString(16)}`)
  }
  // §2.11: a document's line ends are normalized before anything else reads it.
  const reader = new Reader(text.replace(/\r\n?/g, '\n'))
  reader.skipWhitespace()
  const root = reader.element()
  reader.skipWhitespace()
  if (!reader.atEnd()) throw new XmlSyntaxError(`content after the root element at ${reader.pos}`)
  return root
}

/** The concatenated text children of an element (throws if it has element children). */
export function textOf(element: XmlElement): string {
  return element.children
    .map((child) => {
      if (typeof child !== 'string') throw new Error(`<${element.name}> has element children`)
      return child
    })
    .join('')
}

/** The element children of an element, in order, ignoring whitespace-only text. */
export function childElements(element: XmlElement): readonly XmlElement[] {
  return element.children.filter((child): child is XmlElement => {
    if (typeof child !== 'string') return true
    if (child.trim() !== '') throw new Error(`<${element.name}> has mixed content`)
    return false
  })
}

class Reader {
  pos = 0
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length
  }

  skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos
    WHITESPACE.exec(this.text)
    this.pos = WHITESPACE.lastIndex
  }

  expect(literal: string): void {
    if (!this.text.startsWith(literal, this.pos)) {
      throw new XmlSyntaxError(`expected ${JSON.stringify(literal)} at ${this.pos}`)
    }
    this.pos += literal.length
  }

  name(): string {
    NAME.lastIndex = this.pos
    const match = NAME.exec(this.text)
    if (match === null) throw new XmlSyntaxError(`expected a name at ${this.pos}`)
    this.pos = NAME.lastIndex
    return match[0]
  }

  element(): XmlElement {
    this.expect('<')
    const name = this.name()
    const attributes: Record<string, string> = {}
    for (;;) {
      const before = this.pos
      this.skipWhitespace()
      if (this.text.startsWith('/>', this.pos)) {
        this.pos += 2
        return { name, attributes, children: [] }
      }
      if (this.text.startsWith('>', this.pos)) {
        this.pos += 1
        break
      }
      if (this.pos === before) throw new XmlSyntaxError(`expected whitespace at ${this.pos}`)
      const attribute = this.name()
      if (Object.hasOwn(attributes, attribute)) {
        throw new XmlSyntaxError(`attribute ${attribute} given twice`)
      }
      this.skipWhitespace()
      this.expect('=')
      this.skipWhitespace()
      attributes[attribute] = this.attributeValue()
    }
    const children: (XmlElement | string)[] = []
    let text = ''
    for (;;) {
      if (this.atEnd()) throw new XmlSyntaxError(`<${name}> is not closed`)
      if (this.text.startsWith('</', this.pos)) {
        this.pos += 2
        const closing = this.name()
        if (closing !== name) throw new XmlSyntaxError(`</${closing}> closes <${name}>`)
        this.skipWhitespace()
        this.expect('>')
        if (text !== '') children.push(text)
        return { name, attributes, children }
      }
      if (this.text.startsWith('<!', this.pos) || this.text.startsWith('<?', this.pos)) {
        throw new XmlSyntaxError(`markup outside the subset at ${this.pos}`)
      }
      if (this.text.startsWith('<', this.pos)) {
        if (text !== '') children.push(text)
        text = ''
        children.push(this.element())
      } else if (this.text.startsWith('&', this.pos)) {
        text += this.reference()
      } else {
        // §2.4: character data may not contain `]]>`.
        if (this.text.startsWith(']]>', this.pos)) throw new XmlSyntaxError(`"]]>" at ${this.pos}`)
        text += this.text[this.pos]
        this.pos += 1
      }
    }
  }

  attributeValue(): string {
    const quote = this.text[this.pos]
    if (quote !== '"' && quote !== "'") throw new XmlSyntaxError(`expected a quote at ${this.pos}`)
    this.pos += 1
    let value = ''
    for (;;) {
      const ch = this.text[this.pos]
      if (ch === undefined) throw new XmlSyntaxError('attribute value is not closed')
      if (ch === quote) {
        this.pos += 1
        return value
      }
      if (ch === '<') throw new XmlSyntaxError(`"<" in an attribute value at ${this.pos}`)
      if (ch === '&') {
        value += this.reference()
      } else {
        // §3.3.3: white space in an attribute value is normalized to spaces.
        value += ch === '\t' || ch === '\n' ? ' ' : ch
        this.pos += 1
      }
    }
  }

  reference(): string {
    const end = this.text.indexOf(';', this.pos)
    if (end === -1) throw new XmlSyntaxError(`"&" without ";" at ${this.pos}`)
    const body = this.text.slice(this.pos + 1, end)
    this.pos = end + 1
    const predefined = PREDEFINED[body]
    if (predefined !== undefined) return predefined
    const numeric = /^#(?:([0-9]+)|x([0-9A-Fa-f]+))$/.exec(body)
    if (numeric === null) throw new XmlSyntaxError(`unknown reference &${body};`)
    const cp = numeric[1] === undefined ? Number.parseInt(numeric[2] ?? '', 16) : Number(numeric[1])
    if (!isXmlChar(cp)) throw new XmlSyntaxError(`&${body}; is not an XML character`)
    return String.fromCodePoint(cp)
  }
}
