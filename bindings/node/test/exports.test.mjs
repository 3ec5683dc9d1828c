// index.d.ts is generated from the Rust by `napi build`: every runtime export must be declared in
// it, and everything it declares as a value must exist at runtime.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import * as esm from 'replytrack'

const require = createRequire(import.meta.url)
const cjs = require('replytrack')
const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8')

const declared = new Map()
for (const m of dts.matchAll(/^export declare (function|class|const) (\w+)/gm)) declared.set(m[2], m[1])
const types = new Set([...dts.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]))
// `#[napi(string_enum)]` enums are declared as unions of string literals (TypeScript users write
// `'sendgrid'`), and exist at runtime as objects of those same strings (`Provider.SendGrid`).
const unions = new Map([...dts.matchAll(/^export type (\w+) = ((?:'[^']*'(?: \| )?)+)$/gm)]
  .map((m) => [m[1], [...m[2].matchAll(/'([^']*)'/g)].map((v) => v[1])]))

test('every runtime export is declared in index.d.ts', () => {
  const exported = Object.keys(cjs)
  assert.ok(exported.length > 20)
  const undeclared = exported.filter((name) => !declared.has(name) && !unions.has(name))
  assert.deepEqual(undeclared, [])
})

test('each string enum object at runtime holds exactly the strings of its declared union', () => {
  const enums = Object.keys(cjs).filter((name) => unions.has(name))
  assert.deepEqual(enums.sort(), ['CutKind', 'ErrorCode', 'MessageKind', 'Provider', 'QuoteContainer', 'SesDeliveryType', 'TokenSource', 'Verdict'])
  for (const name of enums) {
    assert.deepEqual(Object.values(cjs[name]).sort(), [...unions.get(name)].sort(), name)
  }
})

test('every declared function and class exists at runtime with the right kind', () => {
  for (const [name, kind] of declared) {
    if (kind === 'const') {
      assert.ok(name in cjs, name)
      continue
    }
    assert.equal(typeof cjs[name], 'function', `${name} is declared as a ${kind}`)
  }
})

test('named ESM imports see the same exports as require', () => {
  for (const name of declared.keys()) assert.equal(esm[name], cjs[name], name)
})

test('the API a Node user reaches for is there', () => {
  const expected = {
    function: [
      'parseEmail', 'parseEmailAsync', 'classify', 'extractReply', 'extractReplyAsync', 'stripText', 'stripHtml',
      'htmlToText', 'htmlToTextAsync', 'scanToken', 'scanTokens', 'parseAddress', 'findToken', 'splitAddresses',
      'tokenInMessageId', 'parseToken', 'checkBasicAuth', 'parseSesDelivery', 'verifySesDelivery', 'snsSigningCertUrl',
      'analyze', 'analysisJsonSchema', 'buildPrompt', 'repairAnalysis'
    ],
    class: ['Secret', 'Keyring', 'TokenAuthority', 'AddressFormat', 'MailgunVerifier', 'BasicAuth', 'Engine']
  }
  for (const [kind, names] of Object.entries(expected)) {
    for (const name of names) assert.equal(declared.get(name), kind, name)
  }
  for (const name of ['InboundMessage', 'Reply', 'Classification', 'TokenMatch', 'ErrorCode', 'Provider', 'ParseOptions']) {
    assert.ok(types.has(name), name)
  }
})

test('async variants are declared as Promises of the sync result', () => {
  assert.match(dts, /function parseEmailAsync\([^)]*\): Promise<InboundMessage>/)
  assert.match(dts, /function extractReplyAsync\([^)]*\): Promise<Reply>/)
  assert.match(dts, /function htmlToTextAsync\([^)]*\): Promise<string>/)
  assert.match(dts, /function parseEmail\(data: Buffer \| string, options\?: ParseOptions/)
})

test('every error code the tests rely on is in the ErrorCode type', () => {
  const line = dts.match(/^export type ErrorCode = (.*)$/m)
  assert.ok(line)
  const codes = [...line[1].matchAll(/'([A-Z_]+)'/g)].map((m) => m[1])
  for (const code of ['TOKEN_EXPIRED', 'TOKEN_FORGED', 'TOKEN_MALFORMED', 'TOKEN_UNKNOWN_KEY', 'TOKEN_KEY_RETIRED',
    'TOKEN_NOT_YET_VALID', 'MALFORMED_INPUT', 'SIGNATURE_INVALID', 'SIGNATURE_STALE', 'SIGNATURE_REPLAYED',
    'AUTH_FAILED', 'CONFIG_INVALID', 'STORE_ERROR', 'NOT_FOUND', 'TRANSITION_ERROR']) {
    assert.ok(codes.includes(code), code)
  }
})
