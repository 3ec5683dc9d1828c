// examples/node/webhook-receiver.mjs runs in one command and does what its header says.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const example = fileURLToPath(new URL('../../../examples/node/webhook-receiver.mjs', import.meta.url))

test('the webhook receiver example posts a sample reply to itself and prints token, kind and reply', async () => {
  const env = { ...process.env, REPLYTRACK_SECRET: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', WEBHOOK_USER: 'sendgrid', WEBHOOK_PASSWORD: 'pw' }
  const { stdout } = await run(process.execPath, [example, '--demo'], { env, timeout: 30_000 })
  const address = stdout.match(/issued reply address reply\+([0-9a-z]{16})@reply\.example\.com/)
  assert.ok(address, stdout)
  const token = address[1]
  assert.match(stdout, new RegExp(`^token: ${token}$`, 'm'))
  assert.match(stdout, /^kind: {2}reply$/m)
  assert.match(stdout, /^reply: Bonjour Paul,$/m)
  const answer = JSON.parse(stdout.match(/^answer: (.*)$/m)[1])
  assert.deepEqual(answer, {
    status: 'accepted',
    token,
    tokenError: null,
    kind: 'reply',
    reply: 'Bonjour Paul,\n\nMerci pour le devis, il nous convient. Pouvons-nous commencer lundi ?\n\nCordialement,\nMarie Dupont',
    lang: 'fr'
  })
})
