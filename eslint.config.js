// Lint with type information. The import zones keep the pure layers pure (src/policy/,
// src/auth/sigv4/ and src/protocol/ may not reach I/O, the clock's owners, or any other layer of
// the server) and the layers in their order: main -> app -> http -> services -> auth -> store
// port, errors, policy, protocol; only main.ts opens a store backend, nothing imports the CLI.
import tseslint from 'typescript-eslint'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

const NODE_IO_MODULES = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'worker_threads',
  'cluster',
  'os',
  'process',
  'readline',
  'timers',
  'perf_hooks',
]

// The layers below the HTTP application, which may not import what wires them.
const BELOW_APP = [
  './src/services',
  './src/auth',
  './src/errors',
  './src/config',
  './src/startup',
  './src/store',
  './src/policy',
  './src/protocol',
]

// Database drivers: only their backend folder under src/store/ may import one.
const DATABASE_PACKAGES = ['better-sqlite3', 'pg', 'postgres', 'kysely', 'sqlite3', 'node:sqlite']

/**
 * The rules that keep a layer pure (no I/O, no clock, no timers, no randomness, no process
 * state), shared by every pure layer so they cannot drift apart.
 */
function pureLayerRules(dir, extra = { imports: [], globals: [] }) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          ...NODE_IO_MODULES.flatMap((m) => [m, `node:${m}`]).map((name) => ({
            name,
            message: `${dir} is pure: no I/O, no clock, no process state.`,
          })),
          ...extra.imports,
        ],
      },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: 'ExportAllDeclaration', message: 'No `export *`: export names explicitly.' },
      {
        selector: "NewExpression[callee.name='Date'][arguments.length=0]",
        message: `${dir} reads no clock: take time as an argument.`,
      },
    ],
    'no-restricted-globals': [
      'error',
      { name: 'process', message: `${dir} is pure: pass data in as arguments.` },
      { name: 'fetch', message: `${dir} is pure: no I/O.` },
      { name: 'setTimeout', message: `${dir} is pure: no timers.` },
      { name: 'setInterval', message: `${dir} is pure: no timers.` },
      ...extra.globals,
    ],
    'no-restricted-properties': [
      'error',
      {
        object: 'Date',
        property: 'now',
        message: `${dir} reads no clock: take time as an argument.`,
      },
      { object: 'Math', property: 'random', message: `${dir} is deterministic.` },
      { object: 'performance', property: 'now', message: `${dir} reads no clock.` },
    ],
  }
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/'] },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs', 'bin/*.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-expect-error': 'allow-with-description', 'ts-ignore': true, 'ts-nocheck': true },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'No `export *`: export names explicitly.' },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/policy',
              from: './src',
              except: ['./policy'],
              message: 'src/policy is pure: it imports nothing from the other layers.',
            },
            {
              target: './src/auth/sigv4',
              from: './src',
              except: ['./auth/sigv4'],
              message: 'src/auth/sigv4 is pure: it imports nothing from the other layers.',
            },
            {
              target: './src/protocol',
              from: './src',
              except: [
                './protocol',
                './errors/aws-error.ts',
                './errors/catalog.ts',
                './errors/query-error-xml.ts',
              ],
              message:
                'src/protocol is pure: it imports nothing from the other layers but the AWS error vocabulary.',
            },
            {
              target: './src/store',
              from: './src',
              except: ['./store'],
              message: 'The store imports nothing from the layers that use it.',
            },
            {
              target: './src/config',
              from: './src',
              except: ['./config'],
              message: 'The configuration imports nothing from the layers it configures.',
            },
            {
              target: [...BELOW_APP, './src/app.ts', './src/http', './src/main.ts'],
              from: './src/cli',
              message: 'The command line is the top: nothing imports it.',
            },
            {
              target: [...BELOW_APP, './src/app.ts', './src/http'],
              from: './src/main.ts',
              message: 'Only the serve command starts the server process.',
            },
            {
              target: [
                ...BELOW_APP.filter((layer) => layer !== './src/store'),
                './src/app.ts',
                './src/http',
                './src/cli',
              ],
              from: ['./src/store/sqlite', './src/store/postgres'],
              message:
                'Only src/main.ts opens a store backend; everything else uses the store port.',
            },
            {
              target: BELOW_APP,
              from: ['./src/app.ts', './src/http'],
              message: 'The HTTP application wires the layers below it; they do not import it.',
            },
            {
              target: BELOW_APP.filter((layer) => layer !== './src/services'),
              from: './src/services',
              message: 'Services sit above auth, errors, the store and the policy engine.',
            },
            {
              target: [
                './src/auth',
                './src/errors',
                './src/store',
                './src/policy',
                './src/protocol',
              ],
              from: './src/startup',
              message: 'Start-up code is for src/main.ts only.',
            },
            {
              target: ['./src/store/*.ts', './src/store/conformance', './src/store/sql'],
              from: ['./src/store/sqlite', './src/store/postgres'],
              message:
                'The store port, its shared SQL operations and its conformance suite know no backend: backends implement them.',
            },
            {
              target: './src/store/sqlite',
              from: './src/store/postgres',
              message: 'One backend does not reach into another.',
            },
            {
              target: './src/store/postgres',
              from: './src/store/sqlite',
              message: 'One backend does not reach into another.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the SQLite backend knows its database. (typescript-eslint's rule, not the core one, so
    // that the per-folder no-restricted-imports lists below keep their own options.)
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    ignores: ['src/store/sqlite/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: 'Only src/store/sqlite uses better-sqlite3.' },
          ],
          patterns: [
            { group: ['better-sqlite3/*'], message: 'Only src/store/sqlite uses better-sqlite3.' },
          ],
        },
      ],
    },
  },
  {
    // The store port (src/store/*.ts) and its conformance suite import no database at all.
    files: ['src/store/*.ts', 'src/store/conformance/**/*.ts', 'src/store/sql/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: DATABASE_PACKAGES.map((name) => ({
            name,
            message: 'The store port knows no database: only src/store/<backend>/ does.',
          })),
          patterns: [
            {
              group: DATABASE_PACKAGES.map((name) => `${name}/*`),
              message: 'The store port knows no database: only src/store/<backend>/ does.',
            },
          ],
        },
      ],
    },
  },
  { files: ['src/policy/**/*.ts'], rules: pureLayerRules('src/policy') },
  { files: ['src/protocol/**/*.ts'], rules: pureLayerRules('src/protocol') },
  {
    // node:crypto is computation (hashes, HMACs, constant-time comparison) and stays allowed;
    // its sources of randomness do not, nor does any other I/O module.
    files: ['src/auth/sigv4/**/*.ts'],
    rules: pureLayerRules('src/auth/sigv4', {
      imports: ['crypto', 'node:crypto'].map((name) => ({
        name,
        importNames: [
          'randomBytes',
          'randomFill',
          'randomFillSync',
          'randomInt',
          'randomUUID',
          'getRandomValues',
          'webcrypto',
        ],
        message: 'src/auth/sigv4 is deterministic: take randomness as an argument.',
      })),
      globals: [
        {
          name: 'crypto',
          message: 'src/auth/sigv4 is deterministic: import what node:crypto computes.',
        },
      ],
    }),
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
)
