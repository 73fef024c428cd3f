/** awsQuery request parameters and reply readers the in-process tests of IAM families share. */
import assert from 'node:assert/strict'
import { xmlAll, xmlText } from './in-process.js'
import type { Reply } from './in-process.js'

/** awsQuery members of a list: `Name.member.1`, `Name.member.2`, ... */
export function members(name: string, values: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {}
  values.forEach((value, i) => {
    params[`${name}.member.${i + 1}`] = value
  })
  return params
}

/** awsQuery members of `Tags`, in the order given. */
export function tagParams(tags: Readonly<Record<string, string>>): Record<string, string> {
  const params: Record<string, string> = {}
  Object.entries(tags).forEach(([key, value], i) => {
    params[`Tags.member.${i + 1}.Key`] = key
    params[`Tags.member.${i + 1}.Value`] = value
  })
  return params
}

/** The tags of a reply's list at `path`, by key. */
export function tagsOf(reply: Reply, path: string): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const member of xmlAll(reply.xml, `${path}/member`)) {
    tags[xmlText(member, 'Key') ?? ''] = xmlText(member, 'Value') ?? ''
  }
  return tags
}

/** Asserts that `reply` is the error of `code` with `status` and `message`. */
export function expectError(reply: Reply, status: number, code: string, message: string): void {
  assert.equal(reply.status, status, reply.body)
  assert.deepEqual(reply.error, { code, message })
}
