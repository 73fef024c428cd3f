/**
 * The end-to-end checks OpenID Connect and SAML providers share through the real AWS SDK for
 * JavaScript v3: tagging and paging a provider's tags, and authorizing by its tags.
 */
import assert from 'node:assert/strict'
import { PutUserPolicyCommand } from '@aws-sdk/client-iam'
import type { IAMClient, Tag } from '@aws-sdk/client-iam'
import { newUserClient } from './iam-server.js'
import type { IamServer } from './iam-server.js'
import { failure } from './sdk-failure.js'

/** A family's tag operations on one provider, through the SDK. */
export interface SdkProviderTagging {
  tag(tags: Tag[]): Promise<unknown>
  untag(keys: string[]): Promise<unknown>
  /** The family's paginator of the provider's tags. */
  pages(pageSize: number): AsyncIterable<{ readonly Tags?: readonly Tag[] | undefined }>
  firstPage(maxItems: number): Promise<{
    readonly IsTruncated?: boolean | undefined
    readonly Marker?: string | undefined
  }>
}

/**
 * Tags and untags a provider that has the tags `Env=prod` and `team=blue`, then reads its tags by
 * the paginator and one truncated page.
 */
export async function expectProviderTagsPaged(provider: SdkProviderTagging): Promise<void> {
  await provider.tag([
    { Key: 'Team', Value: 'red' },
    { Key: 'cost', Value: '7' },
  ])
  await provider.untag(['Env', 'absent'])
  const pages: string[][] = []
  for await (const page of provider.pages(2)) {
    pages.push((page.Tags ?? []).map((t) => `${t.Key}=${t.Value}`))
  }
  assert.deepEqual(pages, [['Team=red', 'cost=7'], ['team=blue']])
  const one = await provider.firstPage(1)
  assert.equal(one.IsTruncated, true)
  assert.ok(one.Marker !== undefined)
}

/** A read of one provider, tagged `team=blue`, that a policy allows by its tag. */
export interface ProviderRead<T> {
  /** The operation, e.g. `GetSAMLProvider`. */
  readonly operation: string
  /** The provider's ARN. */
  readonly arn: string
  /** The resource a policy names for every provider of the family, e.g. `...:saml-provider/*`. */
  readonly resource: string
  read(client: IAMClient): Promise<T>
}

/**
 * Creates the user `auditor` without a policy, checks that it is denied the read, then allows it
 * the read on providers tagged `team=blue`; gives what the allowed read returned.
 */
export async function expectAllowedByProviderTag<T>(
  e2e: Omit<IamServer, 'root'>,
  provider: ProviderRead<T>,
): Promise<T> {
  const auditor = await newUserClient(e2e, 'auditor')
  const action = `iam:${provider.operation}`
  try {
    assert.deepEqual(await failure(provider.read(auditor)), {
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${e2e.server.accountId}:user/auditor is not authorized to perform: ${action} on resource: ${provider.arn} because no identity-based policy allows the ${action} action`,
      status: 403,
    })
    await e2e.iam.send(
      new PutUserPolicyCommand({
        UserName: 'auditor',
        PolicyName: 'BlueProviders',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: action,
              Resource: provider.resource,
              Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } },
            },
          ],
        }),
      }),
    )
    return await provider.read(auditor)
  } finally {
    auditor.destroy()
  }
}
