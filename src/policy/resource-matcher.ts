/**
 * Resource and NotResource matching (S11, spec 1.5): `*` alone matches everything; otherwise the
 * partition, service, region and account parts match one by one (wildcards stay inside a part)
 * and the resource part matches as a whole, where `*` crosses `/` and `:`. Case-sensitive.
 * Policy variables are substituted only in the resource part (S17).
 */
import { splitArnPattern } from './arn.js'
import type { PolicyVersion } from './policy-document.js'
import { parseTemplate, resolveTemplateSegments } from './policy-template.js'
import { singleValue } from './request-context.js'
import type { AuthorizationRequest } from './request-context.js'
import { buildGlob, compileWildcard, matchGlob } from './wildcard.js'
import type { WildcardMatcher } from './wildcard.js'

/** A compiled resource pattern. */
export type ResourceMatcher = (request: AuthorizationRequest) => boolean

/** Compiles one pattern of a Resource or NotResource element. */
export function compileResourcePattern(pattern: string, version: PolicyVersion): ResourceMatcher {
  if (pattern === '*') return () => true
  const parts = splitArnPattern(pattern)
  if (parts === null) {
    const whole = compileWildcard(pattern)
    return (request) => whole(request.resource)
  }
  const [p0, p1, p2, p3, p4, p5] = parts
  const prefix: WildcardMatcher[] = [p0, p1, p2, p3, p4].map(compileWildcard)
  const template = parseTemplate(p5, version)
  let resourcePart: (value: string, request: AuthorizationRequest) => boolean
  if (!template.hasVariables) {
    const segments = resolveTemplateSegments(template, () => undefined) ?? []
    const plain = template.parts.length === 1 && template.parts[0]?.kind === 'text'
    const glob = buildGlob(segments)
    const fixed = plain ? compileWildcard(p5) : (value: string) => matchGlob(glob, value)
    resourcePart = (value) => fixed(value)
  } else {
    resourcePart = (value, request) => {
      const segments = resolveTemplateSegments(template, (key) => singleValue(request, key))
      // An unresolved variable makes the pattern match nothing (S17).
      return segments !== null && matchGlob(buildGlob(segments), value)
    }
  }
  const [m0, m1, m2, m3, m4] = prefix as [
    WildcardMatcher,
    WildcardMatcher,
    WildcardMatcher,
    WildcardMatcher,
    WildcardMatcher,
  ]
  return (request) => {
    const r = request.resourceParts
    if (r === null) return false
    return m2(r[2]) && m4(r[4]) && m3(r[3]) && m1(r[1]) && m0(r[0]) && resourcePart(r[5], request)
  }
}
