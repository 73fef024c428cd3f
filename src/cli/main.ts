/**
 * The `gatehouse` command: argument dispatch and exit codes. Each subcommand lives in its own
 * file under commands/ and returns the process exit code.
 */
import { runPolicyCommand } from './commands/policy.js'
import { runServeCommand } from './commands/serve.js'
import { runTrailCommand } from './commands/trail.js'
import { runWorkloadCommand } from './commands/workload.js'

const USAGE = `gatehouse: self-hosted AWS IAM and STS

Usage:
  gatehouse serve [FLAGS]                           run the IAM and STS server (serve --help)
  gatehouse policy eval [--check] FILE [FILE...]   evaluate policy cases (- reads standard input)
  gatehouse policy validate FILE --kind KIND [--managed]
                                                     print the parse errors of one policy document
                                                     KIND: identity|resource|trust|boundary|session|scp|rcp
                                                     --managed: check as CreatePolicy does (Version 2012-10-17)
  gatehouse trail verify|seal|public-key [--data-dir DIR]
                                                     check, seal or export the audit trail's signatures (trail --help)
  gatehouse trail export --out DIR [--since TIME] [--until TIME] [--data-dir DIR]
                                                     write the audit trail as CloudTrail log files
  gatehouse workload create|list|delete ...         workloads whose role credentials renew themselves
                                                     (container credentials endpoint; workload --help)
  gatehouse --help                                   this text
  gatehouse --version                                the version
`

/** Runs the command line; resolves to the process exit code. */
export function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === 'serve') return runServeCommand(rest, process.env)
  if (command === 'trail') return runTrailCommand(rest)
  if (command === 'workload') return runWorkloadCommand(rest, process.env)
  return Promise.resolve(run(argv))
}

function run(argv: readonly string[]): number {
  const [command, ...rest] = argv
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE)
      return command === undefined ? 2 : 0
    case '--version':
    case '-v':
      process.stdout.write('gatehouse 0.1.0\n')
      return 0
    case 'policy':
      return runPolicyCommand(rest)
    default:
      process.stderr.write(`gatehouse: unknown command '${command}'\n\n${USAGE}`)
      return 2
  }
}
