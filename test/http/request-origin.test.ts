/**
 * requestOrigin: the scheme and Host of a request, and no Host that is not a plain host name;
 * the configured public URL instead of either when there is one.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { requestOrigin } from '../../src/http/request-origin.js'

describe('requestOrigin', () => {
  it('takes the scheme and a host name, an IPv4 or IPv6 address, with a port or not', () => {
    assert.equal(requestOrigin(false, 'iam.example.com'), 'http://iam.example.com')
    assert.equal(requestOrigin(true, 'iam.example.com:8443'), 'https://iam.example.com:8443')
    assert.equal(requestOrigin(false, '127.0.0.1:8080'), 'http://127.0.0.1:8080')
    assert.equal(requestOrigin(false, '[::1]:8080'), 'http://[::1]:8080')
  })

  it('puts localhost for a missing Host or one that would change the URL', () => {
    for (const host of [
      undefined,
      '',
      'evil.com/path',
      'evil.com?x=1',
      'user@evil.com',
      'evil.com#frag',
      'a b',
      'evil.com:port',
      'evil.com:123456',
      '-leading.example',
    ]) {
      assert.equal(requestOrigin(false, host), 'http://localhost', String(host))
    }
  })

  it('answers the public URL when one is configured, whatever the request says', () => {
    assert.equal(
      requestOrigin(false, 'attacker.example', 'https://iam.example.com'),
      'https://iam.example.com',
    )
    assert.equal(requestOrigin(true, undefined, 'http://10.0.0.5:8080'), 'http://10.0.0.5:8080')
  })
})
