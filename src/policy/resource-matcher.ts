/**
 * Resource and NotResource matching (S11, spec 1.5): `*` alone matches everything; otherwise the
 * partition, service, region and account parts match one by one (wildcards stay inside a part)
 * and the resource part matches as a whole, where `*` crosses `/` and `:`. Case-sensitive.
 * Policy variables are substituted only in the resource part (S17).
 */
import { splitArnPattern } from './arn.js'
import { intern } from './intern.js'
import type { PolicyVersion } from './policy-document.js'
import { parseTemplate, resolveTemplateSegments, resolveTemplateText } from './policy-template.js'
import type { AuthorizationRequest } from './request-context.js'
import { buildGlob, compileWildcard, hasWildcard, matchGlob } from './wildcard.js'
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
    const segments = resolveTemplateSegments(template, null) ?? []
    const plain = template.parts.length === 1 && template.parts[0]?.kind === 'text'
    const glob = buildGlob(segments)
    const fixed = plain ? compileWildcard(p5) : (value: string) => matchGlob(glob, value)
    resourcePart = (value) => fixed(value)
  } else if (template.plain) {
    // No wildcard around the variables: substitute and compare.
    resourcePart = (value, request) => resolveTemplateText(template, request.context) === value
  } else {
    resourcePart = (value, request) => {
      const segments = resolveTemplateSegments(template, request.context)
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

/**
 * A whole Resource (or NotResource) element. Exact ARNs are looked up in a set and literal
 * prefixes ending at `/` or `:` in the request's prefix set (built with the request), so the
 * common shapes cost a hash lookup rather than a string scan; the rest are matched in turn.
 */
export interface ResourceElement {
  readonly any: boolean
  readonly exact: ReadonlySet<string>
  readonly prefixes: readonly string[]
  readonly others: readonly ResourceMatcher[]
}

/** Compiles a Resource or NotResource element. */
export function compileResourceElement(
  patterns: readonly string[],
  version: PolicyVersion,
): ResourceElement {
  const exact = new Set<string>()
  const prefixes: string[] = []
  const others: ResourceMatcher[] = []
  let any = false
  for (const pattern of patterns) {
    if (pattern === '*') {
      any = true
      continue
    }
    const templated = version === '2012-10-17' && pattern.includes('${')
    const body = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern
    if (!templated && !hasWildcard(body)) {
      const colons = body.split(':').length - 1
      if (body === pattern) {
        // Without wildcards, part-by-part equality is equality of the whole ARN.
        exact.add(intern(pattern))
        continue
      }
      if (colons >= 5 && (body.endsWith('/') || body.endsWith(':'))) {
        // The `*` lies in the resource part, so the match is a prefix of the whole ARN.
        prefixes.push(intern(body))
        continue
      }
    }
    others.push(compileResourcePattern(pattern, version))
  }
  return { any, exact, prefixes, others }
}

/** Whether the request's resource matches one of the element's patterns. */
export function matchResourceElement(
  element: ResourceElement,
  request: AuthorizationRequest,
): boolean {
  if (element.any) return true
  if (element.exact.size > 0 && element.exact.has(request.resource)) return true
  const prefixes = element.prefixes
  if (prefixes.length > 0) {
    const known = request.resourcePrefixes
    for (let i = 0; i < prefixes.length; i++) {
      const prefix = prefixes[i]!
      if (known !== null ? known.has(prefix) : request.resource.startsWith(prefix)) return true
    }
  }
  const others = element.others
  for (let i = 0; i < others.length; i++) if (others[i]!(request)) return true
  return false
}
