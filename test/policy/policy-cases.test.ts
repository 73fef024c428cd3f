/**
 * Runs every policy case under test/cases/ (the sample copied from ../shared/cases and the
 * project's own corpus, one topic per file) through the engine: one test per case.
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { checkCase, listCases, runCase } from '../../src/policy/index.js'

const CASES_DIR = join(import.meta.dirname, '..', 'cases')
const CORPUS_DIR = join(CASES_DIR, 'policy')
const files = [
  join(CASES_DIR, 'policy-sample.json'),
  ...readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(CORPUS_DIR, name)),
]

const BASES = new Set(['documented', 'derived', 'observed', 'ambiguous'])

function caseName(raw: unknown, position: number): string {
  const c = raw as { id?: unknown; name?: unknown }
  const id = typeof c.id === 'string' ? c.id : `#${position}`
  return typeof c.name === 'string' ? `${id}: ${c.name}` : id
}

let corpusCases = 0
for (const file of files) {
  const cases = listCases(JSON.parse(readFileSync(file, 'utf8')) as unknown)
  if (file.startsWith(CORPUS_DIR)) corpusCases += cases.length
  describe(file.slice(CASES_DIR.length + 1), () => {
    it('has unique ids, each case citing its sources and basis', () => {
      const ids = new Set<string>()
      for (const raw of cases) {
        const c = raw as { id?: unknown; basis?: unknown; sources?: unknown }
        assert.equal(typeof c.id, 'string')
        assert.ok(!ids.has(c.id as string), `duplicate id ${String(c.id)}`)
        ids.add(c.id as string)
        assert.ok(BASES.has(c.basis as string), `${String(c.id)}: basis ${String(c.basis)}`)
        assert.ok(Array.isArray(c.sources) && c.sources.length > 0, `${String(c.id)}: no sources`)
      }
    })
    cases.forEach((raw, position) => {
      it(caseName(raw, position), () => {
        const result = runCase(raw, position)
        assert.deepEqual(checkCase(raw, result), [], JSON.stringify(result))
      })
    })
  })
}

describe('the policy corpus', () => {
  it('holds at least 300 cases of its own', () => {
    assert.ok(corpusCases >= 300, `only ${corpusCases} cases under test/cases/policy`)
  })
})
