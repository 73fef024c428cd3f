/**
 * Strict parsing of the XML of a SAML response: well-formed, namespace-aware, and with nothing a
 * SAML response has no use for and an attacker does (SECURITY): no document type (entity
 * expansion), no processing instructions but the XML declaration, and no comments. A comment
 * inside a value (`admin<!---->.evil.com`) is the classic trick against SAML readers: the
 * signature's canonicalization drops it, and a reader that takes the first text node reads
 * `admin`. Refusing comments outright closes that door whatever reads the document next.
 */
import { DOMParser } from '@xmldom/xmldom'
import { AwsError } from '../../errors/aws-error.js'

/** SAML 2.0 protocol (`samlp:`). */
export const SAML_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol'
/** SAML 2.0 assertions (`saml:`). */
export const SAML_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion'
/** XML Signature (`ds:`). */
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#'

const ELEMENT_NODE = 1
const ENTITY_REFERENCE_NODE = 5
const PROCESSING_INSTRUCTION_NODE = 7
const COMMENT_NODE = 8
const DOCUMENT_TYPE_NODE = 10

/** Nesting past this is no SAML response (and would be recursion for the walk below). */
const MAX_DEPTH = 64

/** STS's refusal of a SAML response it cannot read. */
export function unreadableSaml(detail: string): AwsError {
  return new AwsError('InvalidIdentityToken', `Invalid SAML response: ${detail}.`)
}

function check(node: Node, depth: number): void {
  if (depth > MAX_DEPTH) throw unreadableSaml('the document is nested too deeply')
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    switch (child.nodeType) {
      case COMMENT_NODE:
        throw unreadableSaml('comments are not accepted')
      case DOCUMENT_TYPE_NODE:
      case ENTITY_REFERENCE_NODE:
        throw unreadableSaml('document types and entities are not accepted')
      case PROCESSING_INSTRUCTION_NODE:
        // The XML declaration is the only instruction a SAML response carries, and only first.
        if (depth > 0 || (child as ProcessingInstruction).target.toLowerCase() !== 'xml') {
          throw unreadableSaml('processing instructions are not accepted')
        }
        break
      case ELEMENT_NODE:
        check(child, depth + 1)
        break
      default:
        break
    }
  }
}

/** The document `xml` holds, parsed strictly; InvalidIdentityToken for anything else. */
export function parseSamlXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw unreadableSaml('document types are not accepted')
  // SECURITY: the parser's message may quote the document; neither it nor the log gets it.
  const fail = (): never => {
    throw unreadableSaml('the document is not well-formed XML')
  }
  const parser = new DOMParser({
    errorHandler: { warning: fail, error: fail, fatalError: fail },
  })
  let doc: Document
  try {
    doc = parser.parseFromString(xml, 'text/xml')
  } catch (err) {
    if (err instanceof AwsError) throw err
    throw unreadableSaml('the document is not well-formed XML')
  }
  if (doc.documentElement === null) throw unreadableSaml('the document has no root element')
  check(doc, 0)
  return doc
}

/** The element children of `element` in namespace `ns` named `local`. */
export function childrenNamed(element: Element, ns: string, local: string): Element[] {
  const found: Element[] = []
  for (let child = element.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType !== ELEMENT_NODE) continue
    const el = child as Element
    if (el.namespaceURI === ns && el.localName === local) found.push(el)
  }
  return found
}

/** The one child of `element` in `ns` named `local`, undefined when there is none. */
export function onlyChild(element: Element, ns: string, local: string): Element | undefined {
  const found = childrenNamed(element, ns, local)
  if (found.length > 1) throw unreadableSaml(`more than one ${local} element`)
  return found[0]
}

/** Every element of the document in `ns` named `local`, at any depth. */
export function elementsNamed(doc: Document, ns: string, local: string): Element[] {
  const list = doc.getElementsByTagNameNS(ns, local)
  const found: Element[] = []
  for (let i = 0; i < list.length; i++) {
    const el = list.item(i)
    if (el !== null) found.push(el)
  }
  return found
}

/** An element's text, white space around it trimmed. */
export function textOf(element: Element): string {
  return (element.textContent ?? '').trim()
}

/** An attribute without a namespace, or undefined when the element has none of that name. */
export function attributeOf(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined
}
