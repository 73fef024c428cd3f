/**
 * An uploaded X.509 signing certificate read and checked: one PEM certificate, in its validity
 * period, with an RSA key (what signing certificates sign with: SOAP requests and EC2 AMI
 * bundles). Its SHA-256 fingerprint is what makes two uploads the same certificate.
 */
import { X509Certificate } from 'node:crypto'
import { AwsError } from '../../errors/aws-error.js'

/** A certificate read from its body. */
export interface SigningCertificateMaterial {
  /** SHA-256 of its DER encoding, in hex. */
  readonly fingerprint: string
}

/** IAM's MalformedCertificate for a body it cannot parse (recorded for UploadServerCertificate). */
export const UNPARSABLE_CERTIFICATE_MESSAGE =
  'Unable to parse certificate. Please ensure the certificate is in PEM format.'

function malformed(message: string = UNPARSABLE_CERTIFICATE_MESSAGE): AwsError {
  return new AwsError('MalformedCertificate', message)
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g

/** A certificate date as Node gives it (`Mar 15 12:00:00 2026 GMT`), in ms; NaN if unreadable. */
function certificateTime(text: string): number {
  return Date.parse(text)
}

/**
 * Reads an uploaded certificate at `now`. MalformedCertificate for a body that is not exactly one
 * parsable PEM certificate, or one outside its validity period (AWS's service team: a certificate
 * "whose validity period begins in the future will fail standard X509 certificate validation"
 * with MalformedCertificate, aws-sdk-go#2586; the model's description adds "or expired");
 * InvalidCertificate for one whose key is not RSA.
 */
export function readSigningCertificate(body: string, now: Date): SigningCertificateMaterial {
  const text = body.trim()
  const blocks = text.match(PEM_CERTIFICATE) ?? []
  const [block] = blocks
  if (block === undefined || block.length !== text.length) {
    // Invented message, for a body of several certificates; the rest is AWS's text.
    throw blocks.length > 1
      ? malformed('The certificate body must hold exactly one certificate.')
      : malformed()
  }
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(block)
  } catch {
    throw malformed()
  }
  const from = certificateTime(certificate.validFrom)
  const to = certificateTime(certificate.validTo)
  if (Number.isNaN(from) || Number.isNaN(to)) throw malformed()
  // Invented messages: AWS's own text for these is not on record.
  if (now.getTime() < from) throw malformed('The certificate is not yet valid.')
  if (now.getTime() > to) throw malformed('The certificate has expired.')
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    // Invented message: the model names InvalidCertificate without saying when IAM gives it.
    throw new AwsError('InvalidCertificate', "The certificate's public key is not an RSA key.")
  }
  return { fingerprint: certificate.fingerprint256.replaceAll(':', '').toLowerCase() }
}
