/**
 * AssumeRoleWithSAML for the in-process tests: the trust policy a role for SAML federation has,
 * and the call sent unsigned, as the SDKs and the CLI send it.
 */
import { formEncode } from './in-process.js'
import type { InProcess, Reply } from './in-process.js'
import { base64 } from './saml-idp.js'

/**
 * A trust policy that lets the SAML providers `providerArns` call sts:AssumeRoleWithSAML, on
 * `condition` when given.
 */
export function samlTrustPolicy(
  providerArns: string | readonly string[],
  condition?: Record<string, unknown>,
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArns },
        Action: 'sts:AssumeRoleWithSAML',
        ...(condition === undefined ? {} : { Condition: condition }),
      },
    ],
  })
}

/**
 * AssumeRoleWithSAML, unsigned, with the SAML response `xml` (base64-encoded here) and
 * `params` (RoleArn and PrincipalArn at least).
 */
export function assumeRoleWithSaml(
  g: InProcess,
  xml: string,
  params: Record<string, string>,
): Promise<Reply> {
  return g.send({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: formEncode({
      Action: 'AssumeRoleWithSAML',
      Version: '2011-06-15',
      SAMLAssertion: base64(xml),
      ...params,
    }),
  })
}
