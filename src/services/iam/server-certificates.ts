/**
 * IAM server certificates: UploadServerCertificate, GetServerCertificate,
 * ListServerCertificates, UpdateServerCertificate, DeleteServerCertificate (reference §2,
 * "Server certificates"). The private key is checked against the certificate, sealed by the
 * store under the master key, and never returned by any operation.
 */
import { allItems } from '../../store/all-items.js'
import { serverCertificateArn } from '../../store/server-certificates-ops.js'
import type { ServerCertificate } from '../../store/server-certificates-ops.js'
import type { Tag } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { pageEnd, pageRequest, tagsXml } from './results.js'
import { readServerCertificate } from './server-certificate-material.js'
import {
  CERTIFICATE_CHAIN,
  PRIVATE_KEY,
  SERVER_CERTIFICATE_BODY,
  SERVER_CERTIFICATE_NAME,
} from './server-certificate-shapes.js'
import { PAGE_MEMBERS, PATH, PATH_PREFIX, TAGS, required } from './shapes.js'
import {
  findServerCertificate,
  serverCertificateTagKeys,
  targetServerCertificateArn,
  withServerCertificateErrors,
} from './target-server-certificate.js'

/** The ServerCertificateMetadata structure. */
function metadataXml(certificate: ServerCertificate) {
  return {
    Path: certificate.path,
    ServerCertificateName: certificate.name,
    ServerCertificateId: certificate.serverCertificateId,
    Arn: certificate.arn,
    UploadDate: certificate.uploadedAt,
    Expiration: certificate.expiresAt,
  }
}

/** A certificate's tags, by key. */
function tagsOf(ctx: OperationContext, c: ServerCertificate): Promise<Tag[]> {
  return allItems((r) => ctx.tx.listServerCertificateTags(c.accountId, c.name, r))
}

/**
 * UploadServerCertificate: MalformedCertificate, KeyPairMismatch, EntityAlreadyExists,
 * LimitExceeded (20 per account, or 50 tags). The response carries the metadata and the tags.
 */
export const UPLOAD_SERVER_CERTIFICATE = defineOperation({
  name: 'UploadServerCertificate',
  action: 'iam:UploadServerCertificate',
  input: {
    kind: 'structure',
    members: {
      Path: PATH,
      ServerCertificateName: required(SERVER_CERTIFICATE_NAME),
      CertificateBody: required(SERVER_CERTIFICATE_BODY),
      PrivateKey: required(PRIVATE_KEY),
      CertificateChain: CERTIFICATE_CHAIN,
      Tags: TAGS,
    },
  } as const,
  resource: (input, ctx) =>
    serverCertificateArn(ctx.caller.accountId, input.Path ?? '/', input.ServerCertificateName),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: async (input, ctx) => {
    const tags = checkTags(input.Tags ?? [])
    const material = readServerCertificate(
      { body: input.CertificateBody, privateKey: input.PrivateKey, chain: input.CertificateChain },
      ctx.now,
    )
    const certificate = await withServerCertificateErrors(() =>
      ctx.tx.uploadServerCertificate({
        accountId: ctx.caller.accountId,
        name: input.ServerCertificateName,
        path: input.Path ?? '/',
        body: input.CertificateBody,
        ...(input.CertificateChain === undefined ? {} : { chain: input.CertificateChain }),
        privateKey: input.PrivateKey,
        expiresAt: material.expiresAt,
        tags,
      }),
    )
    return {
      ServerCertificateMetadata: metadataXml(certificate),
      Tags: tagsXml(await tagsOf(ctx, certificate)),
    }
  },
})

/** GetServerCertificate: the metadata, body, chain and tags; never the private key. */
export const GET_SERVER_CERTIFICATE = defineOperation({
  name: 'GetServerCertificate',
  action: 'iam:GetServerCertificate',
  input: {
    kind: 'structure',
    members: { ServerCertificateName: required(SERVER_CERTIFICATE_NAME) },
  } as const,
  resource: (input, ctx) => targetServerCertificateArn(ctx, input.ServerCertificateName),
  conditionKeys: (input, ctx) => serverCertificateTagKeys(ctx, input.ServerCertificateName),
  handle: async (input, ctx) => {
    const certificate = await withServerCertificateErrors(() =>
      ctx.tx.getServerCertificate(ctx.caller.accountId, input.ServerCertificateName),
    )
    return {
      ServerCertificate: {
        ServerCertificateMetadata: metadataXml(certificate),
        CertificateBody: certificate.body,
        CertificateChain: certificate.chain ?? undefined,
        Tags: tagsXml(await tagsOf(ctx, certificate)),
      },
    }
  },
})

/** ListServerCertificates: metadata only (no tags, as IAM's lists), by name, paginated. */
export const LIST_SERVER_CERTIFICATES = defineOperation({
  name: 'ListServerCertificates',
  action: 'iam:ListServerCertificates',
  input: {
    kind: 'structure',
    members: { PathPrefix: PATH_PREFIX, ...PAGE_MEMBERS },
  } as const,
  // The reference gives the action no resource type: a policy can allow it only on `*`.
  resource: () => '*',
  handle: async (input, ctx) => {
    const page = await ctx.tx.listServerCertificates(
      ctx.caller.accountId,
      input.PathPrefix,
      pageRequest(input),
    )
    return { ServerCertificateMetadataList: page.items.map(metadataXml), ...pageEnd(page) }
  },
})

/**
 * UpdateServerCertificate: a new name and/or path. "The person making the request (the
 * principal), must have permission to change the server certificate with the old name and the
 * new name" (API reference): it is authorized on both ARNs.
 */
export const UPDATE_SERVER_CERTIFICATE = defineOperation({
  name: 'UpdateServerCertificate',
  action: 'iam:UpdateServerCertificate',
  input: {
    kind: 'structure',
    members: {
      ServerCertificateName: required(SERVER_CERTIFICATE_NAME),
      NewPath: PATH,
      NewServerCertificateName: SERVER_CERTIFICATE_NAME,
    },
  } as const,
  resource: (input, ctx) => targetServerCertificateArn(ctx, input.ServerCertificateName),
  conditionKeys: (input, ctx) => serverCertificateTagKeys(ctx, input.ServerCertificateName),
  alsoAuthorize: async (input, ctx) => {
    const current = await findServerCertificate(ctx, input.ServerCertificateName)
    if (current === undefined) return []
    const after = serverCertificateArn(
      ctx.caller.accountId,
      input.NewPath ?? current.path,
      input.NewServerCertificateName ?? current.name,
    )
    return after === current.arn ? [] : [{ action: 'iam:UpdateServerCertificate', resource: after }]
  },
  handle: async (input, ctx) => {
    await withServerCertificateErrors(() =>
      ctx.tx.updateServerCertificate(ctx.caller.accountId, input.ServerCertificateName, {
        ...(input.NewPath === undefined ? {} : { newPath: input.NewPath }),
        ...(input.NewServerCertificateName === undefined
          ? {}
          : { newName: input.NewServerCertificateName }),
      }),
    )
    return undefined
  },
})

/** DeleteServerCertificate, with its sealed key and its tags. */
export const DELETE_SERVER_CERTIFICATE = defineOperation({
  name: 'DeleteServerCertificate',
  action: 'iam:DeleteServerCertificate',
  input: {
    kind: 'structure',
    members: { ServerCertificateName: required(SERVER_CERTIFICATE_NAME) },
  } as const,
  resource: (input, ctx) => targetServerCertificateArn(ctx, input.ServerCertificateName),
  conditionKeys: (input, ctx) => serverCertificateTagKeys(ctx, input.ServerCertificateName),
  handle: async (input, ctx) => {
    await withServerCertificateErrors(() =>
      ctx.tx.deleteServerCertificate(ctx.caller.accountId, input.ServerCertificateName),
    )
    return undefined
  },
})
