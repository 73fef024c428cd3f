/**
 * Tags of users, roles, managed policies and instance profiles. Each kind has its own table so
 * that tags go with their owner (ON DELETE CASCADE); the table's `key_norm` column decides
 * whether keys compare with case, so the rule lives in the schema.
 */
import type { Tag, TagOps, TaggableRef } from '../store.js'
import { ENTITY_TABLES } from './sql-context.js'
import type { SqlContext } from './sql-context.js'
import { paginate } from './paginate.js'

const TAG_TABLES = {
  user: { table: 'user_tags', owner: 'user_id', norm: 'lower(?)' },
  role: { table: 'role_tags', owner: 'role_id', norm: 'lower(?)' },
  policy: { table: 'policy_tags', owner: 'policy_id', norm: '?' },
  instanceProfile: { table: 'instance_profile_tags', owner: 'instance_profile_id', norm: '?' },
} as const satisfies Record<TaggableRef['kind'], { table: string; owner: string; norm: string }>

/**
 * Adds or replaces tags of the entity with unique id `ownerId`; a replaced key takes the new
 * spelling. LimitExceededError past tagsPerResource (the caller's savepoint undoes the writes).
 */
export async function putTags(
  ctx: SqlContext,
  kind: TaggableRef['kind'],
  ownerId: string,
  tags: readonly Tag[],
): Promise<void> {
  const { table, owner } = TAG_TABLES[kind]
  for (const tag of tags) {
    await ctx.run(
      `INSERT INTO ${table} (${owner}, key, value) VALUES (?, ?, ?)
       ON CONFLICT (${owner}, key_norm) DO UPDATE SET key = excluded.key, value = excluded.value`,
      ownerId,
      tag.key,
      tag.value,
    )
  }
  ctx.ensureWithin(
    'tagsPerResource',
    await ctx.count(`SELECT count(*) FROM ${table} WHERE ${owner} = ?`, ownerId),
  )
}

/**
 * Adds or replaces tags in a tag table whose keys compare with case (`key` in its primary key,
 * no `key_norm`): the tables of the families that keep their own tags (OIDC and SAML providers,
 * MFA devices, server certificates). `table` and `owner` are the family's own constants, never
 * input. LimitExceededError past tagsPerResource (the caller's savepoint undoes the writes).
 */
export async function putCaseSensitiveTags(
  ctx: SqlContext,
  table: string,
  owner: string,
  ownerId: number | string,
  tags: readonly Tag[],
): Promise<void> {
  for (const tag of tags) {
    await ctx.run(
      `INSERT INTO ${table} (${owner}, key, value) VALUES (?, ?, ?)
       ON CONFLICT (${owner}, key) DO UPDATE SET value = excluded.value`,
      ownerId,
      tag.key,
      tag.value,
    )
  }
  ctx.ensureWithin(
    'tagsPerResource',
    await ctx.count(`SELECT count(*) FROM ${table} WHERE ${owner} = ?`, ownerId),
  )
}

/** The tag operations. */
export function tagOps(ctx: SqlContext): TagOps {
  return {
    async tagResource(resource, tags) {
      await putTags(
        ctx,
        resource.kind,
        await ctx.idOf(resource.kind, resource.accountId, resource.name),
        tags,
      )
    },

    async untagResource(resource, keys) {
      const { table, owner, norm } = TAG_TABLES[resource.kind]
      const ownerId = await ctx.idOf(resource.kind, resource.accountId, resource.name)
      for (const key of keys) {
        await ctx.run(
          `DELETE FROM ${table} WHERE ${owner} = ? AND key_norm = ${norm}`,
          ownerId,
          key,
        )
      }
    },

    async getResourceTags(resource) {
      const { table, owner } = TAG_TABLES[resource.kind]
      const entity = ENTITY_TABLES[resource.kind]
      // One statement: the owner's row joined with its tags, a row with null tag when it has
      // none, no row when it does not exist.
      const rows = await ctx.all<{ key: string | null; value: string | null }>(
        `SELECT t.key, t.value FROM ${entity.table} o
         LEFT JOIN ${table} t ON t.${owner} = o.${entity.id}
         WHERE o.account_id = ? AND o.name_key = lower(?)
         ORDER BY ${ctx.bytewise('t.key_norm')}`,
        resource.accountId,
        resource.name,
      )
      if (rows.length === 0) return undefined
      const tags: Tag[] = []
      for (const row of rows) {
        if (row.key !== null && row.value !== null) tags.push({ key: row.key, value: row.value })
      }
      return tags
    },

    async listTags(resource, request) {
      const { table, owner } = TAG_TABLES[resource.kind]
      const ownerId = await ctx.idOf(resource.kind, resource.accountId, resource.name)
      return paginate<{ sort_key: string; key: string; value: string }, Tag>(
        ctx,
        `SELECT key, value, key_norm AS sort_key FROM ${table} WHERE ${owner} = ?`,
        [ownerId],
        request,
        (row) => ({ key: row.key, value: row.value }),
      )
    },
  }
}
