import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'

import { Keyring, Secret, TokenAuthority, parseToken } from 'replytrack'
import { DOMAIN, MASTER_HEX, NOW, authority, days } from './fixtures.mjs'

test('an issued token verifies and round-trips its dates', () => {
  const auth = authority()
  const issued = auth.issue(NOW)
  assert.match(issued.token, /^[0-9a-hjkmnp-tv-z]{16}$/)
  assert.equal(issued.keyId, 0)
  assert.ok(issued.issuedAt instanceof Date)
  assert.equal(issued.issuedAt.toISOString(), '2026-03-03T00:00:00.000Z')
  assert.equal(issued.expiresAt.toISOString(), '2026-06-01T00:00:00.000Z')

  const verified = auth.verify(issued.token, NOW)
  assert.deepEqual(verified, issued)
  assert.equal(auth.isValid(issued.token, NOW), true)
})

test('verify folds case and look-alike characters', () => {
  const auth = authority()
  const { token } = auth.issueWithHandle(12345, NOW)
  assert.equal(auth.verify(token.toUpperCase(), NOW).token, token)
  assert.equal(auth.verify(`  ${token}\n`, NOW).token, token)
})

test('now defaults to the clock', () => {
  const auth = authority()
  const issued = auth.issue()
  assert.equal(auth.verify(issued.token).token, issued.token)
})

test('an expired token throws TOKEN_EXPIRED with its dates', () => {
  const auth = authority()
  const { token } = auth.issue(NOW)
  const later = new Date(NOW.getTime() + days(91))
  assert.throws(() => auth.verify(token, later), (err) => {
    assert.ok(err instanceof Error)
    assert.equal(err.code, 'TOKEN_EXPIRED')
    assert.ok(err.issuedAt instanceof Date)
    assert.equal(err.issuedAt.toISOString(), '2026-03-03T00:00:00.000Z')
    assert.equal(err.expiredAt.toISOString(), '2026-06-01T00:00:00.000Z')
    assert.equal(err.ttlDays, 90)
    assert.equal(err.authentic, true)
    assert.match(err.message, /expired/)
    return true
  })
  assert.equal(auth.isValid(token, later), false)
})

test('a token with one character changed throws TOKEN_FORGED', () => {
  const auth = authority()
  const { token } = auth.issue(NOW)
  const last = token.at(-1) === '0' ? '1' : '0'
  const forged = token.slice(0, -1) + last
  assert.throws(() => auth.verify(forged, NOW), { code: 'TOKEN_FORGED' })
})

test('a token minted for another domain is forged here', () => {
  const other = authority({ domain: 'reply.other.example' })
  const { token } = other.issue(NOW)
  assert.throws(() => authority().verify(token, NOW), { code: 'TOKEN_FORGED' })
})

test('text that is no token throws TOKEN_MALFORMED with the reason', () => {
  const auth = authority()
  assert.throws(() => auth.verify('abc', NOW), { code: 'TOKEN_MALFORMED', reason: 'length', length: 3 })
  assert.throws(() => auth.verify('u123456789abcdef', NOW), { code: 'TOKEN_MALFORMED', reason: 'character' })
  assert.throws(() => parseToken(''), { code: 'TOKEN_MALFORMED' })
})

test('a token from a key the keyring lacks throws TOKEN_UNKNOWN_KEY', () => {
  const master = Secret.fromHex(MASTER_HEX)
  const ring = new Keyring()
  ring.addDerived(master, 3, new Date('2026-01-01T00:00:00Z'))
  const issuer = new TokenAuthority(ring, { domain: DOMAIN })
  const { token } = issuer.issue(NOW)
  assert.equal(parseToken(token).keyId, 3)

  const verifier = new TokenAuthority(Keyring.single(0, master), { domain: DOMAIN })
  assert.throws(() => verifier.verify(token, NOW), (err) => {
    assert.equal(err.code, 'TOKEN_UNKNOWN_KEY')
    assert.equal(err.keyId, 3)
    assert.ok(err.issuedAt instanceof Date)
    return true
  })
})

test('retiring a key revokes its tokens with TOKEN_KEY_RETIRED', () => {
  const master = Secret.fromHex(MASTER_HEX)
  const ring = new Keyring()
  ring.addDerived(master, 1, new Date('2026-01-01T00:00:00Z'))
  const { token } = new TokenAuthority(ring, { domain: DOMAIN }).issue(NOW)
  ring.retire(1, new Date(NOW.getTime() + 1000))
  const auth = new TokenAuthority(ring, { domain: DOMAIN })
  assert.throws(() => auth.verify(token, new Date(NOW.getTime() + 5000)), { code: 'TOKEN_KEY_RETIRED', keyId: 1 })
  assert.ok(ring.keys()[0].retiredAt instanceof Date)
})

test('a token issued days ahead throws TOKEN_NOT_YET_VALID', () => {
  const auth = authority()
  const { token } = auth.issue(new Date(NOW.getTime() + days(1)))
  assert.throws(() => auth.verify(token, NOW), (err) => {
    assert.equal(err.code, 'TOKEN_NOT_YET_VALID')
    assert.equal(err.now.toISOString(), NOW.toISOString())
    return true
  })
})

test('key rotation: the newest started key signs, older tokens still verify', () => {
  const master = Secret.fromHex(MASTER_HEX)
  const ring = new Keyring()
  ring.addDerived(master, 0, new Date('2026-01-01T00:00:00Z'))
  const before = new TokenAuthority(ring, { domain: DOMAIN }).issue(new Date('2026-02-01T00:00:00Z'))
  ring.addDerived(master, 1, new Date('2026-03-01T00:00:00Z'))
  const auth = new TokenAuthority(ring, { domain: DOMAIN })
  assert.equal(ring.signingKeyId(NOW), 1)
  assert.equal(auth.issue(NOW).keyId, 1)
  assert.equal(auth.verify(before.token, NOW).keyId, 0)
  assert.deepEqual(ring.keys().map((k) => k.id), [0, 1])
})

test('bad settings throw CONFIG_INVALID with a reason', () => {
  const secret = Secret.fromHex(MASTER_HEX)
  assert.throws(() => Keyring.single(16, secret), { code: 'CONFIG_INVALID', reason: 'bad_key_id', keyId: 16 })
  assert.throws(() => authority({ ttlDays: 0 }), { code: 'CONFIG_INVALID', reason: 'bad_ttl' })
  assert.throws(() => authority({ ttlDays: 241 }), { code: 'CONFIG_INVALID', reason: 'bad_ttl' })
  assert.throws(() => authority({ domain: 'not a domain' }), { code: 'CONFIG_INVALID', reason: 'bad_domain' })
  assert.throws(() => new TokenAuthority(new Keyring(), { domain: DOMAIN }).issue(NOW), {
    code: 'CONFIG_INVALID',
    reason: 'no_signing_key'
  })
  const ring = new Keyring()
  ring.add(0, secret, NOW)
  assert.throws(() => ring.add(1, secret, NOW), { code: 'CONFIG_INVALID', reason: 'duplicate_start' })
  assert.throws(() => ring.retire(9), { code: 'CONFIG_INVALID', reason: 'no_such_key' })
})

test('secrets accept hex or bytes and refuse bad ones without echoing them', () => {
  assert.equal(Secret.fromBytes(Buffer.alloc(32, 7)).length, 32)
  assert.equal(Secret.generate().length, 32)
  assert.throws(() => Secret.fromBytes(Buffer.alloc(8)), { code: 'CONFIG_INVALID', reason: 'bad_secret_length', length: 8 })
  assert.throws(() => Secret.fromHex('zz112233445566778899aabbccddeeff'), (err) => {
    assert.equal(err.code, 'CONFIG_INVALID')
    assert.equal(err.reason, 'bad_secret_hex')
    assert.doesNotMatch(err.message, /zz11/)
    return true
  })
})

test('a secret never shows in inspect, String, JSON or template output', () => {
  const secret = Secret.fromHex(MASTER_HEX)
  const shown = [inspect(secret), inspect({ secret }, { showHidden: true, depth: 5 }), String(secret), `${secret}`, JSON.stringify({ secret })]
  for (const text of shown) {
    assert.doesNotMatch(text, /0001020304/)
    assert.doesNotMatch(text, /1c1d1e1f/)
  }
  assert.equal(String(secret), 'Secret(<redacted>)')
  assert.equal(JSON.stringify({ secret }), '{"secret":"<redacted>"}')
  assert.equal(secret.exposeHex(), MASTER_HEX)
  assert.doesNotMatch(inspect(Keyring.single(0, secret).keys(), { depth: 5 }), /0001020304/)
})

test('derived secrets differ by purpose and id and compare in constant time', () => {
  const master = Secret.fromHex(MASTER_HEX)
  const a = master.derive('reply-token', 1)
  assert.equal(a.equals(master.derive('reply-token', 1)), true)
  assert.equal(a.equals(master.derive('reply-token', 2)), false)
  assert.equal(a.equals(master.derive('message-id', 1)), false)
})

test('the authority reports its settings', () => {
  const auth = authority({ domain: 'Reply.Example.COM.', ttlDays: 30 })
  assert.equal(auth.domain, 'reply.example.com')
  assert.equal(auth.ttlDays, 30)
})

test('an Invalid Date is refused, not read as 1970', () => {
  const auth = authority()
  const { token } = auth.issue(NOW)
  assert.throws(() => auth.issue(new Date('not a date')), { code: 'InvalidArg', message: /Invalid Date/ })
  assert.throws(() => auth.verify(token, new Date(NaN)), { code: 'InvalidArg' })
  assert.throws(() => new Keyring().add(0, Secret.generate(), new Date('x')), { code: 'InvalidArg' })
})
