/** loadConfig: flags beat GATEHOUSE_* variables, which beat the defaults; bad values are named. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ConfigError,
  DEFAULT_PORT,
  loadConfig,
  redactDatabaseUrl,
} from '../../src/config/config.js'

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(loadConfig([], {}), {
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      dataDir: './data',
      accountId: undefined,
      rootAccessKeyId: undefined,
      rootSecretAccessKey: undefined,
      enforcement: 'enforce',
      logLevel: 'info',
      workers: 1,
      trail: true,
      sealIntervalSeconds: 300,
      store: 'sqlite',
      databaseUrl: undefined,
      publicUrl: undefined,
    })
    assert.equal(DEFAULT_PORT, 8080)
  })

  it('reads every flag, in both spellings', () => {
    const config = loadConfig(
      [
        '--host',
        '0.0.0.0',
        '--port=9000',
        '--data-dir',
        '/var/lib/gatehouse',
        '--account-id=111122223333',
        '--root-access-key-id',
        'AKIAIOSFODNN7EXAMPLE',
        '--root-secret-access-key',
        'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        '--enforcement',
        'report-only',
        '--log-level',
        'warn',
        '--workers=2',
        '--trail',
        'off',
        '--seal-interval',
        '60',
        '--store',
        'postgres',
        '--database-url=postgres://gatehouse:pw@db.internal:5432/iam',
        '--public-url',
        'https://IAM.example.com:443/',
      ],
      {},
    )
    assert.deepEqual(config, {
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/var/lib/gatehouse',
      accountId: '111122223333',
      rootAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      rootSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      enforcement: 'report-only',
      logLevel: 'warn',
      workers: 2,
      trail: false,
      sealIntervalSeconds: 60,
      store: 'postgres',
      databaseUrl: 'postgres://gatehouse:pw@db.internal:5432/iam',
      publicUrl: 'https://iam.example.com',
    })
  })

  it('reads a public URL as the origin it names, from --public-url or GATEHOUSE_PUBLIC_URL', () => {
    assert.equal(
      loadConfig([], { GATEHOUSE_PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl,
      'http://10.0.0.5:8080',
    )
    assert.equal(
      loadConfig(['--public-url=https://[::1]:8443'], {}).publicUrl,
      'https://[::1]:8443',
    )
    for (const bad of [
      'iam.example.com',
      'ftp://iam.example.com',
      'https://iam.example.com/gatehouse',
      'https://iam.example.com/?x=1',
      'https://iam.example.com?',
      'https://iam.example.com#top',
      'https://',
    ]) {
      assert.throws(
        () => loadConfig(['--public-url', bad], {}),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.message ===
            `--public-url must be an http(s)://host[:port] URL without a path, not '${bad}'`,
        bad,
      )
    }
    // A user and password are refused without being echoed.
    assert.throws(
      () => loadConfig([], { GATEHOUSE_PUBLIC_URL: 'https://admin:hunter2@iam.example.com' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message === 'GATEHOUSE_PUBLIC_URL must not name a user or password',
    )
  })

  it('takes 1 to 64 worker processes, from --workers or GATEHOUSE_WORKERS', () => {
    assert.equal(loadConfig([], { GATEHOUSE_WORKERS: '4' }).workers, 4)
    for (const bad of ['0', '65', 'two', '1.5', '-1']) {
      assert.throws(
        () => loadConfig(['--workers', bad], {}),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.message === `--workers must be a number of processes from 1 to 64, not '${bad}'`,
      )
    }
  })

  it('reads GATEHOUSE_* variables, and a flag wins over its variable', () => {
    const env = {
      GATEHOUSE_PORT: '7000',
      GATEHOUSE_ENFORCEMENT: 'report-only',
      GATEHOUSE_DATA_DIR: '/env/dir',
      GATEHOUSE_HOST: '',
    }
    const config = loadConfig(['--port', '7001'], env)
    assert.equal(config.port, 7001)
    assert.equal(config.enforcement, 'report-only')
    assert.equal(config.dataDir, '/env/dir')
    assert.equal(config.host, '127.0.0.1', 'an empty variable counts as unset')
  })

  const refusals: readonly [string, readonly string[], Record<string, string>, RegExp][] = [
    ['an unknown flag', ['--prot', '1'], {}, /unknown argument '--prot'/],
    ['a flag without its value', ['--port'], {}, /--port needs a value/],
    ['a flag given twice', ['--port', '1', '--port', '2'], {}, /more than once/],
    ['a port out of range', ['--port', '70000'], {}, /--port must be a port number/],
    ['a bad port variable', [], { GATEHOUSE_PORT: 'http' }, /GATEHOUSE_PORT must be a port/],
    ['an account id of 11 digits', ['--account-id', '12345678901'], {}, /12 digits/],
    ['an unknown enforcement mode', ['--enforcement', 'audit'], {}, /enforce, report-only/],
    ['an unknown log level', ['--log-level', 'loud'], {}, /--log-level must be one of/],
    ['an unknown store', ['--store', 'mysql'], {}, /--store must be one of sqlite, postgres/],
    ['the postgres store without a URL', ['--store', 'postgres'], {}, /needs --database-url/],
    [
      'a database URL for the sqlite store',
      [],
      { GATEHOUSE_DATABASE_URL: 'postgres://h/db' },
      /GATEHOUSE_DATABASE_URL is for --store postgres/,
    ],
    [
      'a database URL that is not postgres://',
      ['--store', 'postgres', '--database-url', 'mysql://u:hunter2@h/db'],
      {},
      /must be a postgres:\/\/ URL, not 'mysql:\/\/u@h\/db'/,
    ],
    [
      'a root key id without its secret',
      ['--root-access-key-id', 'AKIAIOSFODNN7EXAMPLE'],
      {},
      /give both or neither/,
    ],
  ]
  for (const [name, argv, env, message] of refusals) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => loadConfig(argv, env),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError)
          assert.match(err.message, message)
          return true
        },
      )
    })
  }

  it('reads the store from GATEHOUSE_STORE and GATEHOUSE_DATABASE_URL', () => {
    const config = loadConfig([], {
      GATEHOUSE_STORE: 'postgres',
      GATEHOUSE_DATABASE_URL: 'postgresql://127.0.0.1/iam',
    })
    assert.equal(config.store, 'postgres')
    assert.equal(config.databaseUrl, 'postgresql://127.0.0.1/iam')
  })

  it('prints a database URL without its password', () => {
    assert.equal(
      redactDatabaseUrl('postgres://gatehouse:s3cr%2Ft@db.internal:5433/iam?sslmode=require'),
      'postgres://gatehouse@db.internal:5433/iam',
    )
    assert.equal(redactDatabaseUrl('postgres://db.internal/iam'), 'postgres://db.internal/iam')
  })

  it('never echoes a secret it refuses', () => {
    const secret = 'short secret\u0001'
    assert.throws(
      () =>
        loadConfig(
          ['--root-access-key-id', 'AKIAIOSFODNN7EXAMPLE', '--root-secret-access-key', secret],
          {},
        ),
      (err: unknown) => err instanceof ConfigError && !err.message.includes('short secret'),
    )
  })
})
