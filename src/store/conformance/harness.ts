/**
 * What the conformance cases share: a fresh store per case with a fixed clock, a seeded random
 * source and two accounts, and assertions on the store's errors.
 */
import assert from 'node:assert/strict'
import type { RandomBytes } from '../ids.js'
import type { StoreLimits } from '../limits.js'
import { MasterKey } from '../secret-box.js'
import type { PolicyHolderRef, Store, StoreTx, TaggableRef } from '../store.js'

/** The account every case starts with. */
export const ACCOUNT = '111122223333'
/** A second account, to show that names and quotas are per account. */
export const OTHER_ACCOUNT = '444455556666'
/** The time the clock shows when a case starts. */
export const START = new Date('2026-01-01T00:00:00.000Z')
/** The master key of every store the suite opens. */
export const TEST_MASTER_KEY = MasterKey.fromBytes(new Uint8Array(32).fill(0x5a))

/** A trust policy for roles. */
export const TRUST_POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'

/** A permissions policy for managed and inline policies. */
export const POLICY_DOCUMENT =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'

/** A clock that moves only when told to. */
export class TestClock {
  #now = START.getTime()

  /** The current time; pass it to the store as its clock. */
  readonly now = (): Date => new Date(this.#now)

  /** Moves the clock forward. */
  advance(ms: number): void {
    this.#now += ms
  }
}

/** A deterministic random source (mulberry32), so ids repeat from run to run. */
export function seededRandom(seed: number): RandomBytes {
  let state = seed >>> 0
  return (size) => {
    const out = new Uint8Array(size)
    for (let i = 0; i < size; i++) {
      state = (state + 0x6d2b79f5) >>> 0
      let t = state
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      out[i] = (t ^ (t >>> 14)) & 0xff
    }
    return out
  }
}

/** What a case gets. */
export interface CaseContext {
  readonly store: Store
  readonly clock: TestClock
  /** Runs `fn` in a transaction of the store. */
  tx<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>
  /** Every byte the backend keeps for this store, as its harness reads them. */
  rawContent(): Promise<Uint8Array>
  /** Opens another store with the same options and seed (a new, separate database). */
  openAnother(): Promise<Store>
}

/** How a case wants its store. */
export interface CaseOptions {
  readonly limits?: Partial<StoreLimits>
}

/** Registers one case. */
export type DefineCase = (
  name: string,
  fn: (c: CaseContext) => Promise<void>,
  options?: CaseOptions,
) => void

/** A named group of cases. */
export interface CaseGroup {
  readonly name: string
  readonly cases: (test: DefineCase) => void
}

/**
 * Asserts that `promise` rejects with an instance of `type` whose fields equal `expected`, and
 * returns the error.
 */
export async function rejectsWith<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
  expected: { readonly [K in keyof E]?: unknown } = {},
): Promise<E> {
  let outcome: unknown
  try {
    outcome = await promise
  } catch (err) {
    assert.ok(err instanceof type, `expected a ${type.name}, got ${String(err)}`)
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual((err as unknown as Record<string, unknown>)[key], value, `error's ${key}`)
    }
    return err
  }
  assert.fail(`expected a ${type.name}, but it resolved to ${JSON.stringify(outcome)}`)
}

/** A user, group or role as a policy holder in ACCOUNT. */
export function holder(kind: PolicyHolderRef['kind'], name: string): PolicyHolderRef {
  return { kind, accountId: ACCOUNT, name }
}

/** A taggable resource in ACCOUNT. */
export function taggable(kind: TaggableRef['kind'], name: string): TaggableRef {
  return { kind, accountId: ACCOUNT, name }
}

/** All items of a list, page by page, with the page sizes seen. */
export async function readAllPages<T>(
  readPage: (marker: string | undefined) => Promise<{
    readonly items: readonly T[]
    readonly marker: string | null
  }>,
): Promise<{ items: T[]; pages: number[] }> {
  const items: T[] = []
  const pages: number[] = []
  let marker: string | undefined
  for (;;) {
    const page = await readPage(marker)
    items.push(...page.items)
    pages.push(page.items.length)
    if (page.marker === null) return { items, pages }
    assert.ok(pages.length < 10_000, 'pagination does not end')
    marker = page.marker
  }
}
