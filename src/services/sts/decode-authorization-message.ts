/**
 * STS DecodeAuthorizationMessage: decodes the encoded message some AWS services (EC2 and
 * others) put in an authorization failure. Gatehouse serves IAM and STS, whose AccessDenied
 * messages are plain text, as AWS's are: no service of Gatehouse's encodes one, so no message
 * can be decoded, and any given is answered as AWS answers one it cannot decode, once the call is
 * authorized (sts:DecodeAuthorizationMessage, on `*`).
 */
import { AwsError } from '../../errors/aws-error.js'
import { defineOperation } from '../operation.js'
import { required } from './shapes.js'

/** encodedMessageType. */
const ENCODED_MESSAGE = { kind: 'string', min: 1, max: 10240 } as const

/** DecodeAuthorizationMessage. */
export const DECODE_AUTHORIZATION_MESSAGE = defineOperation({
  name: 'DecodeAuthorizationMessage',
  action: 'sts:DecodeAuthorizationMessage',
  input: {
    kind: 'structure',
    members: { EncodedMessage: required(ENCODED_MESSAGE) },
  } as const,
  resource: () => '*',
  handle: () =>
    Promise.reject(
      new AwsError(
        'InvalidAuthorizationMessageException',
        // Invented message: AWS's wording is not on record; this says why, in its terms.
        'The encoded authorization message is invalid: Gatehouse encodes no authorization messages.',
      ),
    ),
})
