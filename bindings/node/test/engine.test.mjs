// The engine, used the way a Node backend uses it: open a store, write to customers, take their
// replies in, read the timeline, the inbox and the insights. Every store-backed call is a Promise.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { execFile } from 'node:child_process'

import { Engine, analyze, analysisJsonSchema, buildPrompt, repairAnalysis } from 'replytrack'
import { DOMAIN, MASTER_HEX, encodeForm, rawEmail, sendGridForm } from './fixtures.mjs'

const FROM = 'hello@acme.example'
const REPLY = "Bonjour,\n\nOui, l'offre nous intéresse beaucoup : nous envoyons environ 20 000 emails par mois " +
  "et l'export CSV est trop lent pour nous. Pouvez-vous nous appeler cette semaine ?\n\nMarie\n"
const T0 = new Date('2026-03-03T09:00:00Z')
const later = (ms) => new Date(T0.getTime() + ms)
const HOUR = 3600 * 1000

function open (db = ':memory:', options = {}) {
  return Engine.open(db, { replyDomain: DOMAIN, secret: MASTER_HEX, fromAddress: FROM, accountName: 'Acme', ...options })
}

function replyTo (address, body, from = 'Marie Dupont <marie@example.fr>') {
  return rawEmail({ from, to: `<${address}>`, subject: 'Re: Votre devis', body })
}

test('compose, ingest the reply, analyse, read timeline and insights', async () => {
  const engine = await open()
  assert.equal(engine.kind, 'sqlite-memory')
  const marie = await engine.addCustomer({ email: 'Marie@Example.fr', name: 'Marie Dupont' }, T0)
  assert.deepEqual(marie.emails, ['marie@example.fr'])
  assert.ok(marie.createdAt instanceof Date)
  assert.equal(marie.createdAt.getTime(), T0.getTime())

  const sent = await engine.compose(marie.id, { subject: 'Votre devis', text: 'Bonjour Marie' }, T0)
  assert.ok(sent.replyAddress.endsWith(`@${DOMAIN}`))
  assert.ok(Buffer.isBuffer(sent.eml))
  assert.match(sent.eml.toString(), new RegExp(`Reply-To: <?${sent.replyAddress.replace(/[+.]/g, '\\$&')}`))
  assert.ok(sent.expiresAt > T0)

  assert.equal(await engine.recordSent(sent.message, undefined, T0), 'changed')
  const result = await engine.ingest(replyTo(sent.replyAddress, REPLY), undefined, later(2 * HOUR))
  assert.equal(result.outcome, 'stored', result.explanation)
  assert.equal(result.conversation, sent.conversation)
  assert.equal(result.forward, 'sent')

  const forwards = await engine.outbox()
  assert.equal(forwards.length, 1)
  assert.deepEqual(forwards[0].recipients, [FROM])

  const run = await engine.runAnalysis(undefined, later(3 * HOUR))
  assert.equal(run.analysed, 1)
  assert.equal(run.reports[0].status, 'analysed')

  const timeline = await engine.timeline({ customer: marie.id })
  const kinds = timeline.map((e) => e.type)
  const order = ['conversation_opened', 'email_sent', 'reply_received', 'reply_forwarded', 'analysis_completed']
  assert.deepEqual(kinds.filter((k) => order.includes(k)), order)
  const received = timeline[kinds.indexOf('reply_received')]
  assert.equal(received.at.getTime(), later(2 * HOUR).getTime())
  assert.match(received.data.text, /20 000/)

  const messages = await engine.messages(sent.conversation)
  const inbound = messages.find((m) => m.direction === 'inbound')
  assert.ok(inbound.analysis.opportunityScore >= 3)

  const insights = await engine.insights()
  assert.equal(insights.analysed, 1)
  assert.equal(Object.values(insights.bySentiment).reduce((a, b) => a + b, 0), 1)
  assert.ok('high_value' in insights.byResponseType, 'schema values stay as written')
})

test('inbox: status changes, assignment, labels, notes, cursor pages, error codes', async () => {
  const engine = await open()
  const paul = await engine.addCustomer({ email: 'paul@example.com' }, T0)
  const logged = await engine.logManualReply(paul.id, 'Paul called about pricing.', { author: 'ana' }, T0)
  const conv = logged.conversation
  assert.equal(logged.opened, true)

  assert.equal((await engine.assign(conv, 'ana', 'sales', T0)).assignee, 'ana')
  assert.deepEqual((await engine.addLabel(conv, 'pricing', T0)).labels, ['pricing'])
  assert.deepEqual((await engine.removeLabel(conv, 'pricing', T0)).labels, [])
  assert.equal((await engine.setPriority(conv, 'high', T0)).priority, 'high')
  assert.match(await engine.addNote(conv, 'Send the deck.', 'ana', T0), /^msg_/)

  const resolved = await engine.resolve(conv, later(60000))
  assert.equal(resolved.status, 'resolved')
  assert.ok(resolved.resolvedAt instanceof Date)
  await assert.rejects(engine.resolve(conv, later(120000)), (e) => {
    assert.equal(e.code, 'TRANSITION_ERROR')
    assert.equal(e.state, 'resolved')
    return true
  })
  assert.equal((await engine.reopen(conv, later(180000))).status, 'open')
  const until = later(24 * HOUR)
  const snoozed = await engine.snooze(conv, { until }, later(240000))
  assert.equal(snoozed.snoozedUntil.getTime(), until.getTime())
  assert.deepEqual(await engine.wakeSnoozed(later(25 * HOUR)), [conv])
  assert.equal((await engine.markPending(conv, later(26 * HOUR))).status, 'pending')

  const page = await engine.conversations({ status: 'pending' })
  assert.deepEqual(page.items.map((c) => c.id), [conv])
  assert.equal(page.nextCursor, undefined)
  assert.equal((await engine.conversations({ text: 'pricing' })).items.length, 1)

  await assert.rejects(engine.resolve('cnv_' + '0'.repeat(26)), { code: 'NOT_FOUND', entity: 'conversation' })
  await assert.rejects(engine.resolve('not-an-id'), { code: 'INVALID_ARGUMENT' })
  assert.equal(await engine.getCustomer('cus_' + '0'.repeat(26)), null)
  assert.equal((await engine.findCustomer('PAUL@example.com')).id, paul.id)

  // Pages follow the cursor.
  const ids = [conv]
  for (let i = 0; i < 4; i++) {
    const c = await engine.addCustomer({ email: `c${i}@example.com` }, T0)
    ids.push((await engine.logManualReply(c.id, `call ${i}`, {}, later(27 * HOUR + i * 1000))).conversation)
  }
  const seen = []
  let after
  for (;;) {
    const p = await engine.conversations({ limit: 2, after })
    seen.push(...p.items.map((c) => c.id))
    if (!p.nextCursor) break
    after = p.nextCursor
  }
  assert.deepEqual(seen, [...ids].reverse())
})

test('a SendGrid multipart payload is ingested with its content type', async () => {
  const engine = await open()
  const c = await engine.addCustomer({ email: 'marie@example.fr' })
  const sent = await engine.compose(c.id, { subject: 'Votre devis', text: 'Bonjour' })
  const token = sent.replyAddress.split('@')[0].split('+')[1]
  const { body, contentType } = await encodeForm(sendGridForm({ token, text: 'Merci, parfait.' }))
  const result = await engine.ingest(body, { provider: 'sendgrid', contentType })
  assert.equal(result.outcome, 'stored', result.explanation)
  await assert.rejects(engine.ingest('{not json', { provider: 'postmark' }), { code: 'MALFORMED_INPUT' })
})

test('a SQLite file is there for a second engine; forwards land in an outbox directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'replytrack-node-'))
  try {
    const db = join(dir, 'replytrack.db')
    const first = await open(db, { outboxDir: join(dir, 'outbox') })
    const c = await first.addCustomer({ email: 'marie@example.fr', name: 'Marie' })
    const sent = await first.compose(c.id, { subject: 'Hello', text: 'Hi Marie' })
    assert.equal((await first.ingest(replyTo(sent.replyAddress, REPLY))).outcome, 'stored')
    const files = readdirSync(join(dir, 'outbox'))
    assert.equal(files.length, 1)
    assert.match(readFileSync(join(dir, 'outbox', files[0]), 'utf8'), /20 000/)

    const second = await open(db)
    assert.equal(second.kind, 'sqlite')
    assert.equal((await second.getCustomer(c.id)).name, 'Marie')
    assert.equal((await second.runAnalysis()).analysed, 1)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('bad stores and settings reject with codes', async () => {
  await assert.rejects(open(join(tmpdir(), `missing-${randomUUID()}`, 'x.db')), { code: 'STORE_ERROR', kind: 'open' })
  await assert.rejects(open('mysql://db/x'), { code: 'CONFIG_INVALID' })
  await assert.rejects(Engine.open(':memory:', { replyDomain: DOMAIN, secret: Buffer.from('short'), fromAddress: FROM }), { code: 'CONFIG_INVALID' })
  const engine = await Engine.open(':memory:', { replyDomain: DOMAIN, secret: Buffer.from(MASTER_HEX, 'hex'), fromAddress: FROM })
  assert.equal(engine.target, 'sqlite::memory:')
})

test('many calls in flight at once all land', async () => {
  const engine = await open()
  const customers = await Promise.all(Array.from({ length: 10 }, (_, i) => engine.addCustomer({ email: `c${i}@example.com` })))
  const pending = customers.flatMap((c) => [engine.logManualReply(c.id, 'first call'), engine.findCustomer(c.emails[0])])
  assert.ok(pending.every((p) => p instanceof Promise))
  await Promise.all(pending)
  for (const c of customers) {
    const events = await engine.timeline({ customer: c.id })
    assert.equal(events.filter((e) => e.type === 'manual_reply_logged').length, 1)
  }
})

test('analysis without a store', () => {
  const a = analyze(REPLY, { subject: 'Votre devis' })
  assert.equal(a.lang, 'fr')
  assert.ok(a.opportunityScore >= 3)
  const schema = analysisJsonSchema()
  assert.equal(schema.type, 'object')
  assert.ok('opportunity_score' in schema.properties, 'the schema keeps its wire names')
  const messages = buildPrompt('Can you call me?', { subject: 'Trial' })
  assert.equal(messages[0].role, 'system')
  assert.match(messages.at(-1).content, /Can you call me\?/)
  assert.throws(() => repairAnalysis('no json here'), (e) => e.code === 'MALFORMED_INPUT' && typeof e.feedback === 'string')
})

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

async function openPostgres (schema, t) {
  try {
    return await open(DATABASE_URL, { pgSchema: schema })
  } catch (e) {
    if (process.env.CI === 'true' || e.code !== 'STORE_ERROR') throw e
    t.skip(`PostgreSQL at DATABASE_URL is unreachable (${e.message}); set CI=true to fail instead`)
    return null
  }
}

test('PostgreSQL in a schema of its own', async (t) => {
  const schema = `rt_node_${randomUUID().replace(/-/g, '').slice(0, 12)}`
  // Best effort: drop the schema afterwards when psql is at hand.
  t.after(() => new Promise((resolve) => {
    execFile('psql', [DATABASE_URL, '-q', '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`], () => resolve())
  }))
  const engine = await openPostgres(schema, t)
  if (!engine) return
  assert.equal(engine.kind, 'postgres')
  const c = await engine.addCustomer({ email: 'marie@example.fr', name: 'Marie' })
  const sent = await engine.compose(c.id, { subject: 'Votre devis', text: 'Bonjour' })
  assert.equal((await engine.ingest(replyTo(sent.replyAddress, REPLY))).outcome, 'stored')
  assert.equal((await engine.runAnalysis()).analysed, 1)
  const again = await openPostgres(schema, t)
  assert.equal((await again.getCustomer(c.id)).name, 'Marie')
  assert.equal((await again.insights()).analysed, 1)
})

test('inbox rows, read marks, customer history and metrics', async () => {
  const engine = await open()
  const marie = await engine.addCustomer({ email: 'marie@example.fr', name: 'Marie Dupont' }, T0)
  const sent = await engine.compose(marie.id, { subject: 'Votre devis', text: 'Bonjour Marie' }, T0)
  await engine.recordSent(sent.message, undefined, T0)
  const result = await engine.ingest(replyTo(sent.replyAddress, REPLY), undefined, later(2 * HOUR))
  assert.equal(result.outcome, 'stored', result.explanation)
  await engine.addLabel(sent.conversation, 'vip', later(2 * HOUR))

  const page = await engine.inbox({ reader: 'alice' })
  assert.equal(page.rows.length, 1)
  assert.equal(page.nextCursor, undefined)
  const row = page.rows[0]
  assert.equal(row.conversation, sent.conversation)
  assert.equal(row.customer, marie.id)
  assert.equal(row.contactName, 'Marie Dupont')
  assert.equal(row.status, 'open')
  assert.ok(row.waiting && row.unread)
  assert.ok(row.activity instanceof Date)
  assert.equal(row.lastMessage.direction, 'inbound')
  assert.ok(row.lastMessage.at instanceof Date)
  assert.match(row.lastMessage.preview, /20 000/)
  assert.equal(row.labels[0].name, 'vip')
  assert.match(row.labels[0].colour, /^#[0-9a-f]{6}$/)
  assert.equal((await engine.inbox({ labels: ['vip'], status: 'open' })).rows.length, 1)
  assert.equal((await engine.inbox({ labels: ['nope'] })).rows.length, 0)
  await assert.rejects(engine.inbox({ tab: 'mine' }), (e) => e.code === 'INVALID_ARGUMENT' && /agent/.test(e.message))

  assert.equal(await engine.markRead(sent.conversation, 'alice', later(3 * HOUR)), null)
  assert.equal((await engine.inbox({ reader: 'alice' })).rows[0].unread, false)
  assert.equal((await engine.inbox({ reader: 'bob' })).rows[0].unread, true)

  const history = await engine.customerHistory(marie.id)
  assert.deepEqual(history.map((r) => r.conversation), [sent.conversation])

  const report = await engine.metrics({ since: later(-24 * HOUR), until: later(24 * HOUR) })
  assert.equal(report.opened, 1)
  assert.deepEqual(report.byChannel.email, { inbound: 1, outbound: 1 })
  assert.deepEqual(Object.keys(report.byDay), ['2026-03-03'])
})

test('replies are analysed by an OpenAI-compatible model', async () => {
  const { createServer } = await import('node:http')
  // The model answers in the schema's snake_case (analysisJsonSchema()).
  const snake = (o) => Array.isArray(o)
    ? o.map(snake)
    : o && typeof o === 'object'
      ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()), snake(v)]))
      : o
  const content = JSON.stringify({
    ...snake(analyze('Nous prenons le forfait Pro pour 40 personnes.')),
    response_type: 'high_value',
    key_insights: ['Buys the Pro plan for 40 people']
  })
  const seen = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => { body += c })
    req.on('end', () => {
      seen.push({ path: req.url, auth: req.headers.authorization, body: JSON.parse(body) })
      const answer = JSON.stringify({ choices: [{ message: { role: 'assistant', content }, finish_reason: 'stop' }] })
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) })
      res.end(answer)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${server.address().port}/v1`
    const engine = await open(':memory:', { llm: { url, model: 'test-model', apiKey: 'sk-test-secret' } })
    const marie = await engine.addCustomer({ email: 'marie@example.fr' }, T0)
    const sent = await engine.compose(marie.id, { subject: 'Votre devis', text: 'Bonjour' }, T0)
    const result = await engine.ingest(replyTo(sent.replyAddress, REPLY), undefined, later(HOUR))
    assert.equal(result.outcome, 'stored', result.explanation)
    const run = await engine.runAnalysis(undefined, later(2 * HOUR))
    assert.equal(run.analysed, 1, JSON.stringify(run))
    const inbound = (await engine.messages(sent.conversation)).filter((m) => m.direction === 'inbound')
    assert.equal(inbound[0].analysis.responseType, 'high_value')
    assert.deepEqual(inbound[0].analysis.keyInsights, ['Buys the Pro plan for 40 people'])
  } finally {
    server.close()
  }
  assert.equal(seen[0].path, '/v1/chat/completions')
  assert.equal(seen[0].auth, 'Bearer sk-test-secret')
  assert.equal(seen[0].body.model, 'test-model')
})
