/**
 * ReceiveDelegationNotifications, an operation of Gatehouse's own API (`POST
 * /gatehouse/v1/ReceiveDelegationNotifications`, JSON, signed with SigV4 for the service
 * `gatehouse`, beside the workload API's operations), not an AWS API: how a partner receives what
 * AWS would publish to its SNS topic about its delegation requests, the exchange token included
 * (delegation-notifications.ts). Gatehouse has no SNS to publish to.
 *
 * Input: `{"TopicArn": "arn:aws:sns:<region>:<account>:<topic>", "MaxMessages"?: 1 to 10}`, the
 * topic being one of the caller's account that its requests named as NotificationChannel. Output:
 * `{"Messages": [{"MessageId", "Timestamp", "Message"}]}`, oldest first, each message (JSON text)
 * handed over once: received, it is gone. It is authorized as gatehouse:ReceiveDelegationNotifications
 * on the topic's ARN. Its audit record lists the message ids, never a message.
 */
import { AwsError } from '../../errors/aws-error.js'
import type { WorkloadOperation } from '../workloads/workload-operations.js'

/** The action the operation is authorized as. */
export const RECEIVE_DELEGATION_NOTIFICATIONS_ACTION = 'gatehouse:ReceiveDelegationNotifications'

/** The most messages one call hands over, and how many when the call does not say. */
export const MAX_MESSAGES = 10

const SNS_TOPIC_ARN = /^arn:aws:sns:[a-z0-9-]+:([0-9]{12}):[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/

/** A message as the operation hands it over. */
export interface DelegationNotificationXml {
  readonly MessageId: string
  /** ISO 8601. */
  readonly Timestamp: string
  /** SECURITY: may carry an exchange token; sent to the partner only, never recorded. */
  readonly Message: string
}

/** ReceiveDelegationNotifications' output. */
export interface ReceiveDelegationNotificationsResponse {
  readonly Messages: readonly DelegationNotificationXml[]
}

function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message)
}

/** ReceiveDelegationNotifications. */
export const RECEIVE_DELEGATION_NOTIFICATIONS: WorkloadOperation = {
  name: 'ReceiveDelegationNotifications',
  action: RECEIVE_DELEGATION_NOTIFICATIONS_ACTION,
  // Receiving a message removes it.
  readOnly: false,
  prepare(body) {
    for (const member of Object.keys(body)) {
      if (member !== 'TopicArn' && member !== 'MaxMessages') {
        throw validationError(`${member} is not a member of this operation's input.`)
      }
    }
    const topicArn = body['TopicArn']
    if (topicArn === undefined || topicArn === null) throw validationError('TopicArn is required.')
    if (typeof topicArn !== 'string' || !SNS_TOPIC_ARN.test(topicArn)) {
      throw validationError('TopicArn must be the ARN of an SNS topic.')
    }
    const maxMessages = body['MaxMessages'] ?? MAX_MESSAGES
    if (
      typeof maxMessages !== 'number' ||
      !Number.isSafeInteger(maxMessages) ||
      maxMessages < 1 ||
      maxMessages > MAX_MESSAGES
    ) {
      throw validationError(
        `1 validation error detected: Value '${JSON.stringify(maxMessages)}' at 'maxMessages' failed to satisfy constraint: Member must be an integer between 1 and ${MAX_MESSAGES}`,
      )
    }
    return {
      parameters: { TopicArn: topicArn, MaxMessages: maxMessages },
      authorizations: () => [
        { action: RECEIVE_DELEGATION_NOTIFICATIONS_ACTION, resource: topicArn, conditionKeys: {} },
      ],
      async handle(ctx) {
        // Another account's topic holds nothing for the caller: its notifications are that
        // account's alone.
        if (SNS_TOPIC_ARN.exec(topicArn)?.[1] !== ctx.caller.accountId) {
          throw validationError(`${topicArn} is not a topic of account ${ctx.caller.accountId}.`)
        }
        const received = await ctx.tx.receiveDelegationNotifications(
          ctx.caller.accountId,
          topicArn,
          maxMessages,
        )
        const response: ReceiveDelegationNotificationsResponse = {
          Messages: received.map((n) => ({
            MessageId: n.notificationId,
            Timestamp: n.createdAt.toISOString(),
            Message: n.message,
          })),
        }
        return { response, recorded: { MessageIds: received.map((n) => n.notificationId) } }
      },
    }
  },
}
