/**
 * Self-signed X.509 certificates for the signing certificate tests, made by the real `openssl`
 * command line (`openssl ca -selfsign`, which, unlike `openssl req -x509` of OpenSSL 3.0, takes
 * an explicit start date) over a key made with node:crypto.
 */
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Why the certificate tests cannot run here, or false. */
export const noOpenssl =
  spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0
    ? false
    : 'openssl is not installed here'

// The smallest configuration `openssl ca` accepts: a database, a serial and a subject policy.
const CA_CONFIG = `[ ca ]
default_ca = test_ca
[ test_ca ]
database = ./index.txt
new_certs_dir = .
serial = ./serial
default_md = sha256
policy = any
email_in_dn = no
unique_subject = no
[ any ]
commonName = supplied
`

/** `openssl`'s date form, YYYYMMDDHHMMSSZ. */
function opensslTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`
}

function openssl(dir: string, args: readonly string[]): void {
  const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${run.stderr}`)
}

/** A certificate and the key it was made for, both PEM. */
export interface CertificateWithKey {
  readonly certificate: string
  /** PKCS#8 PEM. */
  readonly privateKey: string
}

/** A self-signed certificate for `commonName` with a new key (RSA 2048 or EC P-256), and the key. */
export function certificateWithKey(options: {
  readonly commonName: string
  readonly notBefore: Date
  readonly notAfter: Date
  readonly keyType?: 'rsa' | 'ec'
}): CertificateWithKey {
  const keys =
    options.keyType === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 })
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-x509-'))
  try {
    writeFileSync(join(dir, 'key.pem'), privateKey)
    writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG)
    writeFileSync(join(dir, 'index.txt'), '')
    writeFileSync(join(dir, 'serial'), '01\n')
    openssl(dir, [
      'req',
      '-new',
      '-key',
      'key.pem',
      '-subj',
      `/CN=${options.commonName}`,
      '-out',
      'req.csr',
    ])
    openssl(dir, [
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-selfsign',
      '-keyfile',
      'key.pem',
      '-in',
      'req.csr',
      '-startdate',
      opensslTime(options.notBefore),
      '-enddate',
      opensslTime(options.notAfter),
      '-notext',
      '-out',
      'cert.pem',
    ])
    return { certificate: readFileSync(join(dir, 'cert.pem'), 'utf8'), privateKey }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A self-signed PEM certificate with a new RSA 2048 (or EC P-256) key, valid as given. */
export function selfSignedCertificate(options: {
  readonly commonName: string
  readonly notBefore: Date
  readonly notAfter: Date
  readonly keyType?: 'rsa' | 'ec'
}): string {
  return certificateWithKey(options).certificate
}
