// examples/node/webhook-receiver.mjs runs in one command and does what its header says.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const example = fileURLToPath(new URL('../../../examples/node/webhook-receiver.mjs', import.meta.url))

test('the webhook receiver example ingests a sample reply into SQLite and prints the analysis', async () => {
  const env = { ...process.env, REPLYTRACK_SECRET: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', WEBHOOK_USER: 'sendgrid', WEBHOOK_PASSWORD: 'pw' }
  delete env.REPLYTRACK_DB
  const { stdout } = await run(process.execPath, [example, '--demo'], { env, timeout: 60_000 })
  assert.match(stdout, /^store: sqlite:.*replytrack\.db; forwards: /m)
  assert.match(stdout, /with reply address reply\+[0-9a-z]{16}@reply\.example\.com$/m)
  assert.match(stdout, /^outcome: {2}stored in cnv_/m)
  assert.match(stdout, /^reply: {4}Bonjour Paul,$/m)
  assert.match(stdout, /^analysis: \w+, sentiment \w+, urgency \w+, opportunity [1-5]\/5, follow-up /m)
  const answer = JSON.parse(stdout.match(/^answer: (.*)$/m)[1])
  assert.equal(answer.outcome, 'stored')
  assert.equal(answer.reply, 'Bonjour Paul,\n\nMerci pour le devis, il nous convient. Pouvons-nous commencer lundi ?\n\nCordialement,\nMarie Dupont')
  assert.equal(answer.analysis.lang, 'fr')
})
