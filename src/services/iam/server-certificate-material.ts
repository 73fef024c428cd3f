/**
 * What UploadServerCertificate checks of what it is given: one PEM certificate in its validity
 * period ("You can't upload a certificate before its validity period begins ... or after it
 * expires", IAM User Guide, "Managing server certificates in IAM"), an unencrypted PEM private
 * key whose public half is the certificate's, and a chain of readable PEM certificates.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto'
import { AwsError } from '../../errors/aws-error.js'
import { UNPARSABLE_CERTIFICATE_MESSAGE } from './signing-certificate-material.js'

/** What the store keeps beside the PEM text. */
export interface ServerCertificateMaterial {
  /** The certificate's notAfter: GetServerCertificate's Expiration. */
  readonly expiresAt: Date
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g

function malformed(message: string = UNPARSABLE_CERTIFICATE_MESSAGE): AwsError {
  return new AwsError('MalformedCertificate', message)
}

function parse(block: string, message?: string): X509Certificate {
  try {
    return new X509Certificate(block)
  } catch {
    throw malformed(message)
  }
}

/** The certificate a body holds; MalformedCertificate unless it is exactly one. */
function readBody(body: string): X509Certificate {
  const text = body.trim()
  const blocks = text.match(PEM_CERTIFICATE) ?? []
  const [block] = blocks
  if (block === undefined || block.length !== text.length) {
    // Invented message, for a body of several certificates; the rest is AWS's text.
    throw blocks.length > 1
      ? malformed('The certificate body must hold exactly one certificate.')
      : malformed()
  }
  return parse(block)
}

/** MalformedCertificate unless the chain is one or more readable PEM certificates. */
function checkChain(chain: string): void {
  const text = chain.trim()
  const blocks = text.match(PEM_CERTIFICATE) ?? []
  // Invented message: IAM's refusal of an unreadable chain is not on record.
  const message = 'Unable to parse certificate chain. Please ensure the chain is in PEM format.'
  if (blocks.length === 0 || text.replace(PEM_CERTIFICATE, '').trim() !== '') {
    throw malformed(message)
  }
  for (const block of blocks) parse(block, message)
}

/** The DER of a public key, to compare two. */
function spki(key: ReturnType<typeof createPublicKey>): Buffer {
  return key.export({ type: 'spki', format: 'der' })
}

/**
 * Checks an upload at `now`. SECURITY: no message quotes the private key, nor the reason Node
 * could not read it (which may).
 */
export function readServerCertificate(
  input: {
    readonly body: string
    readonly privateKey: string
    readonly chain?: string | undefined
  },
  now: Date,
): ServerCertificateMaterial {
  const certificate = readBody(input.body)
  const from = Date.parse(certificate.validFrom)
  const to = Date.parse(certificate.validTo)
  if (Number.isNaN(from) || Number.isNaN(to)) throw malformed()
  // Invented messages: AWS's own text for these is not on record.
  if (now.getTime() < from) throw malformed('The certificate is not yet valid.')
  if (now.getTime() > to) throw malformed('The certificate has expired.')
  let publicHalf: Buffer
  try {
    if (!input.privateKey.includes('-----BEGIN ')) throw new Error('not PEM')
    publicHalf = spki(createPublicKey(createPrivateKey({ key: input.privateKey, format: 'pem' })))
  } catch {
    // Invented message: IAM's refusal of a key it cannot read is not on record.
    throw malformed('Unable to parse private key. Please ensure the key is an unencrypted PEM.')
  }
  if (!publicHalf.equals(spki(certificate.publicKey))) {
    // Invented message: the model's description of KeyPairMismatchException.
    throw new AwsError(
      'KeyPairMismatch',
      'The public key certificate and the private key do not match.',
    )
  }
  if (input.chain !== undefined) checkChain(input.chain)
  return { expiresAt: new Date(to) }
}
