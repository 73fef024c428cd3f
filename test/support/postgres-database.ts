/**
 * A PostgreSQL database of a test file's own, on the machine's server (127.0.0.1:5432, user
 * postgres, trust auth, or GATEHOUSE_TEST_POSTGRES_URL), dropped when the file's tests end. It is
 * made with an ICU en-US collation where the server has ICU, so that code which leans on the
 * database's locale for order or case (instead of the store's bytewise `ctext`) fails here.
 */
import { randomBytes } from 'node:crypto'
import { after } from 'node:test'
import pg from 'pg'

/** The server the tests use, without a database name. */
export const TEST_POSTGRES_SERVER =
  process.env['GATEHOUSE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432'

/**
 * Creates a database for this test file and registers its removal; returns its URL. Call it at
 * the top level of the file (top-level await), so that the removal runs after all its tests.
 */
export async function createTestDatabase(prefix = 'gatehouse_test'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client(`${TEST_POSTGRES_SERVER}/postgres`)
  await admin.connect()
  try {
    await admin.query(
      `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'
       LOCALE 'C.UTF-8'`,
    )
  } catch {
    // A server without ICU: the database's locale is then whatever the server's is.
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  after(async () => {
    const dropper = new pg.Client(`${TEST_POSTGRES_SERVER}/postgres`)
    await dropper.connect()
    try {
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    } finally {
      await dropper.end()
    }
  })
  return `${TEST_POSTGRES_SERVER}/${name}`
}
