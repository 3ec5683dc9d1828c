import { test } from 'node:test'
import assert from 'node:assert/strict'

import { AddressFormat, findToken, parseAddress, parseEmail, scanToken, scanTokens, splitAddresses, tokenInMessageId } from 'replytrack'
import { DOMAIN, NOW, authority, encodeForm, rawEmail, sendGridForm } from './fixtures.mjs'

const TOKEN = '7k3m9q2x5c8v1b4n'

test('AddressFormat writes reply addresses and Message-IDs that carry the token', () => {
  const format = new AddressFormat(DOMAIN)
  assert.equal(format.domain, DOMAIN)
  assert.equal(format.address(TOKEN), `reply+${TOKEN}@${DOMAIN}`)
  assert.equal(format.address(TOKEN.toUpperCase()), `reply+${TOKEN}@${DOMAIN}`)
  const id = format.messageId(TOKEN)
  assert.match(id, new RegExp(`^${TOKEN}\\.[0-9a-z]{10}@${DOMAIN.replaceAll('.', '\\.')}$`))
  assert.equal(tokenInMessageId(`<${id}>`, DOMAIN), TOKEN)
  assert.equal(tokenInMessageId(`<${id}>`, 'other.example'), null)
})

test('AddressFormat takes another prefix and separator', () => {
  const format = new AddressFormat('Reply.Example.com', { prefix: 'r', separator: '-' })
  assert.equal(format.address(TOKEN), `r-${TOKEN}@reply.example.com`)
  assert.throws(() => new AddressFormat(DOMAIN, { separator: '#' }), { code: 'CONFIG_INVALID', reason: 'bad_separator' })
  assert.throws(() => new AddressFormat(DOMAIN, { separator: '+-' }), { code: 'CONFIG_INVALID', reason: 'bad_separator' })
  assert.throws(() => new AddressFormat(DOMAIN, { prefix: 'no way' }), { code: 'CONFIG_INVALID', reason: 'bad_prefix' })
  assert.throws(() => new AddressFormat('exa mple'), { code: 'CONFIG_INVALID', reason: 'bad_domain' })
  assert.throws(() => new AddressFormat(DOMAIN).address('short'), { code: 'TOKEN_MALFORMED' })
})

test('parseAddress finds the token behind display names, quotes, case and lists', () => {
  const parsed = parseAddress(`"Dupont, Marie" <REPLY+${TOKEN.toUpperCase()}@Reply.Example.com>, paul@example.fr`, DOMAIN)
  assert.deepEqual(parsed, {
    input: `"Dupont, Marie" <REPLY+${TOKEN.toUpperCase()}@Reply.Example.com>, paul@example.fr`,
    token: TOKEN,
    address: `REPLY+${TOKEN.toUpperCase()}@Reply.Example.com`,
    validShape: true
  })
  assert.equal(findToken(`reply-${TOKEN}@${DOMAIN}`, DOMAIN), TOKEN)
  assert.equal(findToken(`reply=${TOKEN}@${DOMAIN}`), TOKEN)
  assert.equal(findToken(`reply+${TOKEN}@elsewhere.example`, DOMAIN), null)
  assert.equal(new AddressFormat(DOMAIN).findToken(`Acme <reply+${TOKEN}@${DOMAIN}>`), TOKEN)
  const none = parseAddress('paul@example.fr', DOMAIN)
  assert.equal(none.validShape, false)
  assert.equal(none.token, undefined)
})

test('splitAddresses keeps quoted commas and drops groups and comments', () => {
  assert.deepEqual(splitAddresses('"Dupont, Marie" <marie@example.fr>, team: a@x.example, b@y.example; (note) c@z.example'), [
    { displayName: 'Dupont, Marie', address: 'marie@example.fr' },
    { address: 'a@x.example' },
    { address: 'b@y.example' },
    { address: 'c@z.example' }
  ])
})

test('scanToken finds the token in To, and a verified token comes back', () => {
  const auth = authority()
  const { token } = auth.issue(NOW)
  const msg = parseEmail(rawEmail({ to: `Acme <reply+${token}@${DOMAIN}>`, body: 'ok' }))
  const found = scanToken(msg, DOMAIN)
  assert.deepEqual(found, { token, source: 'to' })
  assert.equal(auth.verify(found.token, NOW).token, token)
})

test('scanToken prefers the SendGrid envelope over the headers', async () => {
  const { body, contentType } = await encodeForm(sendGridForm({ token: TOKEN, text: 'ok' }))
  const msg = parseEmail(body, { provider: 'sendgrid', contentType })
  assert.deepEqual(scanToken(msg, DOMAIN), { token: TOKEN, source: 'envelope' })
})

test('scanToken falls back to References when the sub-address was lost', () => {
  const id = new AddressFormat(DOMAIN).messageId(TOKEN)
  const msg = parseEmail(rawEmail({ to: 'sales@acme.example', headers: [`References: <other@x.example> <${id}>`], body: 'ok' }))
  assert.deepEqual(scanToken(msg, DOMAIN), { token: TOKEN, source: 'references' })
})

test('scanTokens lists every candidate in order; scanToken is null without one', () => {
  const other = '0123456789abcdef'
  const msg = parseEmail(rawEmail({ to: `reply+${TOKEN}@${DOMAIN}`, cc: `reply+${other}@${DOMAIN}`, body: 'ok' }))
  assert.deepEqual(scanTokens(msg, DOMAIN), [
    { token: TOKEN, source: 'to' },
    { token: other, source: 'cc' }
  ])
  assert.equal(scanToken(parseEmail(rawEmail({ to: 'sales@acme.example', body: 'ok' })), DOMAIN), null)
  assert.deepEqual(scanTokens(parseEmail(rawEmail({ to: 'sales@acme.example', body: 'ok' })), DOMAIN), [])
})
