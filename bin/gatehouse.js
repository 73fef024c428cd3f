#!/usr/bin/env node
// The installed command. It loads the TypeScript sources through tsx, so the command works
// straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api'

register()
// A closed pipe (`gatehouse policy eval ... | head`) is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
