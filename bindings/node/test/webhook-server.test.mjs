// A SendGrid Inbound Parse endpoint on a plain `http` server, receiving real multipart POSTs made
// with fetch + FormData over loopback, the way an app built on this package would.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'

import { BasicAuth, classify, extractReplyAsync, parseEmailAsync, scanToken } from 'replytrack'
import { DOMAIN, NOW, authority, sendGridForm } from './fixtures.mjs'

const MAX_BODY = 30 * 1024 * 1024
const auth = new BasicAuth('sendgrid', 'webhook-pass')
const tokens = authority()

function readBody (req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('payload too large'), { status: 413 }))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send (res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

async function inbound (req, res) {
  if (req.method !== 'POST' || req.url !== '/inbound/sendgrid') return send(res, 404, { error: 'not found' })
  if (!auth.isAuthorized(req.headers.authorization)) return send(res, 401, { error: 'AUTH_FAILED' })
  const body = await readBody(req)
  let message
  try {
    message = await parseEmailAsync(body, { provider: 'sendgrid', contentType: req.headers['content-type'] })
  } catch (err) {
    if (err.code === 'MALFORMED_INPUT') return send(res, 400, { error: err.code, reason: err.reason })
    throw err
  }
  const { kind } = classify(message)
  const found = scanToken(message, DOMAIN)
  let token = null
  let tokenError = null
  if (found) {
    try {
      token = tokens.verify(found.token, NOW).token
    } catch (err) {
      tokenError = err.code
    }
  }
  const reply = await extractReplyAsync(message)
  return send(res, 200, { token, tokenError, source: found?.source ?? null, kind, reply: reply.text, lang: reply.lang ?? null })
}

let server
let url
const authorization = `Basic ${Buffer.from('sendgrid:webhook-pass').toString('base64')}`

before(async () => {
  server = createServer((req, res) => {
    inbound(req, res).catch((err) => send(res, 500, { error: String(err) }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${server.address().port}/inbound/sendgrid`
})

after(async () => {
  await new Promise((resolve) => server.close(resolve))
})

test('a SendGrid POST answers with the verified token, the kind and the reply text', async () => {
  const { token } = tokens.issue(NOW)
  const form = sendGridForm({
    token,
    text: 'Bonjour,\n\nC\'est d\'accord pour jeudi, merci pour votre retour rapide.\n\nMarie\n\nLe lun. 2 mars 2026 à 10:12, Acme <sales@acme.example> a écrit :\n> Jeudi vous convient-il ?\n'
  })
  const response = await fetch(url, { method: 'POST', body: form, headers: { authorization } })
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('content-type'), 'application/json')
  assert.deepEqual(await response.json(), {
    token,
    tokenError: null,
    source: 'envelope',
    kind: 'reply',
    reply: 'Bonjour,\n\nC\'est d\'accord pour jeudi, merci pour votre retour rapide.\n\nMarie',
    lang: 'fr'
  })
})

test('a forged token is reported, not trusted', async () => {
  const form = sendGridForm({ token: '0123456789abcdef', text: 'Hello' })
  const response = await fetch(url, { method: 'POST', body: form, headers: { authorization } })
  const json = await response.json()
  assert.equal(json.token, null)
  assert.equal(json.tokenError, 'TOKEN_FORGED')
})

test('an out-of-office POST is classified as an auto reply', async () => {
  const { token } = tokens.issue(NOW)
  const form = sendGridForm({ token, subject: 'Out of Office: Re: your quote', text: 'I am out of the office until Monday.' })
  const json = await (await fetch(url, { method: 'POST', body: form, headers: { authorization } })).json()
  assert.equal(json.kind, 'auto_reply')
  assert.equal(json.token, token)
})

test('a POST without the webhook credentials is refused', async () => {
  const response = await fetch(url, { method: 'POST', body: sendGridForm({ token: '0123456789abcdef', text: 'x' }) })
  assert.equal(response.status, 401)
  await response.body?.cancel()
})

test('a payload that is not SendGrid form data is a 400 with the reason', async () => {
  const response = await fetch(url, { method: 'POST', body: 'hello', headers: { authorization, 'content-type': 'text/plain' } })
  assert.equal(response.status, 400)
  assert.deepEqual(await response.json(), { error: 'MALFORMED_INPUT', reason: 'unsupported_content_type' })
})

test('concurrent POSTs are each answered with their own token', async () => {
  const issued = Array.from({ length: 8 }, (_, i) => tokens.issueWithHandle(1000 + i, NOW).token)
  const answers = await Promise.all(issued.map(async (token, i) => {
    const form = sendGridForm({ token, text: `Answer number ${i}` })
    return (await fetch(url, { method: 'POST', body: form, headers: { authorization } })).json()
  }))
  assert.deepEqual(answers.map((a) => a.token), issued)
  assert.deepEqual(answers.map((a) => a.reply), issued.map((_, i) => `Answer number ${i}`))
})
