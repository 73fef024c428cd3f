// Node 20's test runner takes no globs, so this collects the *.test.ts files itself and hands
// them to `node --import tsx --test`, whose summary lines CI reads.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

function collect(dir, out) {
  let entries
  try {
    entries = readdirSync(dir)
  } catch {
    return out // a missing folder holds no tests
  }
  for (const name of entries.sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) collect(path, out)
    else if (name.endsWith('.test.ts')) out.push(path)
  }
  return out
}

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'test']
const files = roots.flatMap((root) => collect(root, []))
if (files.length === 0) {
  console.error('no test files found under', roots.join(', '))
  process.exit(1)
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], {
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
