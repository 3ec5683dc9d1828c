#!/usr/bin/env node
// A SendGrid Inbound Parse receiver on Node's own `http` server, using the `replytrack` package.
//
// For each POST it parses the multipart payload, finds and verifies the reply token, classifies the
// message (reply, auto reply, bounce, own loop) and extracts the new text of the reply, then prints
// them and answers 200 with the same as JSON.
//
//   node examples/node/webhook-receiver.mjs           # listen on $PORT (default 3000)
//   node examples/node/webhook-receiver.mjs --demo    # listen on a free port, post one sample
//                                                     # reply to itself, print it, exit
//
// Build the addon first (bindings/node/test.sh does, or `npm ci && npm run build` in bindings/node).
// Settings come from the environment:
//   REPLYTRACK_SECRET   hex master secret for reply tokens (32 bytes); a random one if unset
//   REPLY_DOMAIN        reply domain of the reply addresses (default reply.example.com)
//   WEBHOOK_USER, WEBHOOK_PASSWORD   basic auth SendGrid must send (point SendGrid at
//                       https://user:password@your-host/inbound/sendgrid); none if unset
//   PORT                port to listen on (default 3000), on 127.0.0.1 unless HOST is set
//
// Not here yet: storing the reply. SQLite ingest (conversation timeline, dedupe, forwarding) and
// the analysis come with the replytrack engine, which this package will expose as Promise-returning
// calls; this receiver stops at what the library does without storage.

import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'

// In an application: import { ... } from 'replytrack'
import {
  AddressFormat,
  BasicAuth,
  Keyring,
  Secret,
  TokenAuthority,
  classify,
  extractReplyAsync,
  parseEmailAsync,
  scanTokens
} from '../../bindings/node/index.js'

const MAX_BODY_BYTES = 30 * 1024 * 1024 // SendGrid posts at most 30 MB

export function createReceiver ({ secretHex, domain = 'reply.example.com', user, password, log = console.log } = {}) {
  const secret = secretHex ? Secret.fromHex(secretHex) : Secret.generate()
  const authority = new TokenAuthority(Keyring.single(0, secret), { domain })
  const basicAuth = user ? new BasicAuth(user, password ?? '') : null

  async function handle (req, res) {
    if (req.method !== 'POST' || req.url !== '/inbound/sendgrid') return json(res, 404, { error: 'not found' })
    if (basicAuth && !basicAuth.isAuthorized(req.headers.authorization)) {
      res.setHeader('www-authenticate', 'Basic realm="inbound"')
      return json(res, 401, { error: 'AUTH_FAILED' })
    }
    const body = await readBody(req)
    if (body === null) return json(res, 413, { error: 'payload too large' })

    let message
    try {
      message = await parseEmailAsync(body, { provider: 'sendgrid', contentType: req.headers['content-type'] })
    } catch (err) {
      if (err.code !== 'MALFORMED_INPUT') throw err
      // A real app keeps the raw body in a dead-letter store here. Answering 2xx stops SendGrid
      // from retrying a payload that will never parse.
      log(`rejected payload: ${err.message}`)
      return json(res, 200, { status: 'rejected', error: err.code, reason: err.reason })
    }

    const { kind } = classify(message)
    // Try every token-shaped candidate: an old reply address may sit in Cc beside the current one.
    let token = null
    let tokenError = null
    for (const candidate of scanTokens(message, domain)) {
      try {
        token = authority.verify(candidate.token).token
        tokenError = null
        break
      } catch (err) {
        tokenError ??= err.code // TOKEN_EXPIRED deserves a note to the sender; TOKEN_FORGED does not
      }
    }
    const reply = await extractReplyAsync(message)

    log(`from:  ${message.from?.address ?? '(none)'}`)
    log(`token: ${token ?? `(none: ${tokenError ?? 'no reply address found'})`}`)
    log(`kind:  ${kind}`)
    log(`reply: ${reply.text}`)
    return json(res, 200, { status: 'accepted', token, tokenError, kind, reply: reply.text, lang: reply.lang ?? null })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`error: ${err.stack ?? err}`)
      json(res, 500, { error: 'internal error' })
    })
  })
  return { server, authority, addresses: new AddressFormat(domain) }
}

function readBody (req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        req.pause()
        resolve(null)
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function json (res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** Post one sample reply, the way SendGrid Inbound Parse would, to the receiver at `url`. */
async function postSample (url, replyAddress, headers) {
  const form = new FormData()
  form.append('headers', [
    'From: Marie Dupont <marie@example.fr>',
    `To: Acme Sales <${replyAddress}>`,
    'Subject: Re: Votre devis',
    'Date: Tue, 3 Mar 2026 11:05:00 +0100',
    'Message-ID: <CAF-demo-1@mail.example.fr>',
    ''
  ].join('\n'))
  form.append('from', 'Marie Dupont <marie@example.fr>')
  form.append('to', `Acme Sales <${replyAddress}>`)
  form.append('subject', 'Re: Votre devis')
  form.append('text', [
    'Bonjour Paul,',
    '',
    'Merci pour le devis, il nous convient. Pouvons-nous commencer lundi ?',
    '',
    'Cordialement,',
    'Marie Dupont',
    'Responsable achats',
    '',
    'Le lun. 2 mars 2026 à 10:12, Paul Martin <paul@acme.example> a écrit :',
    '> Bonjour Marie, voici notre devis.'
  ].join('\n'))
  form.append('envelope', JSON.stringify({ to: [replyAddress], from: 'marie@example.fr' }))
  form.append('charsets', JSON.stringify({ from: 'UTF-8', to: 'UTF-8', subject: 'UTF-8', text: 'UTF-8' }))
  form.append('SPF', 'pass')
  const response = await fetch(url, { method: 'POST', body: form, headers })
  return response.json()
}

async function main () {
  const demo = process.argv.includes('--demo')
  const env = process.env
  const user = env.WEBHOOK_USER
  const { server, authority, addresses } = createReceiver({
    secretHex: env.REPLYTRACK_SECRET,
    domain: env.REPLY_DOMAIN ?? 'reply.example.com',
    user,
    password: env.WEBHOOK_PASSWORD
  })
  if (!env.REPLYTRACK_SECRET) console.log('REPLYTRACK_SECRET is not set: using a random secret (tokens will not survive a restart)')
  const host = env.HOST ?? '127.0.0.1'
  const port = demo ? 0 : Number(env.PORT ?? 3000)
  await new Promise((resolve) => server.listen(port, host, resolve))
  const url = `http://${host}:${server.address().port}/inbound/sendgrid`
  console.log(`listening on ${url}`)
  if (!demo) return

  const { token } = authority.issue()
  const replyAddress = addresses.address(token)
  console.log(`issued reply address ${replyAddress}`)
  const headers = user ? { authorization: `Basic ${Buffer.from(`${user}:${env.WEBHOOK_PASSWORD ?? ''}`).toString('base64')}` } : {}
  const answer = await postSample(url, replyAddress, headers)
  console.log(`answer: ${JSON.stringify(answer)}`)
  server.close()
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
