/**
 * The private keys of SAML providers (AddPrivateKey of CreateSAMLProvider and
 * UpdateSAMLProvider): the key IAM decrypts an IdP's encrypted assertions with, "a .pem file"
 * (the API reference). The model gives only its length and characters; that it is one readable,
 * unencrypted PEM private key is checked here.
 */
import { createPrivateKey } from 'node:crypto'
import { AwsError } from '../../errors/aws-error.js'

/**
 * The PEM given, if it is a private key Node can read without a passphrase; InvalidInput
 * otherwise. SECURITY: neither the key nor the reason it failed (which may quote it) is put in
 * the message.
 */
export function checkSamlPrivateKey(pem: string): string {
  try {
    if (!pem.includes('-----BEGIN ')) throw new Error('not PEM')
    createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    // Invented message: IAM's refusal of a key it cannot read is not on record.
    throw new AwsError('InvalidInput', 'The private key is not a valid PEM-encoded private key.')
  }
  return pem
}
