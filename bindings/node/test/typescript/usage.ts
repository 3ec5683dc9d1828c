// A TypeScript program written against the generated index.d.ts; types.test.mjs type-checks it
// with `tsc --strict`. Mistakes in the declarations (a missing export, a wrong return type, a
// `null` where `undefined` is meant) break the build here.
import {
  AddressFormat,
  BasicAuth,
  Keyring,
  MailgunVerifier,
  Secret,
  TokenAuthority,
  classify,
  extractReply,
  extractReplyAsync,
  htmlToTextAsync,
  parseEmail,
  parseEmailAsync,
  scanToken,
  stripText,
  type Classification,
  type ErrorCode,
  type InboundMessage,
  type IssuedToken,
  type MessageKind,
  type Provider,
  type Reply,
  type TokenMatch
} from 'replytrack'

const authority = new TokenAuthority(Keyring.single(0, Secret.generate()), { domain: 'reply.example.com', ttlDays: 90 })
const issued: IssuedToken = authority.issue(new Date())
const expires: Date = issued.expiresAt
const address: string = new AddressFormat('reply.example.com').address(issued.token)

const provider: Provider = 'sendgrid'
const message: InboundMessage = parseEmail(Buffer.from('From: a@example.com\r\n\r\nhi'), { provider: 'raw' })
const fromText: InboundMessage = parseEmail('From: a@example.com\r\n\r\nhi')
const subject: string | undefined = message.subject
const date: Date | undefined = message.date
const firstHeader: [string, string] | undefined = message.headers[0]
const match: TokenMatch | null = scanToken(message, 'reply.example.com')
const kind: MessageKind = classify(message, { ownDomains: ['acme.example'] }).kind
const classification: Classification = classify(fromText)
const reply: Reply = extractReply(message)
const stripped: string = stripText('hi').text
const cut: string | undefined = reply.cutBy

async function handler (body: Buffer, contentType: string): Promise<string> {
  const parsed: InboundMessage = await parseEmailAsync(body, { provider, contentType, limits: { maxParts: 100 } })
  const asyncReply: Reply = await extractReplyAsync(parsed)
  const text: string = await htmlToTextAsync(parsed.htmlBody ?? '')
  return asyncReply.text + text
}

function describe (err: unknown): ErrorCode | undefined {
  if (err instanceof Error && 'code' in err) return (err as Error & { code: ErrorCode }).code
  return undefined
}

const verifier = new MailgunVerifier('key', { maxAgeSeconds: 300 })
verifier.verify({ timestamp: 1772532000, token: 't', signature: 's' }, new Date())
const ok: boolean = new BasicAuth('u', 'p').isAuthorized(undefined)

export { address, classification, cut, date, describe, expires, firstHeader, handler, kind, match, ok, stripped, subject }
