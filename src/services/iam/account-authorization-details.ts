/**
 * GetAccountAuthorizationDetails (reference §2, "Account"): every user, group, role and customer
 * managed policy of the account with everything that grants or limits permissions: inline
 * policies with their documents, attached policies, group memberships, instance profiles,
 * boundaries, tags and every policy version. One page may hold items of several lists.
 */
import { allItems } from '../../store/all-items.js'
import { DEFAULT_MAX_ITEMS } from '../../store/store.js'
import type {
  InlinePolicy,
  Page,
  PageRequest,
  PolicyHolderRef,
  StoreTx,
} from '../../store/store.js'
import type { XmlValue } from '../../protocol/query/xml-value.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import {
  groupDetailXml,
  managedPolicyDetailXml,
  roleDetailXml,
  userDetailXml,
} from './authorization-details-results.js'
import type { HolderPolicies } from './authorization-details-results.js'
import { ENTITY_TYPE } from './policy-shapes.js'
import { PAGE_MEMBERS } from './shapes.js'

/** The response's lists, in the order a listing walks them: a marker points into one of them. */
const SECTIONS = ['users', 'groups', 'roles', 'policies'] as const

/** One of the response's lists. */
type Section = (typeof SECTIONS)[number]

/**
 * The section each Filter value selects. Gatehouse has no AWS managed policies (ListPolicies
 * with Scope=AWS lists none), so AWSManagedPolicy selects nothing; `policies` holds the
 * account's own, LocalManagedPolicy.
 */
const FILTER_SECTIONS: Readonly<Record<(typeof ENTITY_TYPE.enum)[number], Section | undefined>> = {
  User: 'users',
  Group: 'groups',
  Role: 'roles',
  LocalManagedPolicy: 'policies',
  AWSManagedPolicy: undefined,
}

const INPUT = {
  kind: 'structure',
  members: { Filter: { kind: 'list', member: ENTITY_TYPE }, ...PAGE_MEMBERS },
} as const

/** Where a page starts: a section, and the store's marker within it (none: at its start). */
interface Position {
  readonly section: Section
  readonly storeMarker: string | undefined
}

// A marker is `section:storeMarker`, the store's marker empty at the start of a section. The
// store's markers are opaque and the section name says which list one belongs to.
const OWN_MARKER = /^(users|groups|roles|policies):([\s\S]*)$/

function markerOf(position: Position): string {
  return `${position.section}:${position.storeMarker ?? ''}`
}

/**
 * Where a Marker says to start. A marker this operation did not hand out is given, as it is, to
 * the first listed section's store listing: the store then treats it exactly as it treats a
 * foreign marker given to ListUsers or ListRoles, so both answer it alike.
 */
function positionOf(marker: string | undefined, sections: readonly Section[]): Position | null {
  const first = sections[0]
  if (first === undefined) return null
  if (marker === undefined) return { section: first, storeMarker: undefined }
  const own = OWN_MARKER.exec(marker)
  if (own === null) return { section: first, storeMarker: marker }
  const [, section, storeMarker] = own as unknown as [string, Section, string]
  return { section, storeMarker: storeMarker === '' ? undefined : storeMarker }
}

/** A holder's inline policies with their documents, and its attached managed policies. */
async function holderPolicies(tx: StoreTx, holder: PolicyHolderRef): Promise<HolderPolicies> {
  const names = await allItems((r) => tx.listInlinePolicies(holder, r))
  const inline: InlinePolicy[] = []
  for (const name of names) inline.push(await tx.getInlinePolicy(holder, name))
  const attached = await allItems((r) => tx.listAttachedPolicies(holder, r))
  return { inline, attached }
}

/** Maps a page's items one at a time: the reads share the request's one transaction. */
async function detailPage<T>(
  page: Page<T>,
  detail: (item: T) => Promise<XmlValue>,
): Promise<Page<XmlValue>> {
  const items: XmlValue[] = []
  for (const item of page.items) items.push(await detail(item))
  return { items, marker: page.marker }
}

/**
 * A page of one section, each item with its details. The store has no bulk read of details, so
 * each item costs a few reads of its own (its policies, groups, profiles, tags or versions).
 */
async function readSection(
  ctx: OperationContext,
  section: Section,
  request: PageRequest,
): Promise<Page<XmlValue>> {
  const { tx } = ctx
  const accountId = ctx.caller.accountId
  switch (section) {
    case 'users':
      return detailPage(await tx.listUsers(accountId, request), async (user) => {
        const ref = { accountId, name: user.name }
        return userDetailXml(
          user,
          await holderPolicies(tx, { kind: 'user', ...ref }),
          await allItems((r) => tx.listGroupsForUser(accountId, user.name, r)),
          await allItems((r) => tx.listTags({ kind: 'user', ...ref }, r)),
        )
      })
    case 'groups':
      return detailPage(await tx.listGroups(accountId, request), async (group) =>
        groupDetailXml(
          group,
          await holderPolicies(tx, { kind: 'group', accountId, name: group.name }),
        ),
      )
    case 'roles':
      return detailPage(await tx.listRoles(accountId, request), async (role) => {
        const ref = { accountId, name: role.name }
        return roleDetailXml(
          role,
          await allItems((r) => tx.listInstanceProfilesForRole(accountId, role.name, r)),
          await holderPolicies(tx, { kind: 'role', ...ref }),
          await allItems((r) => tx.listTags({ kind: 'role', ...ref }, r)),
          await ctx.accessAdvisor.roleLastUsed(accountId, role.roleId),
        )
      })
    case 'policies':
      return detailPage(await tx.listPolicies(accountId, request), async (policy) =>
        managedPolicyDetailXml(
          policy,
          await allItems((r) => tx.listPolicyVersions(accountId, policy.name, r)),
        ),
      )
  }
}

/** Whether a section has any item at or after `storeMarker`. */
async function hasMore(
  ctx: OperationContext,
  section: Section,
  storeMarker: string | undefined,
): Promise<boolean> {
  const accountId = ctx.caller.accountId
  const request = { maxItems: 1, ...(storeMarker === undefined ? {} : { marker: storeMarker }) }
  const { tx } = ctx
  const lists = {
    users: () => tx.listUsers(accountId, request),
    groups: () => tx.listGroups(accountId, request),
    roles: () => tx.listRoles(accountId, request),
    policies: () => tx.listPolicies(accountId, request),
  } satisfies Record<Section, () => Promise<Page<unknown>>>
  return (await lists[section]()).items.length > 0
}

/**
 * GetAccountAuthorizationDetails: the sections the Filter selects (all without one), walked in
 * the order users, groups, roles, policies; MaxItems counts the items of all of them together.
 * Every list is sent, empty or not; Marker only when more items follow.
 */
export const GET_ACCOUNT_AUTHORIZATION_DETAILS = defineOperation({
  name: 'GetAccountAuthorizationDetails',
  action: 'iam:GetAccountAuthorizationDetails',
  input: INPUT,
  // The Service Authorization Reference gives iam:GetAccountAuthorizationDetails no resource type.
  resource: () => '*',
  handle: async (input, ctx) => {
    // An empty Filter names no type to keep, so, like an absent one, it keeps them all.
    const filter = input.Filter === undefined || input.Filter.length === 0 ? null : input.Filter
    const selected = new Set(filter === null ? SECTIONS : filter.map((t) => FILTER_SECTIONS[t]))
    const sections = SECTIONS.filter((s) => selected.has(s))
    const lists: Record<Section, XmlValue[]> = { users: [], groups: [], roles: [], policies: [] }
    let next: Position | undefined
    const start = positionOf(input.Marker, sections)
    if (start !== null) {
      let room = input.MaxItems ?? DEFAULT_MAX_ITEMS
      // The sections before the marker's are done, and so is the marker's own when this
      // Filter does not select it (the earlier page's Filter may have).
      const after = SECTIONS.indexOf(start.section)
      for (const section of sections.filter((s) => SECTIONS.indexOf(s) >= after)) {
        const storeMarker = section === start.section ? start.storeMarker : undefined
        if (room === 0) {
          // The page is full: a Marker only if something is left, so the last page has none.
          if (await hasMore(ctx, section, storeMarker)) {
            next = { section, storeMarker }
            break
          }
          continue
        }
        const page = await readSection(ctx, section, {
          maxItems: room,
          ...(storeMarker === undefined ? {} : { marker: storeMarker }),
        })
        lists[section].push(...page.items)
        room -= page.items.length
        if (page.marker !== null) {
          next = { section, storeMarker: page.marker }
          break
        }
      }
    }
    return {
      UserDetailList: lists.users,
      GroupDetailList: lists.groups,
      RoleDetailList: lists.roles,
      Policies: lists.policies,
      IsTruncated: next !== undefined,
      Marker: next === undefined ? undefined : markerOf(next),
    }
  },
})
