/**
 * X.509 signing certificates of IAM users and of the root user: UploadSigningCertificate,
 * ListSigningCertificates, UpdateSigningCertificate, DeleteSigningCertificate (reference §2,
 * "X.509 signing certificates"). Without UserName each acts on the caller's own certificates,
 * the root user's included ("you can use this operation to manage Amazon Web Services account
 * root user credentials even if the Amazon Web Services account has no associated users").
 */
import { AwsError } from '../../errors/aws-error.js'
import type { SigningCertificate } from '../../store/user-credentials-ops.js'
import { defineOperation } from '../operation.js'
import { pageEnd, pageRequest } from './results.js'
import { EXISTING_USER_NAME, PAGE_MEMBERS, STATUS, required } from './shapes.js'
import { readSigningCertificate } from './signing-certificate-material.js'
import { targetUserArn, targetUserName } from './target-user.js'
import { withUserCredentialErrors } from './user-credential-aws-error.js'
import { CERTIFICATE_BODY, CERTIFICATE_ID } from './user-credential-shapes.js'

/** The SigningCertificate structure (the root user's carry no UserName, as its access keys). */
function certificateXml(certificate: SigningCertificate) {
  return {
    UserName: certificate.userName ?? undefined,
    CertificateId: certificate.certificateId,
    CertificateBody: certificate.body,
    Status: certificate.status,
    UploadDate: certificate.uploadedAt,
  }
}

/** UploadSigningCertificate: one PEM certificate in its validity period, Active. */
export const UPLOAD_SIGNING_CERTIFICATE = defineOperation({
  name: 'UploadSigningCertificate',
  action: 'iam:UploadSigningCertificate',
  input: {
    kind: 'structure',
    members: { UserName: EXISTING_USER_NAME, CertificateBody: required(CERTIFICATE_BODY) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const material = readSigningCertificate(input.CertificateBody, ctx.now)
    const certificate = await withUserCredentialErrors(() =>
      ctx.tx.uploadSigningCertificate({
        accountId: ctx.caller.accountId,
        userName: targetUserName(ctx.caller, input.UserName),
        body: input.CertificateBody,
        fingerprint: material.fingerprint,
      }),
    )
    return { Certificate: certificateXml(certificate) }
  },
})

/** ListSigningCertificates: a user's certificates with their bodies, in order of id. */
export const LIST_SIGNING_CERTIFICATES = defineOperation({
  name: 'ListSigningCertificates',
  action: 'iam:ListSigningCertificates',
  input: {
    kind: 'structure',
    members: { UserName: EXISTING_USER_NAME, ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listSigningCertificates(
      ctx.caller.accountId,
      targetUserName(ctx.caller, input.UserName),
      pageRequest(input),
    )
    return { Certificates: page.items.map(certificateXml), ...pageEnd(page) }
  },
})

/** UpdateSigningCertificate: makes a certificate Active or Inactive. */
export const UPDATE_SIGNING_CERTIFICATE = defineOperation({
  name: 'UpdateSigningCertificate',
  action: 'iam:UpdateSigningCertificate',
  input: {
    kind: 'structure',
    members: {
      UserName: EXISTING_USER_NAME,
      CertificateId: required(CERTIFICATE_ID),
      Status: required(STATUS),
    },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    if (input.Status === 'Expired') {
      // Invented message, as UpdateAccessKey's: the model lists InvalidInput here.
      throw new AwsError(
        'InvalidInput',
        'Status Expired is not valid for a signing certificate: use Active or Inactive.',
      )
    }
    const status = input.Status
    await withUserCredentialErrors(() =>
      ctx.tx.updateSigningCertificateStatus(
        ctx.caller.accountId,
        targetUserName(ctx.caller, input.UserName),
        input.CertificateId,
        status,
      ),
    )
    return undefined
  },
})

/** DeleteSigningCertificate. */
export const DELETE_SIGNING_CERTIFICATE = defineOperation({
  name: 'DeleteSigningCertificate',
  action: 'iam:DeleteSigningCertificate',
  input: {
    kind: 'structure',
    members: { UserName: EXISTING_USER_NAME, CertificateId: required(CERTIFICATE_ID) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    await withUserCredentialErrors(() =>
      ctx.tx.deleteSigningCertificate(
        ctx.caller.accountId,
        targetUserName(ctx.caller, input.UserName),
        input.CertificateId,
      ),
    )
    return undefined
  },
})
