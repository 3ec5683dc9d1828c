// Amazon SES through SNS, with the signed fixtures of the core's provider tests (signed by a test
// certificate standing in for the one SNS serves).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'

import { parseEmail, parseSesDelivery, snsSigningCertUrl, verifySesDelivery } from 'replytrack'

const fixture = (name) => readFileSync(new URL(`../../../core/src/provider/testdata/${name}`, import.meta.url))
const NOTIFICATION = fixture('ses_sns_utf8_v2.json')
const SUBSCRIBE = fixture('sns_subscription_confirmation.json')
const CERT = fixture('sns-test-cert.pem')
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:replytrack-inbound'
const NOW = new Date('2026-12-01T09:00:10Z')

test('an SES notification reads the same through parseEmail and parseSesDelivery', () => {
  const delivery = parseSesDelivery(NOTIFICATION)
  assert.equal(delivery.type, 'notification')
  assert.equal(delivery.subscription, undefined)
  assert.equal(delivery.message.transport.provider, 'ses')
  assert.deepEqual(delivery.message, parseEmail(NOTIFICATION, { provider: 'ses' }))
})

test('a subscription confirmation is handed back for the host to confirm', () => {
  assert.throws(() => parseEmail(SUBSCRIBE, { provider: 'ses' }), {
    code: 'MALFORMED_INPUT',
    reason: 'not_a_notification',
    messageType: 'SubscriptionConfirmation'
  })
  const delivery = parseSesDelivery(SUBSCRIBE.toString('utf8'))
  assert.equal(delivery.type, 'subscription_confirmation')
  assert.equal(delivery.message, undefined)
  assert.equal(delivery.subscription.topicArn, TOPIC)
  assert.match(delivery.subscription.subscribeUrl, /^https:\/\/sns\.eu-west-1\.amazonaws\.com\/\?Action=ConfirmSubscription/)
})

test('the signing certificate URL is vetted before the host fetches it', () => {
  assert.match(snsSigningCertUrl(NOTIFICATION, TOPIC), /^https:\/\/sns\.eu-west-1\.amazonaws\.com\/.*\.pem$/)
  assert.throws(() => snsSigningCertUrl(NOTIFICATION, 'arn:aws:sns:eu-west-1:123456789012:someone-else'), {
    code: 'SIGNATURE_INVALID',
    reason: 'topic_mismatch'
  })
  const moved = JSON.parse(NOTIFICATION)
  moved.SigningCertURL = 'https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem'
  assert.throws(() => snsSigningCertUrl(JSON.stringify(moved), TOPIC), { code: 'SIGNATURE_INVALID', reason: 'untrusted_cert_url' })
})

test('a signed notification and a signed confirmation verify against the certificate', () => {
  const delivery = verifySesDelivery(NOTIFICATION, CERT, { topicArn: TOPIC }, NOW)
  assert.equal(delivery.type, 'notification')
  assert.ok(delivery.message.subject)
  assert.equal(verifySesDelivery(SUBSCRIBE, CERT.toString('utf8'), { topicArn: TOPIC }, NOW).type, 'subscription_confirmation')
})

test('a tampered, stale or foreign-topic SNS message is SIGNATURE_INVALID with the reason', () => {
  const tampered = JSON.parse(NOTIFICATION)
  tampered.Message = tampered.Message.replace('Received', 'Received ')
  assert.throws(() => verifySesDelivery(JSON.stringify(tampered), CERT, { topicArn: TOPIC }, NOW), {
    code: 'SIGNATURE_INVALID',
    reason: 'bad_signature'
  })
  const later = new Date(NOW.getTime() + 3600 * 1000)
  assert.throws(() => verifySesDelivery(NOTIFICATION, CERT, { topicArn: TOPIC, maxAgeSeconds: 60 }, later), {
    code: 'SIGNATURE_INVALID',
    reason: 'too_old'
  })
  assert.throws(() => verifySesDelivery(NOTIFICATION, CERT, { topicArn: 'arn:aws:sns:eu-west-1:123456789012:other' }, NOW), {
    code: 'SIGNATURE_INVALID',
    reason: 'topic_mismatch'
  })
  assert.throws(() => verifySesDelivery(NOTIFICATION, 'not a pem', { topicArn: TOPIC }, NOW), {
    code: 'SIGNATURE_INVALID',
    reason: 'bad_certificate'
  })
})
