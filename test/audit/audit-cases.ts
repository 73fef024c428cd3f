/**
 * The JSON form of the audit cases (test/cases/audit/build-trail-event.json): AuditEvents whose
 * Dates are written `{"$date": "…"}`, Maps `{"$map": [[key, value], …]}`, absent members null,
 * and whose caller is named from the file's `callers`.
 */
import { readFileSync } from 'node:fs'
import type { AuditEvent } from '../../src/audit/audit-event.js'
import type { Caller } from '../../src/auth/caller.js'
import type { TrailAccess, TrailResource } from '../../src/store/trail-store.js'

/** One case: the answered call, its exact record, and what LookupEvents files it under. */
export interface AuditCase {
  readonly id: string
  readonly description: string
  readonly event: AuditEvent
  /** The record, as JSON.stringify writes it (member order included). */
  readonly record: unknown
  readonly index: {
    readonly eventName: string
    readonly eventSource: string
    readonly username: string | null
    readonly accessKeyId: string | null
    readonly resources: readonly TrailResource[]
    readonly accountId: string | null
    /** The attempt Access Advisor counts, or null. */
    readonly access: TrailAccess | null
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Dates and Maps back from their JSON forms, at any depth. */
export function revive(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(revive)
  if (!isRecord(json)) return json
  if (typeof json['$date'] === 'string') return new Date(json['$date'])
  if (Array.isArray(json['$map'])) {
    return new Map((json['$map'] as [string, unknown][]).map(([k, v]) => [k, revive(v)]))
  }
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, revive(v)]))
}

interface CaseFile {
  readonly defaults: Record<string, unknown>
  readonly callers: Record<string, unknown>
  readonly cases: readonly {
    readonly id: string
    readonly description: string
    readonly event: Record<string, unknown>
    readonly record: unknown
    readonly index: AuditCase['index']
  }[]
}

/** The callers of the case file, by name. */
export function loadCallers(file: CaseFile): ReadonlyMap<string, Caller> {
  return new Map(Object.entries(file.callers).map(([name, c]) => [name, revive(c) as Caller]))
}

/** An AuditEvent from a case's JSON: defaults first, null for absent, the caller by name. */
export function eventFromJson(
  json: Record<string, unknown>,
  defaults: Record<string, unknown>,
  callers: ReadonlyMap<string, Caller>,
): AuditEvent {
  const merged = revive({ ...defaults, ...json }) as Record<string, unknown>
  const event: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(merged)) {
    if (value === null) continue
    if (name === 'caller') {
      const caller = typeof value === 'string' ? callers.get(value) : undefined
      if (caller === undefined) throw new Error(`no caller named ${JSON.stringify(value)}`)
      event['caller'] = caller
    } else {
      event[name] = value
    }
  }
  return event as unknown as AuditEvent
}

/** The case file's raw JSON. */
export function loadCaseFile(): CaseFile {
  return JSON.parse(
    readFileSync(new URL('../cases/audit/build-trail-event.json', import.meta.url), 'utf8'),
  ) as CaseFile
}

/** Every case of the file, ready to run. */
export function loadAuditCases(): { readonly file: CaseFile; readonly cases: AuditCase[] } {
  const file = loadCaseFile()
  const callers = loadCallers(file)
  return {
    file,
    cases: file.cases.map((c) => ({
      id: c.id,
      description: c.description,
      event: eventFromJson(c.event, file.defaults, callers),
      record: c.record,
      index: c.index,
    })),
  }
}
