/**
 * ArnEquals/ArnLike (identical, S13): "Each of the six colon-delimited components of the ARN is
 * checked separately", each with `*` and `?`, case-sensitively.
 */
import { splitArn } from '../arn.js'
import type { PolicyTemplate } from '../policy-template.js'
import { resolveTemplateText } from '../policy-template.js'
import type { AuthorizationRequest } from '../request-context.js'
import { compileWildcard } from '../wildcard.js'
import type { WildcardMatcher } from '../wildcard.js'
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

/** Compiles the positive matcher; variables are substituted before the pattern is split. */
export function compileArnMatcher(templates: readonly PolicyTemplate[]): ValueMatcher {
  const fixed = templates.filter((t) => !t.hasVariables).map((t) => compileArnPattern(t.source))
  const variable = templates.filter((t) => t.hasVariables)
  return (value, request) => {
    for (const matcher of fixed) if (matcher(value)) return true
    for (const t of variable) {
      // Substituted text is literal; a value holding a wildcard character cannot widen the match.
      const resolved = resolveTemplateText(t, request.context)
      if (
        resolved !== null &&
        !hasWildcardFromVariable(t, request) &&
        compileArnPattern(resolved)(value)
      ) {
        return true
      }
    }
    return false
  }
}

/** Whether a substituted value holds a wildcard character, which must not widen the match. */
function hasWildcardFromVariable(template: PolicyTemplate, request: AuthorizationRequest): boolean {
  for (const part of template.parts) {
    if (part.kind !== 'variable') continue
    const value = request.context.get(part.key)
    if (typeof value === 'string' && (value.includes('*') || value.includes('?'))) return true
  }
  return false
}
