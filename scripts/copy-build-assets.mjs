// tsc compiles only TypeScript: the SQL migrations the store reads at start-up are copied beside
// the compiled modules, at the same relative place (src/x -> dist/x).
import { cpSync, existsSync } from 'node:fs'

const ASSETS = [
  'store/sqlite/migrations',
  'store/sqlite/trail-migrations',
  'store/postgres/migrations',
]

for (const asset of ASSETS) {
  if (!existsSync(`src/${asset}`)) throw new Error(`build asset src/${asset} is missing`)
  cpSync(`src/${asset}`, `dist/${asset}`, { recursive: true })
}
