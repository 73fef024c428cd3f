/**
 * ArnEquals/ArnLike (identical, S13): "Each of the six colon-delimited components of the ARN is
 * checked separately", each with `*` and `?`, case-sensitively. Escapes (`${*}`) and substituted
 * variables are literal text inside their component, as in StringLike.
 */
import { splitArn } from '../arn.js'
import type { PolicyTemplate } from '../policy-template.js'
import { resolveTemplateSegments } from '../policy-template.js'
import type { AuthorizationRequest } from '../request-context.js'
import { buildGlob, compileWildcard, matchGlob } from '../wildcard.js'
import type { Glob, GlobSegment, WildcardMatcher } from '../wildcard.js'
import type { ValueMatcher } from './value-matcher.js'

type ArnMatcher = (value: string) => boolean

function compileArnPattern(pattern: string): ArnMatcher {
  if (pattern === '*') return () => true
  const parts = splitArn(pattern)
  if (parts === null) return () => false
  const segments: WildcardMatcher[] = parts.map(compileWildcard)
  return (value) => {
    const valueParts = splitArn(value)
    if (valueParts === null) return false
    for (let i = 0; i < 6; i++) {
      const segment = segments[i]
      if (segment === undefined || !segment(valueParts[i] ?? '')) return false
    }
    return true
  }
}

/** Splits pattern segments into the six ARN components at the first five colons; null if fewer. */
function componentGlobs(segments: readonly GlobSegment[]): Glob[] | null {
  const components: GlobSegment[][] = [[]]
  for (const segment of segments) {
    let rest = segment.text
    let colon = rest.indexOf(':')
    while (colon !== -1 && components.length < 6) {
      components[components.length - 1]?.push({
        text: rest.slice(0, colon),
        literal: segment.literal,
      })
      components.push([])
      rest = rest.slice(colon + 1)
      colon = rest.indexOf(':')
    }
    components[components.length - 1]?.push({ text: rest, literal: segment.literal })
  }
  return components.length === 6 ? components.map(buildGlob) : null
}

function matchComponents(globs: readonly Glob[] | null, value: string): boolean {
  if (globs === null) return false
  const parts = splitArn(value)
  if (parts === null) return false
  for (let i = 0; i < 6; i++) if (!matchGlob(globs[i]!, parts[i]!)) return false
  return true
}

/** Compiles the positive matcher. */
export function compileArnMatcher(templates: readonly PolicyTemplate[]): ValueMatcher {
  const fixed: ArnMatcher[] = []
  const variable: PolicyTemplate[] = []
  for (const t of templates) {
    if (t.parts.length === 1 && t.parts[0]?.kind === 'text') fixed.push(compileArnPattern(t.source))
    else if (!t.hasVariables) {
      // Escapes only: resolved once, with `${*}` and the like kept literal.
      const globs = componentGlobs(resolveTemplateSegments(t, null) ?? [])
      fixed.push((value) => matchComponents(globs, value))
    } else variable.push(t)
  }
  return (value: string, request: AuthorizationRequest) => {
    for (const matcher of fixed) if (matcher(value)) return true
    for (const t of variable) {
      const segments = resolveTemplateSegments(t, request.context)
      // An unresolved variable matches nothing (S17).
      if (segments !== null && matchComponents(componentGlobs(segments), value)) return true
    }
    return false
  }
}
