import { test } from 'node:test'
import assert from 'node:assert/strict'

import { classify, parseEmail } from 'replytrack'
import { DOMAIN, rawEmail } from './fixtures.mjs'

const TO = `reply+08snprpxc2abs7wc@${DOMAIN}`

test('a person writing back is a reply with no evidence', () => {
  const c = classify(parseEmail(rawEmail({ to: TO, body: 'Yes please.' })))
  assert.deepEqual(c, { kind: 'reply', evidence: [], mailingList: false })
})

test('an out-of-office answer is an auto reply, with the rule that saw it', () => {
  const msg = parseEmail(rawEmail({
    to: TO,
    subject: 'Réponse automatique : Re: your quote',
    headers: ['Auto-Submitted: auto-replied'],
    body: 'Je suis absente jusqu\'au 10 mars.'
  }))
  const c = classify(msg)
  assert.equal(c.kind, 'auto_reply')
  const rules = c.evidence.map((e) => e.rule)
  assert.ok(rules.includes('auto_submitted_header'), rules.join(','))
  assert.ok(c.evidence.every((e) => typeof e.detail === 'string' && e.detail.length > 0))
})

test('a delivery status report is a bounce with the failed recipient', () => {
  const raw = [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    'To: bounces@acme.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Return-Path: <>',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'I could not deliver your message.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    '',
    'Final-Recipient: rfc822; gone@example.org',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
    '--b1',
    'Content-Type: message/rfc822',
    '',
    'From: sales@acme.example',
    'To: gone@example.org',
    `Reply-To: ${TO}`,
    'Message-ID: <08snprpxc2abs7wc.abcdefghjk@reply.example.com>',
    'Subject: Your quote',
    '',
    'Hello',
    '--b1--',
    ''
  ].join('\r\n')
  const c = classify(parseEmail(raw))
  assert.equal(c.kind, 'bounce')
  assert.equal(c.bounce.hard, true)
  assert.deepEqual(c.bounce.failedRecipients, ['gone@example.org'])
  assert.equal(c.bounce.status, '5.1.1')
  assert.equal(c.bounce.action, 'failed')
  assert.equal(c.bounce.originalMessageId, '08snprpxc2abs7wc.abcdefghjk@reply.example.com')
})

test('our own mail echoed back is an own loop when we say which domains are ours', () => {
  const msg = parseEmail(rawEmail({
    from: 'Acme <sales@acme.example>',
    to: TO,
    headers: ['X-Replytrack-Id: out-1'],
    body: 'Hello'
  }))
  assert.equal(classify(msg).kind, 'reply')
  const c = classify(msg, { ownDomains: ['acme.example'] })
  assert.equal(c.kind, 'own_loop')
  assert.deepEqual(c.evidence.map((e) => e.rule), ['own_sender', 'own_marker_header'])
  assert.equal(classify(msg, { ownAddresses: ['SALES@acme.example'] }).kind, 'own_loop')
})

test('mailing-list mail is flagged but stays a reply', () => {
  const c = classify(parseEmail(rawEmail({ to: TO, headers: ['List-Id: <team.lists.example.org>'], body: 'Agreed.' })))
  assert.equal(c.kind, 'reply')
  assert.equal(c.mailingList, true)
  assert.equal(c.evidence[0].rule, 'list_id_header')
})
