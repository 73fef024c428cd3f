/** Bool and BinaryEquals (S13). */
import { intern } from '../intern.js'
import type { PolicyTemplate } from '../policy-template.js'
import { resolveTemplateText } from '../policy-template.js'
import type { ValueMatcher } from './value-matcher.js'

/** Bool: `true`/`false` compared without regard to case; JSON booleans arrive as text. */
export function compileBoolMatcher(templates: readonly PolicyTemplate[]): ValueMatcher {
  const fixed = new Set(
    templates.filter((t) => !t.hasVariables).map((t) => intern(t.source.toLowerCase())),
  )
  const variable = templates.filter((t) => t.hasVariables)
  return (value, request) => {
    // Request values are usually already `true` or `false`: skip the case folding then.
    const lower = value === 'true' || value === 'false' ? value : value.toLowerCase()
    if (lower !== 'true' && lower !== 'false') return false
    if (fixed.has(lower)) return true
    for (const t of variable) {
      const resolved = resolveTemplateText(t, request.context)
      if (resolved !== null && resolved.toLowerCase() === lower) return true
    }
    return false
  }
}

function decodeBase64(text: string): string | null {
  try {
    return atob(text.trim())
  } catch {
    return null // not base64: it matches nothing
  }
}

/** BinaryEquals: byte-for-byte equality of base-64 encoded values. */
export function compileBinaryMatcher(policyValues: readonly string[]): ValueMatcher {
  const decoded = new Set(policyValues.map(decodeBase64).filter((v): v is string => v !== null))
  return (value) => {
    const bytes = decodeBase64(value)
    return bytes !== null && decoded.has(bytes)
  }
}
