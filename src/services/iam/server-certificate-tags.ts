/**
 * Tags of server certificates: TagServerCertificate, UntagServerCertificate,
 * ListServerCertificateTags (reference §2, "Server certificates"). Keys compare with case, as
 * those of IAM's other non-principal resources do.
 */
import { defineOperation } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { pageEnd, pageRequest } from './results.js'
import { tagListXml } from './role-results.js'
import { SERVER_CERTIFICATE_NAME } from './server-certificate-shapes.js'
import { PAGE_MEMBERS, TAGS, TAG_KEYS, required } from './shapes.js'
import {
  serverCertificateTagKeys,
  targetServerCertificateArn,
  withServerCertificateErrors,
} from './target-server-certificate.js'

const NAME = { ServerCertificateName: required(SERVER_CERTIFICATE_NAME) } as const

/**
 * TagServerCertificate: adds or replaces; LimitExceeded past 50 tags, and nothing of the request
 * is kept.
 */
export const TAG_SERVER_CERTIFICATE = defineOperation({
  name: 'TagServerCertificate',
  action: 'iam:TagServerCertificate',
  input: { kind: 'structure', members: { ...NAME, Tags: required(TAGS) } } as const,
  resource: (input, ctx) => targetServerCertificateArn(ctx, input.ServerCertificateName),
  conditionKeys: async (input, ctx) => ({
    ...(await serverCertificateTagKeys(ctx, input.ServerCertificateName)),
    ...requestTagKeys(input.Tags),
  }),
  handle: async (input, ctx) => {
    const tags = checkTags(input.Tags)
    await withServerCertificateErrors(() =>
      ctx.tx.tagServerCertificate(ctx.caller.accountId, input.ServerCertificateName, tags),
    )
    return undefined
  },
})

/** UntagServerCertificate: removes the keys given (with case); absent keys are ignored. */
export const UNTAG_SERVER_CERTIFICATE = defineOperation({
  name: 'UntagServerCertificate',
  action: 'iam:UntagServerCertificate',
  input: { kind: 'structure', members: { ...NAME, TagKeys: required(TAG_KEYS) } } as const,
  resource: (input, ctx) => targetServerCertificateArn(ctx, input.ServerCertificateName),
  conditionKeys: async (input, ctx) => ({
    ...(await serverCertificateTagKeys(ctx, input.ServerCertificateName)),
    'aws:TagKeys': [...input.TagKeys],
  }),
  handle: async (input, ctx) => {
    await withServerCertificateErrors(() =>
      ctx.tx.untagServerCertificate(
        ctx.caller.accountId,
        input.ServerCertificateName,
        input.TagKeys,
      ),
    )
    return undefined
  },
})

/** ListServerCertificateTags: by key, Marker/MaxItems paginated; Tags always sent. */
export const LIST_SERVER_CERTIFICATE_TAGS = defineOperation({
  name: 'ListServerCertificateTags',
  action: 'iam:ListServerCertificateTags',
  input: { kind: 'structure', members: { ...NAME, ...PAGE_MEMBERS } } as const,
  resource: (input, ctx) => targetServerCertificateArn(ctx, input.ServerCertificateName),
  conditionKeys: (input, ctx) => serverCertificateTagKeys(ctx, input.ServerCertificateName),
  handle: async (input, ctx) => {
    const page = await withServerCertificateErrors(() =>
      ctx.tx.listServerCertificateTags(
        ctx.caller.accountId,
        input.ServerCertificateName,
        pageRequest(input),
      ),
    )
    return { Tags: tagListXml(page.items), ...pageEnd(page) }
  },
})
