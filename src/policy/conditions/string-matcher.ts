/**
 * String operators (S13): StringEquals (case-sensitive), StringEqualsIgnoreCase, StringLike with
 * `*` and `?`. Policy variables are substituted; substituted text never acts as a wildcard.
 */
import { intern } from '../intern.js'
import type { PolicyTemplate } from '../policy-template.js'
import { resolveTemplateSegments, resolveTemplateText } from '../policy-template.js'
import { buildGlob, compileWildcard, matchGlob } from '../wildcard.js'
import type { ValueMatcher } from './value-matcher.js'

/** Compiles the positive matcher of a String* operator. */
export function compileStringMatcher(
  mode: 'equals' | 'equalsIgnoreCase' | 'like',
  templates: readonly PolicyTemplate[],
): ValueMatcher {
  const fixed = templates.filter((t) => !t.hasVariables)
  const variable = templates.filter((t) => t.hasVariables)

  switch (mode) {
    case 'equals': {
      const set = new Set(fixed.map((t) => intern(resolveTemplateText(t, null) ?? '')))
      if (variable.length === 0) return (value) => set.has(value)
      return (value, request) =>
        set.has(value) || variable.some((t) => resolveTemplateText(t, request.context) === value)
    }
    case 'equalsIgnoreCase': {
      const set = new Set(fixed.map((t) => (resolveTemplateText(t, null) ?? '').toLowerCase()))
      return (value, request) => {
        const lower = value.toLowerCase()
        if (set.has(lower)) return true
        return variable.some(
          (t) => resolveTemplateText(t, request.context)?.toLowerCase() === lower,
        )
      }
    }
    case 'like': {
      const matchers = fixed.map((t) => {
        // Escapes such as ${*} are literal even without variables, so those go through a glob.
        if (t.parts.length === 1 && t.parts[0]?.kind === 'text') return compileWildcard(t.source)
        const segments = resolveTemplateSegments(t, null)
        const glob = buildGlob(segments ?? [])
        return (value: string) => matchGlob(glob, value)
      })
      return (value, request) => {
        for (const matcher of matchers) if (matcher(value)) return true
        for (const t of variable) {
          const segments = resolveTemplateSegments(t, request.context)
          if (segments !== null && matchGlob(buildGlob(segments), value)) return true
        }
        return false
      }
    }
  }
}
