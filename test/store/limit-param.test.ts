/**
 * LIMIT_PARAM: the one way the store's SQL takes a LIMIT from a parameter. A bare `LIMIT ?` has
 * SQLite prepare its statement again on every run (see src/store/sql/limit-param.ts), which no
 * result shows; so the SQL itself is checked, and LIMIT_PARAM is run on both kinds of value
 * the store binds.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { LIMIT_PARAM } from '../../src/store/sql/limit-param.js'
import { generateMasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'

const STORE_DIR = new URL('../../src/store/', import.meta.url).pathname

function sourceFiles(dir: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...sourceFiles(path))
    else if (entry.name.endsWith('.ts')) files.push(path)
  }
  return files
}

describe('LIMIT_PARAM', () => {
  it('is the only parameterised LIMIT in the store', () => {
    // Its own file names the bare form, to say why it is not used.
    const files = sourceFiles(STORE_DIR).filter((file) => !file.endsWith('limit-param.ts'))
    assert.ok(files.length > 20, `found only ${files.length} source files under ${STORE_DIR}`)
    const bare = files.filter((file) => /LIMIT\s+(\?|\$\d)/i.test(readFileSync(file, 'utf8')))
    assert.deepEqual(bare, [])
  })

  it('limits rows to the bound count, given as a number or as one past a page', async () => {
    const store = openSqliteStore({ filename: ':memory:', masterKey: generateMasterKey() })
    const db = store.database
    try {
      db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY)')
      const insert = db.prepare('INSERT INTO t (n) VALUES (?)')
      for (let n = 1; n <= 10; n++) insert.run(n)
      const page = db.prepare(`SELECT n FROM t WHERE n > ? ORDER BY n ${LIMIT_PARAM}`).pluck()
      assert.deepEqual(page.all(0, 3), [1, 2, 3])
      // The same statement, bound anew, as the store runs it page after page.
      assert.deepEqual(page.all(3, 4), [4, 5, 6, 7])
      assert.deepEqual(page.all(7, 100), [8, 9, 10])
      assert.deepEqual(page.all(0, 0), [])
    } finally {
      await store.close()
    }
  })
})
