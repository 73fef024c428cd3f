/**
 * The awsQuery wire form of an error, as IAM and STS send it:
 * `<ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
import type { AwsError } from './aws-error.js'

/** The XML namespace of each awsQuery service's responses (the model's xmlNamespace). */
export const QUERY_XML_NAMESPACES = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
} as const

/** A service that answers in the awsQuery protocol. */
export type QueryService = keyof typeof QUERY_XML_NAMESPACES

// XML 1.0 allows only these characters, even as character references; anything else (C0
// controls but tab, CR and LF; lone surrogates; U+FFFE and U+FFFF) would make the document
// malformed, so it becomes U+FFFD.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const XML_SPECIAL = /[&<>"'\r]/g
const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR would reach the client as LF (XML end-of-line handling).
  '\r': '&#13;',
}

// Text of only these characters needs no escaping: most values sent (ids, names, ARNs, dates,
// percent-encoded policy documents): tab, LF and printable ASCII but & < > " ', text that
// neither replace below would change.
const PLAIN = /^[\t\n\u0020\u0021\u0023-\u0025\u0028-\u003B\u003D\u003F-\u007E]*$/

/** Escapes text for XML character data or an attribute value. */
export function escapeXml(text: string): string {
  if (PLAIN.test(text)) return text
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(XML_SPECIAL, (ch) => XML_ESCAPES[ch] ?? ch)
}

/** Renders an AwsError as the awsQuery error body of `service`, with the request's id. */
export function renderQueryErrorXml(
  error: AwsError,
  service: QueryService,
  requestId: string,
): string {
  const type = error.fault === 'client' ? 'Sender' : 'Receiver'
  return (
    `<ErrorResponse xmlns="${QUERY_XML_NAMESPACES[service]}">` +
    `<Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  )
}
