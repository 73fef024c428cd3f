/** `gatehouse serve`: reads the configuration and runs the server until it is told to stop. */
import { ConfigError, loadConfig, settingsHelp } from '../../config/config.js'
import { runServer } from '../../main.js'
import { StartupError } from '../../startup/startup-error.js'

const USAGE = `usage: gatehouse serve [FLAGS]

Serves the AWS IAM and STS APIs (awsQuery, SigV4) on one endpoint. Each flag can also be given
as its environment variable; a flag wins over its variable, which wins over the default.

${settingsHelp()}

GATEHOUSE_MASTER_KEY (environment only): the key sealing access-key secrets, 32 bytes in base64;
without it the data directory's master.key is used, created on first start.
`

/** Runs `gatehouse serve`; resolves to the exit code when the server has stopped. */
export async function runServeCommand(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE)
    return 0
  }
  let config
  try {
    config = loadConfig(args, env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`gatehouse serve: ${err.message}\n\n${USAGE}`)
    return 2
  }
  try {
    return await runServer(config, env, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    })
  } catch (err) {
    if (!(err instanceof StartupError)) throw err
    process.stderr.write(`gatehouse serve: ${err.message}\n`)
    return 1
  }
}
