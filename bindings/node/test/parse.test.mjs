import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'

import { parseEmail, parseEmailAsync } from 'replytrack'
import { DOMAIN, encodeForm, rawEmail, sendGridForm } from './fixtures.mjs'

const TOKEN = '08snprpxc2abs7wc'
const RAW = rawEmail({
  to: `reply+${TOKEN}@${DOMAIN}`,
  cc: '"Dupont, Paul" <paul@example.fr>',
  subject: '=?utf-8?q?R=C3=A9ponse_=C3=A0_votre_devis?=',
  headers: ['In-Reply-To: <out-1@acme.example>', 'References: <out-0@acme.example> <out-1@acme.example>'],
  body: 'Oui, mardi me va.\n\nMarie\n'
})

test('parseEmail reads raw MIME from a Buffer into a typed message', () => {
  const msg = parseEmail(Buffer.from(RAW))
  assert.equal(msg.subject, 'Réponse à votre devis')
  assert.deepEqual(msg.from, { name: 'Marie Dupont', address: 'marie@example.fr' })
  assert.deepEqual(msg.to, [{ address: `reply+${TOKEN}@${DOMAIN}` }])
  assert.deepEqual(msg.cc, [{ name: 'Dupont, Paul', address: 'paul@example.fr' }])
  assert.equal(msg.messageId, 'CAF-reply-1@mail.example.fr')
  assert.deepEqual(msg.inReplyTo, ['out-1@acme.example'])
  assert.deepEqual(msg.references, ['out-0@acme.example', 'out-1@acme.example'])
  assert.ok(msg.date instanceof Date)
  assert.equal(msg.date.toISOString(), '2026-03-03T10:05:00.000Z')
  assert.equal(msg.textBody, 'Oui, mardi me va.\n\nMarie\n')
  assert.equal(msg.textFromHtml, false)
  assert.equal(msg.htmlBody, undefined)
  assert.deepEqual(msg.headers[0], ['From', 'Marie Dupont <marie@example.fr>'])
  assert.equal(msg.transport.provider, 'raw')
  assert.match(msg.rawSha256, /^[0-9a-f]{64}$/)
  assert.deepEqual(msg.attachments, [])
})

test('parseEmail takes a string or a Uint8Array as well', () => {
  const fromString = parseEmail(RAW, { provider: 'raw' })
  const fromBytes = parseEmail(new Uint8Array(Buffer.from(RAW)))
  assert.deepEqual(fromString, parseEmail(Buffer.from(RAW)))
  assert.deepEqual(fromBytes, fromString)
})

test('a message is a plain object: spread, JSON and structuredClone work', () => {
  const msg = parseEmail(RAW)
  const copy = structuredClone(msg)
  assert.deepEqual(copy, msg)
  const json = JSON.parse(JSON.stringify(msg))
  assert.equal(json.subject, msg.subject)
  assert.equal(json.date, msg.date.toISOString())
  assert.equal({ ...msg }.textBody, msg.textBody)
})

test('parseEmail reads a SendGrid Inbound Parse multipart POST', async () => {
  const { body, contentType } = await encodeForm(sendGridForm({
    token: TOKEN,
    text: '¡Claro que sí! Nos vemos el martes.\n\nEl lun, 2 mar 2026 a las 10:12, Acme <sales@acme.example> escribió:\n> ¿Le viene bien el martes?\n',
    html: '<div dir="ltr">¡Claro que sí! Nos vemos el martes.</div>'
  }))
  assert.match(contentType, /^multipart\/form-data; boundary=/)
  const msg = parseEmail(body, { provider: 'sendgrid', contentType })
  assert.equal(msg.transport.provider, 'sendgrid')
  assert.deepEqual(msg.transport.envelope, { mailFrom: 'marie@example.fr', rcptTo: [`reply+${TOKEN}@${DOMAIN}`] })
  assert.equal(msg.transport.spf, 'pass')
  assert.equal(msg.transport.dkim, 'pass')
  assert.equal(msg.transport.spamScore, 0.1)
  assert.equal(msg.transport.senderIp, '192.0.2.10')
  assert.equal(msg.from.address, 'marie@example.fr')
  assert.equal(msg.subject, 'Re: your quote')
  assert.match(msg.textBody, /^¡Claro que sí!/)
  assert.equal(msg.htmlBody, '<div dir="ltr">¡Claro que sí! Nos vemos el martes.</div>')
  assert.deepEqual(msg.inReplyTo, ['out-1@acme.example'])
})

test('parseEmail reads SendGrid fields in the charsets the payload declares', () => {
  const fixture = new URL('../../../core/src/provider/testdata/sendgrid_parsed.multipart', import.meta.url)
  const msg = parseEmail(readFileSync(fixture), { provider: 'sendgrid', contentType: 'multipart/form-data; boundary=xYzZY' })
  assert.equal(msg.subject, 'Réponse à votre devis')
  assert.match(msg.textBody, /Ça me convient très bien, à jeudi\./)
  assert.equal(msg.attachments.length, 2)
  assert.equal(msg.attachments[0].filename, 'devis-signé.pdf')
  assert.equal(typeof msg.attachments[0].size, 'number')
})

test('parseEmail reads a Postmark JSON payload', () => {
  const payload = JSON.stringify({
    FromFull: { Email: 'marie@example.fr', Name: 'Marie' },
    ToFull: [{ Email: `reply+${TOKEN}@${DOMAIN}`, Name: '' }],
    Subject: 'Re: your quote',
    TextBody: 'Sim, pode ser na terça.',
    MessageID: 'pm-1',
    MailboxHash: TOKEN,
    OriginalRecipient: `reply+${TOKEN}@${DOMAIN}`,
    Headers: [{ Name: 'Message-ID', Value: '<pm-orig@mail.example.fr>' }]
  })
  const msg = parseEmail(payload, { provider: 'postmark' })
  assert.equal(msg.transport.provider, 'postmark')
  assert.equal(msg.transport.providerMessageId, 'pm-1')
  assert.equal(msg.transport.mailboxHash, TOKEN)
  assert.equal(msg.textBody, 'Sim, pode ser na terça.')
})

test('parseEmail reads a urlencoded Mailgun route POST', () => {
  const form = new URLSearchParams({
    recipient: `reply+${TOKEN}@${DOMAIN}`,
    sender: 'marie@example.fr',
    from: 'Marie <marie@example.fr>',
    subject: 'Re: your quote',
    'body-plain': 'Ja, Dienstag passt.',
    'message-headers': JSON.stringify([['From', 'Marie <marie@example.fr>'], ['To', `reply+${TOKEN}@${DOMAIN}`], ['Subject', 'Re: your quote']]),
    timestamp: '1772532000',
    token: 'tok',
    signature: 'sig'
  })
  const msg = parseEmail(form.toString(), { provider: 'mailgun', contentType: 'application/x-www-form-urlencoded' })
  assert.equal(msg.transport.provider, 'mailgun')
  assert.equal(msg.textBody, 'Ja, Dienstag passt.')
  assert.deepEqual(msg.transport.envelope.rcptTo, [`reply+${TOKEN}@${DOMAIN}`])
})

test('bytes that are not an email throw MALFORMED_INPUT with reason and field', () => {
  assert.throws(() => parseEmail(''), { code: 'MALFORMED_INPUT', reason: 'not_a_message', field: 'body' })
  assert.throws(() => parseEmail('{"nope":', { provider: 'postmark' }), { code: 'MALFORMED_INPUT', reason: 'invalid_json' })
  assert.throws(() => parseEmail('--x\r\nContent-Disposition: form-data; name="text"\r\n\r\nhi', {
    provider: 'sendgrid',
    contentType: 'multipart/form-data; boundary=x'
  }), { code: 'MALFORMED_INPUT', reason: 'truncated_multipart', part: 1 })
  assert.throws(() => parseEmail('a=b', { provider: 'sendgrid', contentType: 'text/plain' }), {
    code: 'MALFORMED_INPUT',
    reason: 'unsupported_content_type'
  })
})

test('limits are options, and breaking one names it', () => {
  assert.throws(() => parseEmail(RAW, { limits: { maxPayloadBytes: 100 } }), {
    code: 'MALFORMED_INPUT',
    reason: 'too_large',
    limit: 100
  })
  assert.throws(() => parseEmail(RAW, { limits: { maxHeaders: 3 } }), {
    code: 'MALFORMED_INPUT',
    reason: 'too_many_headers',
    limit: 3
  })
  const nested = [
    'From: a@example.com',
    'Content-Type: multipart/mixed; boundary=a',
    '',
    '--a',
    'Content-Type: multipart/mixed; boundary=b',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'deep',
    '--b--',
    '--a--',
    ''
  ].join('\r\n')
  assert.equal(parseEmail(nested).textBody.trim(), 'deep')
  assert.throws(() => parseEmail(nested, { limits: { maxDepth: 2 } }), { code: 'MALFORMED_INPUT', reason: 'too_deep' })
})

test('an unknown provider is refused before any parsing', () => {
  assert.throws(() => parseEmail(RAW, { provider: 'sparkpost' }), /sparkpost/)
})

test('parseEmailAsync resolves to the same message as parseEmail', async () => {
  const promise = parseEmailAsync(Buffer.from(RAW))
  assert.ok(promise instanceof Promise)
  assert.deepEqual(await promise, parseEmail(RAW))
  assert.deepEqual(await parseEmailAsync(RAW), parseEmail(RAW))
})

test('parseEmailAsync rejects with the same coded error', async () => {
  await assert.rejects(parseEmailAsync(''), { code: 'MALFORMED_INPUT', reason: 'not_a_message' })
  await assert.rejects(parseEmailAsync('{', { provider: 'postmark' }), { code: 'MALFORMED_INPUT', reason: 'invalid_json' })
})

test('many parseEmailAsync calls run concurrently and all resolve', async () => {
  const bodies = Array.from({ length: 32 }, (_, i) => rawEmail({ to: `reply+${TOKEN}@${DOMAIN}`, subject: `n${i}`, body: `message ${i}` }))
  const messages = await Promise.all(bodies.map((b) => parseEmailAsync(b)))
  assert.deepEqual(messages.map((m) => m.subject), bodies.map((_, i) => `n${i}`))
})
