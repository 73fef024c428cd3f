/**
 * SSH public keys of IAM users, for CodeCommit: UploadSSHPublicKey, GetSSHPublicKey,
 * ListSSHPublicKeys, UpdateSSHPublicKey, DeleteSSHPublicKey (reference §2, "SSH public keys").
 * All but ListSSHPublicKeys name their user: the root user has no SSH public keys.
 */
import { AwsError } from '../../errors/aws-error.js'
import type { SshPublicKey } from '../../store/user-credentials-ops.js'
import { defineOperation } from '../operation.js'
import { pageEnd, pageRequest } from './results.js'
import { PAGE_MEMBERS, STATUS, USER_NAME, required } from './shapes.js'
import { readSshPublicKey, sshPublicKeyBody } from './ssh-public-key-material.js'
import { targetUserArn, targetUserName } from './target-user.js'
import { withUserCredentialErrors } from './user-credential-aws-error.js'
import { ENCODING, PUBLIC_KEY_ID, PUBLIC_KEY_MATERIAL } from './user-credential-shapes.js'

/** The SSHPublicKey structure, its body in the encoding given. */
function sshPublicKeyXml(key: SshPublicKey, body: string) {
  return {
    UserName: key.userName,
    SSHPublicKeyId: key.sshPublicKeyId,
    Fingerprint: key.fingerprint,
    SSHPublicKeyBody: body,
    Status: key.status,
    UploadDate: key.uploadedAt,
  }
}

/** SSHPublicKeyMetadata, as ListSSHPublicKeys returns it (no body, no fingerprint). */
function metadataXml(key: SshPublicKey) {
  return {
    UserName: key.userName,
    SSHPublicKeyId: key.sshPublicKeyId,
    Status: key.status,
    UploadDate: key.uploadedAt,
  }
}

/** UploadSSHPublicKey: an ssh-rsa or PEM RSA key of 2048 bits or more, Active. */
export const UPLOAD_SSH_PUBLIC_KEY = defineOperation({
  name: 'UploadSSHPublicKey',
  action: 'iam:UploadSSHPublicKey',
  input: {
    kind: 'structure',
    members: {
      UserName: required(USER_NAME),
      SSHPublicKeyBody: required(PUBLIC_KEY_MATERIAL),
    },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const material = readSshPublicKey(input.SSHPublicKeyBody)
    const key = await withUserCredentialErrors(() =>
      ctx.tx.uploadSshPublicKey({
        accountId: ctx.caller.accountId,
        userName: input.UserName,
        body: input.SSHPublicKeyBody,
        fingerprint: material.fingerprint,
      }),
    )
    return { SSHPublicKey: sshPublicKeyXml(key, key.body) }
  },
})

/** GetSSHPublicKey: the key in the encoding asked for, ssh-rsa (SSH) or PEM. */
export const GET_SSH_PUBLIC_KEY = defineOperation({
  name: 'GetSSHPublicKey',
  action: 'iam:GetSSHPublicKey',
  input: {
    kind: 'structure',
    members: {
      UserName: required(USER_NAME),
      SSHPublicKeyId: required(PUBLIC_KEY_ID),
      Encoding: required(ENCODING),
    },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const key = await withUserCredentialErrors(() =>
      ctx.tx.getSshPublicKey(ctx.caller.accountId, input.UserName, input.SSHPublicKeyId),
    )
    return { SSHPublicKey: sshPublicKeyXml(key, sshPublicKeyBody(key.body, input.Encoding)) }
  },
})

/**
 * ListSSHPublicKeys: a user's keys, in order of id. Without UserName, the caller's own; the root
 * user, who can have none, gets an empty list ("If none exists, the operation returns an empty
 * list").
 */
export const LIST_SSH_PUBLIC_KEYS = defineOperation({
  name: 'ListSSHPublicKeys',
  action: 'iam:ListSSHPublicKeys',
  input: { kind: 'structure', members: { UserName: USER_NAME, ...PAGE_MEMBERS } } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const userName = targetUserName(ctx.caller, input.UserName)
    if (userName === null) return { SSHPublicKeys: [], IsTruncated: false }
    const page = await ctx.tx.listSshPublicKeys(ctx.caller.accountId, userName, pageRequest(input))
    return { SSHPublicKeys: page.items.map(metadataXml), ...pageEnd(page) }
  },
})

/** UpdateSSHPublicKey: makes a key Active or Inactive. */
export const UPDATE_SSH_PUBLIC_KEY = defineOperation({
  name: 'UpdateSSHPublicKey',
  action: 'iam:UpdateSSHPublicKey',
  input: {
    kind: 'structure',
    members: {
      UserName: required(USER_NAME),
      SSHPublicKeyId: required(PUBLIC_KEY_ID),
      Status: required(STATUS),
    },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    // statusType also has Expired, which no caller sets: the model lists InvalidInput here.
    if (input.Status === 'Expired') {
      // Invented message, as UpdateAccessKey's.
      throw new AwsError(
        'InvalidInput',
        'Status Expired is not valid for an SSH public key: use Active or Inactive.',
      )
    }
    const status = input.Status
    await withUserCredentialErrors(() =>
      ctx.tx.updateSshPublicKeyStatus(
        ctx.caller.accountId,
        input.UserName,
        input.SSHPublicKeyId,
        status,
      ),
    )
    return undefined
  },
})

/** DeleteSSHPublicKey. */
export const DELETE_SSH_PUBLIC_KEY = defineOperation({
  name: 'DeleteSSHPublicKey',
  action: 'iam:DeleteSSHPublicKey',
  input: {
    kind: 'structure',
    members: { UserName: required(USER_NAME), SSHPublicKeyId: required(PUBLIC_KEY_ID) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    await withUserCredentialErrors(() =>
      ctx.tx.deleteSshPublicKey(ctx.caller.accountId, input.UserName, input.SSHPublicKeyId),
    )
    return undefined
  },
})
