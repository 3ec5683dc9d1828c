#!/usr/bin/env node
// A SendGrid Inbound Parse receiver on Node's own `http` server: replies go into SQLite, analysed.
//
// Each POST goes to the replytrack engine, which parses the multipart payload, matches the reply
// token to the email it answers, stores the reply in the customer's conversation (deduplicated,
// quoted history and signature stripped), forwards it to your inbox (here: .eml files in a folder)
// and queues its analysis. The receiver then runs the analysis worker (a real app runs it in a
// background job), prints what the reply says and answers 200 with the same as JSON.
//
//   node examples/node/webhook-receiver.mjs           # listen on $PORT (default 3000)
//   node examples/node/webhook-receiver.mjs --demo    # listen on a free port, send an email, post
//                                                     # the customer's reply to itself, print, exit
//
// Build the addon first (bindings/node/test.sh does, or `npm ci && npm run build` in bindings/node).
// Settings come from the environment:
//   REPLYTRACK_DB       SQLite path or postgres:// URL (default replytrack.db; --demo: a temp dir)
//   REPLYTRACK_SECRET   hex master secret for reply tokens (32 bytes); a random one if unset
//   REPLY_DOMAIN        reply domain of the reply addresses (default reply.example.com)
//   REPLYTRACK_FROM     sender of your emails, where replies are forwarded (default hello@acme.example)
//   WEBHOOK_USER, WEBHOOK_PASSWORD   basic auth SendGrid must send (point SendGrid at
//                       https://user:password@your-host/inbound/sendgrid); none if unset
//   PORT                port to listen on (default 3000), on 127.0.0.1 unless HOST is set

import { createServer } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'

// In an application: import { ... } from 'replytrack'
import { BasicAuth, Engine } from '../../bindings/node/index.js'

const MAX_BODY_BYTES = 30 * 1024 * 1024 // SendGrid posts at most 30 MB

export async function createReceiver ({
  db = ':memory:', outboxDir, secretHex, domain = 'reply.example.com', from = 'hello@acme.example',
  user, password, log = console.log
} = {}) {
  const secret = secretHex ?? randomBytes(32).toString('hex')
  const engine = await Engine.open(db, { replyDomain: domain, secret, fromAddress: from, accountName: 'Acme', outboxDir })
  const basicAuth = user ? new BasicAuth(user, password ?? '') : null

  async function handle (req, res) {
    if (req.method !== 'POST' || req.url !== '/inbound/sendgrid') return json(res, 404, { error: 'not found' })
    if (basicAuth && !basicAuth.isAuthorized(req.headers.authorization)) {
      res.setHeader('www-authenticate', 'Basic realm="inbound"')
      return json(res, 401, { error: 'AUTH_FAILED' })
    }
    const body = await readBody(req)
    if (body === null) return json(res, 413, { error: 'payload too large' })

    let result
    try {
      result = await engine.ingest(body, { provider: 'sendgrid', contentType: req.headers['content-type'] })
    } catch (err) {
      if (err.code === 'STORE_ERROR') {
        // Nothing was written: answer 5xx so SendGrid retries later.
        log(`store error: ${err.message}`)
        return json(res, 503, { error: err.code })
      }
      if (err.code !== 'MALFORMED_INPUT') throw err
      // A real app keeps the raw body in a dead-letter store here. Answering 2xx stops SendGrid
      // from retrying a payload that will never parse.
      log(`rejected payload: ${err.message}`)
      return json(res, 200, { outcome: 'rejected', error: err.code, reason: err.reason })
    }
    if (result.outcome !== 'stored') {
      // Expired address, unknown sender, auto reply, bounce…: recorded or explained, never dropped.
      log(`outcome: ${result.outcome}: ${result.explanation}`)
      return json(res, 200, { outcome: result.outcome, explanation: result.explanation })
    }

    await engine.runAnalysis()
    const stored = (await engine.messages(result.conversation)).find((m) => m.id === result.message)
    const a = stored.analysis
    log(`from:     ${stored.from}`)
    log(`outcome:  stored in ${result.conversation}`)
    log(`reply:    ${stored.replyText ?? stored.body}`)
    log(`analysis: ${a.responseType}, sentiment ${a.sentiment}, urgency ${a.urgency}, ` +
      `opportunity ${a.opportunityScore}/5, follow-up ${a.followUpNeeded ? 'needed' : 'not needed'}`)
    for (const insight of a.keyInsights) log(`  - ${insight}`)
    return json(res, 200, { outcome: 'stored', conversation: result.conversation, reply: stored.replyText, analysis: a })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`error: ${err.stack ?? err}`)
      json(res, 500, { error: 'internal error' })
    })
  })
  return { server, engine }
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
  const dir = demo ? mkdtempSync(join(tmpdir(), 'replytrack-demo-')) : '.'
  const { server, engine } = await createReceiver({
    db: env.REPLYTRACK_DB ?? join(dir, 'replytrack.db'),
    outboxDir: join(dir, 'forwarded'),
    secretHex: env.REPLYTRACK_SECRET,
    domain: env.REPLY_DOMAIN ?? 'reply.example.com',
    from: env.REPLYTRACK_FROM ?? 'hello@acme.example',
    user,
    password: env.WEBHOOK_PASSWORD
  })
  console.log(`store: ${engine.target}; forwards: ${join(dir, 'forwarded')}`)
  if (!env.REPLYTRACK_SECRET) console.log('REPLYTRACK_SECRET is not set: using a random secret (tokens will not survive a restart)')
  const host = env.HOST ?? '127.0.0.1'
  const port = demo ? 0 : Number(env.PORT ?? 3000)
  await new Promise((resolve) => server.listen(port, host, resolve))
  const url = `http://${host}:${server.address().port}/inbound/sendgrid`
  console.log(`listening on ${url}`)
  if (!demo) return

  const marie = (await engine.findCustomer('marie@example.fr')) ??
    (await engine.addCustomer({ email: 'marie@example.fr', name: 'Marie Dupont' }))
  const sent = await engine.compose(marie.id, { subject: 'Votre devis', text: 'Bonjour Marie, voici notre devis.' })
  await engine.recordSent(sent.message) // after handing sent.eml to your transport
  const replyAddress = sent.replyAddress
  console.log(`sent ${sent.messageId} with reply address ${replyAddress}`)
  const headers = user ? { authorization: `Basic ${Buffer.from(`${user}:${env.WEBHOOK_PASSWORD ?? ''}`).toString('base64')}` } : {}
  const answer = await postSample(url, replyAddress, headers)
  console.log(`answer: ${JSON.stringify(answer)}`)
  server.close()
  if (answer.outcome !== 'stored') process.exitCode = 1
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
