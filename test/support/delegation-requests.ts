/**
 * Temporary delegation in process, for the tests of the delegation request operations and of STS
 * GetDelegatedAccessToken: Gatehouse with a clock the test moves (workload-in-process.ts), the
 * customer's account (the one it serves) and a partner's account beside it, the partner's policy
 * template, and helpers to make requests, move them along, read their notifications and sign as
 * any identity.
 */
import assert from 'node:assert/strict'
import { childElements, parseStrictXml, textOf } from '../errors/strict-xml.js'
import type { XmlElement } from '../errors/strict-xml.js'
import { xmlAll, xmlText } from './in-process.js'
import { ACCOUNT_ID, ROOT_KEY, startWorkloadInProcess } from './workload-in-process.js'
import type { JsonReply, SigningKey, WorkloadInProcess } from './workload-in-process.js'

export { ACCOUNT_ID, ROOT_KEY, xmlAll, xmlText }
export type { SigningKey, XmlElement }

/** The customer's account: the one Gatehouse serves. */
export const CUSTOMER = ACCOUNT_ID
/** The partner's account, beside it. */
export const PARTNER = '210987654321'
/** The partner account's root key. */
export const PARTNER_ROOT: SigningKey = {
  accessKeyId: 'AKIAPARTNERROOT00001',
  secretAccessKey: 'partnerRootSecretExample0000000000000000',
}
/** A third account, that neither makes nor owns the requests. */
export const STRANGER = '333344445555'
/** The stranger account's root key. */
export const STRANGER_ROOT: SigningKey = {
  accessKeyId: 'AKIASTRANGERROOT0001',
  secretAccessKey: 'strangerRootSecretExample000000000000000',
}
/** The partner's SNS topic. */
export const TOPIC = `arn:aws:sns:us-east-1:${PARTNER}:delegations`
/** The partner's policy template. */
export const TEMPLATE_ARN = `arn:aws:iam::${PARTNER}:policy/templates/RoleReader`
/**
 * The template: IAM's role reads on the roles of an account (a string parameter) a stringList
 * parameter names, and user listing on `*`.
 */
export const TEMPLATE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['iam:GetRole', 'iam:ListRolePolicies'],
      Resource: 'arn:aws:iam::@{account}:role/@{roles}',
    },
    { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' },
  ],
})

/** The template's parameters in most requests. */
export const PARAMETERS = [
  { name: 'account', values: [ACCOUNT_ID], type: 'string' },
  { name: 'roles', values: ['Pipeline*', 'Approver'], type: 'stringList' },
] as const

/** What the template renders to with PARAMETERS, their account being `accountId`. */
export function renderedFor(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['iam:GetRole', 'iam:ListRolePolicies'],
        Resource: [
          `arn:aws:iam::${accountId}:role/Pipeline*`,
          `arn:aws:iam::${accountId}:role/Approver`,
        ],
      },
      { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' },
    ],
  })
}

/** What the template renders to with PARAMETERS. */
export const RENDERED = renderedFor(ACCOUNT_ID)

/** A reply read: its status, its XML and, for an error, its code and message. */
export interface Answer {
  readonly status: number
  readonly body: string
  readonly xml: XmlElement
  readonly error: { readonly code: string; readonly message: string } | undefined
}

/** Reads an awsQuery reply. */
export function answer(reply: JsonReply): Answer {
  const xml = parseStrictXml(reply.body)
  let error: Answer['error']
  if (xml.name === 'ErrorResponse') {
    const element = childElements(xml).find((e) => e.name === 'Error') ?? xml
    const field = (name: string) =>
      textOf(childElements(element).find((e) => e.name === name) ?? element)
    error = { code: field('Code'), message: field('Message') }
  }
  return { status: reply.status, body: reply.body, xml, error }
}

/** Asserts a successful reply. */
export function ok(a: Answer): Answer {
  assert.equal(a.status, 200, a.body)
  return a
}

/** Asserts an error reply. */
export function failed(a: Answer, status: number, code: string, message?: string | RegExp): void {
  assert.equal(a.status, status, a.body)
  assert.equal(a.error?.code, code, a.body)
  if (typeof message === 'string') assert.equal(a.error?.message, message)
  else if (message !== undefined) assert.match(a.error?.message ?? '', message)
}

/** awsQuery parameters of a template parameter list. */
export function parameterParams(
  parameters: readonly { name: string; values: readonly string[]; type?: string }[],
): Record<string, string> {
  const params: Record<string, string> = {}
  parameters.forEach((p, i) => {
    const at = `Permissions.Parameters.member.${i + 1}`
    params[`${at}.Name`] = p.name
    p.values.forEach((v, j) => {
      params[`${at}.Values.member.${j + 1}`] = v
    })
    if (p.type !== undefined) params[`${at}.Type`] = p.type
  })
  return params
}

/** A policy document of one statement. */
export function allow(actions: string | string[], resources: string | string[] = '*'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }],
  })
}

/** Temporary credentials read from an STS reply. */
export function sessionKey(a: Answer, result: string): SigningKey & { expiration: string } {
  const at = `${result}/Credentials`
  const accessKeyId = xmlText(a.xml, `${at}/AccessKeyId`)
  const secretAccessKey = xmlText(a.xml, `${at}/SecretAccessKey`)
  const sessionToken = xmlText(a.xml, `${at}/SessionToken`)
  const expiration = xmlText(a.xml, `${at}/Expiration`)
  assert.ok(accessKeyId && secretAccessKey && sessionToken && expiration, a.body)
  return { accessKeyId, secretAccessKey, sessionToken, expiration }
}

/** A notification as the partner receives it. */
export interface Notification {
  readonly MessageId: string
  readonly Timestamp: string
  readonly message: {
    readonly DelegationRequestId: string
    readonly RequestorWorkflowId: string
    readonly State: string
    readonly Timestamp: string
    readonly OwnerAccountId?: string
    readonly RejectionReason?: string
    readonly ExchangeToken?: string
  }
}

/** Gatehouse with the customer's and the partner's accounts. */
export interface Delegation {
  readonly g: WorkloadInProcess
  /** Signs and sends an IAM call (as the customer's root user unless told otherwise). */
  iam(action: string, params?: Record<string, string>, key?: SigningKey): Promise<Answer>
  /** Signs and sends an STS call. */
  sts(action: string, params?: Record<string, string>, key?: SigningKey): Promise<Answer>
  /** Makes a request as the partner (its root user unless told otherwise); returns its id. */
  create(params?: Record<string, string>, key?: SigningKey): Promise<string>
  /** CreateDelegationRequest's parameters, with `params` over them. */
  createParams(params?: Record<string, string>): Record<string, string>
  /** Every notification the partner has not received yet (as its root user unless told otherwise). */
  receive(key?: SigningKey, topic?: string): Promise<Notification[]>
  /** Makes an IAM user of `account` with a key and an inline policy; returns the key. */
  user(name: string, document: string, account?: 'customer' | 'partner'): Promise<SigningKey>
  /**
   * Makes a role of the customer's that its account may assume, with an inline policy, and
   * returns a session of it assumed by the customer user `assumer` (made here).
   */
  roleSession(
    name: string,
    document: string,
    sessionName?: string,
    assumeParams?: Record<string, string>,
  ): Promise<SigningKey & { arn: string }>
  /** The request as GetDelegationRequest reports it, member by member (as the customer's root). */
  describe(requestId: string, key?: SigningKey): Promise<Record<string, string | undefined>>
  close(): Promise<void>
}

let workflows = 0

/** Starts Gatehouse with the partner's account and template. */
export async function startDelegation(): Promise<Delegation> {
  const g = await startWorkloadInProcess()
  await g.store.transaction(async (tx) => {
    for (const [accountId, key] of [
      [PARTNER, PARTNER_ROOT],
      [STRANGER, STRANGER_ROOT],
    ] as const) {
      await tx.createAccount({ accountId })
      await tx.createAccessKey({
        accountId,
        userName: null,
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
      })
    }
  })
  const iam = async (action: string, params: Record<string, string> = {}, key?: SigningKey) =>
    answer(await g.aws(action, params, { service: 'iam', key: key ?? ROOT_KEY }))
  const sts = async (action: string, params: Record<string, string> = {}, key?: SigningKey) =>
    answer(await g.aws(action, params, { service: 'sts', key: key ?? ROOT_KEY }))
  ok(
    await iam(
      'CreatePolicy',
      { PolicyName: 'RoleReader', Path: '/templates/', PolicyDocument: TEMPLATE },
      PARTNER_ROOT,
    ),
  )
  const createParams = (params: Record<string, string> = {}) => ({
    OwnerAccountId: CUSTOMER,
    Description: 'Read the roles of the data pipeline',
    'Permissions.PolicyTemplateArn': TEMPLATE_ARN,
    ...parameterParams(PARAMETERS),
    RequestorWorkflowId: `workflow-${++workflows}`,
    NotificationChannel: TOPIC,
    SessionDuration: '3600',
    ...params,
  })
  let users = 0
  const user: Delegation['user'] = async (name, document, account = 'customer') => {
    const root = account === 'customer' ? ROOT_KEY : PARTNER_ROOT
    ok(await iam('CreateUser', { UserName: name }, root))
    ok(
      await iam(
        'PutUserPolicy',
        { UserName: name, PolicyName: 'access', PolicyDocument: document },
        root,
      ),
    )
    const created = ok(await iam('CreateAccessKey', { UserName: name }, root))
    const accessKeyId = xmlText(created.xml, 'CreateAccessKeyResult/AccessKey/AccessKeyId')
    const secretAccessKey = xmlText(created.xml, 'CreateAccessKeyResult/AccessKey/SecretAccessKey')
    assert.ok(accessKeyId !== undefined && secretAccessKey !== undefined)
    return { accessKeyId, secretAccessKey }
  }
  return {
    g,
    iam,
    sts,
    createParams,
    async create(params = {}, key = PARTNER_ROOT) {
      const a = ok(await iam('CreateDelegationRequest', createParams(params), key))
      const id = xmlText(a.xml, 'CreateDelegationRequestResult/DelegationRequestId')
      assert.ok(id !== undefined, a.body)
      return id
    },
    async receive(key = PARTNER_ROOT, topic = TOPIC) {
      // Ten at most per call: every call until one hands over fewer.
      const all: Notification[] = []
      for (;;) {
        const reply = await g.api('ReceiveDelegationNotifications', { TopicArn: topic }, { key })
        assert.equal(reply.status, 200, reply.body)
        const messages = (reply.json?.['Messages'] ?? []) as {
          MessageId: string
          Timestamp: string
          Message: string
        }[]
        for (const m of messages) {
          all.push({
            MessageId: m.MessageId,
            Timestamp: m.Timestamp,
            message: JSON.parse(m.Message) as Notification['message'],
          })
        }
        if (messages.length < 10) return all
      }
    },
    user,
    async roleSession(name, document, sessionName = 'approver-session', assumeParams = {}) {
      ok(
        await iam('CreateRole', {
          RoleName: name,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${CUSTOMER}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      )
      ok(
        await iam('PutRolePolicy', {
          RoleName: name,
          PolicyName: 'access',
          PolicyDocument: document,
        }),
      )
      const assumer = await user(
        `assumer-${++users}`,
        allow('sts:AssumeRole', `arn:aws:iam::${CUSTOMER}:role/${name}`),
      )
      const assumed = ok(
        await sts(
          'AssumeRole',
          {
            RoleArn: `arn:aws:iam::${CUSTOMER}:role/${name}`,
            RoleSessionName: sessionName,
            DurationSeconds: '3600',
            ...assumeParams,
          },
          assumer,
        ),
      )
      return {
        ...sessionKey(assumed, 'AssumeRoleResult'),
        arn: `arn:aws:sts::${CUSTOMER}:assumed-role/${name}/${sessionName}`,
      }
    },
    async describe(requestId, key = ROOT_KEY) {
      const a = ok(await iam('GetDelegationRequest', { DelegationRequestId: requestId }, key))
      const request = xmlAll(a.xml, 'GetDelegationRequestResult/DelegationRequest')[0]
      assert.ok(request !== undefined, a.body)
      const fields: Record<string, string | undefined> = {}
      for (const child of childElements(request)) {
        fields[child.name] = child.children.every((c) => typeof c === 'string')
          ? textOf(child)
          : 'structure'
      }
      return fields
    },
    close: () => g.close(),
  }
}
