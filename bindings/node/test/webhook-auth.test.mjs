import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { inspect } from 'node:util'

import { BasicAuth, MailgunVerifier, checkBasicAuth } from 'replytrack'
import { encodeForm } from './fixtures.mjs'

const KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0'
const NOW = new Date('2026-03-03T10:12:00Z')
const SECONDS = Math.floor(NOW.getTime() / 1000)

function signed (timestamp = String(SECONDS), token = 'b6d4a3bc0d3bcd7fcd1b5e7f9e02ae4f7bdc3c8bcd4f0f8f5e') {
  const signature = createHmac('sha256', KEY).update(timestamp + token).digest('hex')
  return { timestamp, token, signature }
}

test('a Mailgun signature made with the signing key verifies once', () => {
  const verifier = new MailgunVerifier(KEY)
  const fields = signed()
  assert.equal(verifier.verify(fields, NOW), undefined)
  assert.equal(verifier.remembered, 1)
  assert.throws(() => verifier.verify(fields, NOW), { code: 'SIGNATURE_REPLAYED', reason: 'replayed' })
})

test('a numeric timestamp from a JSON webhook is accepted', () => {
  const fields = signed()
  new MailgunVerifier(KEY).verify({ ...fields, timestamp: SECONDS }, NOW)
})

test('a signature under another key or over altered fields is SIGNATURE_INVALID', () => {
  const verifier = new MailgunVerifier('another-key')
  assert.throws(() => verifier.verify(signed(), NOW), { code: 'SIGNATURE_INVALID', reason: 'bad_signature' })
  const fields = { ...signed(), token: 'tampered' }
  assert.throws(() => new MailgunVerifier(KEY).verify(fields, NOW), { code: 'SIGNATURE_INVALID', reason: 'bad_signature' })
  assert.throws(() => new MailgunVerifier(KEY).verify({ ...signed(), signature: 'xyz' }, NOW), {
    code: 'SIGNATURE_INVALID',
    reason: 'malformed_signature'
  })
})

test('an old or future signature is SIGNATURE_STALE with the ages', () => {
  const verifier = new MailgunVerifier(KEY, { maxAgeSeconds: 120, maxSkewSeconds: 30 })
  assert.throws(() => verifier.verify(signed(String(SECONDS - 600)), NOW), {
    code: 'SIGNATURE_STALE',
    reason: 'stale',
    ageSeconds: 600,
    maxAgeSeconds: 120
  })
  assert.throws(() => verifier.verify(signed(String(SECONDS + 90)), NOW), {
    code: 'SIGNATURE_STALE',
    reason: 'from_the_future',
    aheadSeconds: 90,
    maxSkewSeconds: 30
  })
})

test('verifyForm reads the fields from a Mailgun route form body', async () => {
  const form = new FormData()
  const fields = signed()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  form.append('body-plain', 'hello')
  const { body, contentType } = await encodeForm(form)
  const verifier = new MailgunVerifier(KEY)
  assert.deepEqual(verifier.verifyForm(body, contentType, NOW), fields)
  const missing = await encodeForm(new FormData())
  assert.throws(() => verifier.verifyForm(missing.body, missing.contentType, NOW), {
    code: 'MALFORMED_INPUT',
    reason: 'missing_field',
    field: 'timestamp'
  })
})

test('verifyJson reads the signature object of an event webhook', () => {
  const fields = signed()
  const body = JSON.stringify({ signature: { ...fields, timestamp: SECONDS }, 'event-data': { event: 'delivered' } })
  assert.deepEqual(new MailgunVerifier(KEY).verifyJson(body, NOW), fields)
})

test('prune forgets tokens whose signatures went stale', () => {
  const verifier = new MailgunVerifier(KEY)
  verifier.verify(signed(), NOW)
  verifier.prune(new Date(NOW.getTime() + 10 * 60 * 1000))
  assert.equal(verifier.remembered, 0)
})

test('the Mailgun key never shows', () => {
  const verifier = new MailgunVerifier(KEY)
  assert.doesNotMatch(inspect(verifier, { showHidden: true }), /3ax6x/)
  assert.doesNotMatch(JSON.stringify({ verifier }), /3ax6x/)
  try {
    verifier.verify(signed('x'), NOW)
    assert.fail('should throw')
  } catch (err) {
    assert.equal(err.code, 'SIGNATURE_INVALID')
    assert.doesNotMatch(`${err.message} ${JSON.stringify(err)}`, /3ax6x/)
  }
})

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

test('basic auth accepts the right credentials and names what was wrong otherwise', () => {
  const auth = new BasicAuth('sendgrid', 's3cret-pass')
  assert.equal(auth.user, 'sendgrid')
  auth.check(basic('sendgrid', 's3cret-pass'))
  assert.equal(auth.isAuthorized(basic('sendgrid', 's3cret-pass')), true)
  assert.equal(auth.isAuthorized(basic('sendgrid', 'wrong')), false)
  assert.equal(auth.isAuthorized(undefined), false)
  assert.throws(() => auth.check(undefined), { code: 'AUTH_FAILED', reason: 'missing' })
  assert.throws(() => auth.check('Bearer abc'), { code: 'AUTH_FAILED', reason: 'not_basic' })
  assert.throws(() => auth.check('Basic !!!'), { code: 'AUTH_FAILED', reason: 'malformed' })
  assert.throws(() => auth.check(basic('sendgrid', 'nope')), (err) => {
    assert.equal(err.code, 'AUTH_FAILED')
    assert.equal(err.reason, 'wrong_credentials')
    assert.doesNotMatch(err.message, /nope|s3cret/)
    return true
  })
  assert.doesNotMatch(inspect(auth, { showHidden: true }), /s3cret/)
  checkBasicAuth(basic('u', 'p'), 'u', 'p')
  assert.throws(() => checkBasicAuth(basic('u', 'x'), 'u', 'p'), { code: 'AUTH_FAILED' })
})
