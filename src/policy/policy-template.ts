/**
 * Policy variables inside policy strings: `${aws:username}`, `${aws:PrincipalTag/team, 'none'}`
 * and the fixed escapes `${*}`, `${?}`, `${$}`. Only version 2012-10-17 recognises them; under
 * 2008-10-17 (or no Version) the text is taken literally (S7, S17).
 */
import { intern } from './intern.js'
import type { PolicyVersion } from './policy-document.js'
import type { RequestContext } from './request-context.js'
import type { GlobSegment } from './wildcard.js'
import { hasWildcard } from './wildcard.js'

/** One piece of a policy string. `text` keeps wildcard meaning; `literal` never has it. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: string; readonly fallback: string | null }

/** A policy string taken apart. */
export interface PolicyTemplate {
  readonly source: string
  readonly parts: readonly TemplatePart[]
  readonly hasVariables: boolean
  /** True when no part holds `*` or `?` with wildcard meaning: matching is then plain equality. */
  readonly plain: boolean
}

/** The fixed escapes; a Map, so that names such as `toString` are not found on a prototype. */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['*', '*'],
  ['?', '?'],
  ['$', '$'],
])
// A key is a condition key name; a default follows after a comma, in single quotes (S17).
const VARIABLE = /^([^\s,'{}$]+)(?:\s*,\s*'([^']*)')?$/

/** Splits a policy string into text, literal escapes and variables. */
export function parseTemplate(source: string, version: PolicyVersion): PolicyTemplate {
  if (version !== '2012-10-17' || !source.includes('${')) {
    return {
      source,
      parts: [{ kind: 'text', text: source }],
      hasVariables: false,
      plain: !hasWildcard(source),
    }
  }
  const parts: TemplatePart[] = []
  let hasVariables = false
  let text = ''
  let i = 0
  while (i < source.length) {
    const first = source.indexOf('${', i)
    if (first === -1) break
    const close = source.indexOf('}', first + 2)
    if (close === -1) break
    // Only the last `${` before the `}` can open a variable (names hold no `$` or `{`), so each
    // character is looked at a bounded number of times however the braces nest.
    const open = source.lastIndexOf('${', close - 2)
    const inner = source.slice(open + 2, close)
    const escape = ESCAPES.get(inner)
    const variable = escape === undefined ? VARIABLE.exec(inner) : null
    if (escape === undefined && variable === null) {
      // Not a variable: keep the characters as they are and look further on.
      text += source.slice(i, close + 1)
      i = close + 1
      continue
    }
    text += source.slice(i, open)
    if (text !== '') parts.push({ kind: 'text', text })
    text = ''
    if (escape !== undefined) parts.push({ kind: 'literal', text: escape })
    else if (variable !== null) {
      hasVariables = true
      parts.push({
        kind: 'variable',
        key: intern((variable[1] ?? '').toLowerCase()),
        fallback: variable[2] ?? null,
      })
    }
    i = close + 1
  }
  text += source.slice(i)
  if (text !== '') parts.push({ kind: 'text', text })
  const plain = parts.every((p) => p.kind !== 'text' || !hasWildcard(p.text))
  return { source, parts, hasVariables, plain }
}

/** Reads a variable: single-valued keys only, since lists cannot be variables (S15). */
function lookup(context: RequestContext | null, key: string): string | undefined {
  const value = context?.get(key)
  return typeof value === 'string' ? value : undefined
}

/**
 * Resolves variables to glob segments (substituted values are literal). Returns null when a
 * variable has no value and no default: such a value matches nothing (S17).
 */
export function resolveTemplateSegments(
  template: PolicyTemplate,
  context: RequestContext | null,
): GlobSegment[] | null {
  const segments: GlobSegment[] = []
  for (const part of template.parts) {
    if (part.kind === 'variable') {
      const value = lookup(context, part.key) ?? part.fallback
      if (value === null) return null
      segments.push({ text: value, literal: true })
    } else segments.push({ text: part.text, literal: part.kind === 'literal' })
  }
  return segments
}

/** Resolves variables to plain text (for equality operators, where wildcards mean nothing); null when unresolved. */
export function resolveTemplateText(
  template: PolicyTemplate,
  context: RequestContext | null,
): string | null {
  if (template.parts.length === 1 && template.parts[0]?.kind === 'text') return template.source
  let out = ''
  for (const part of template.parts) {
    if (part.kind === 'variable') {
      const value = lookup(context, part.key) ?? part.fallback
      if (value === null) return null
      out += value
    } else out += part.text
  }
  return out
}
