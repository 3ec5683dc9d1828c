// A TypeScript program written against the generated index.d.ts; types.test.mjs type-checks it
// with `tsc --strict`. Mistakes in the declarations (a missing export, a wrong return type, a
// `null` where `undefined` is meant) break the build here.
import {
  Engine,
  analyze,
  type Analysis,
  type AnalysisRun,
  type ComposedEmail,
  type Conversation,
  type ConversationPage,
  type Customer,
  type IngestResult,
  type Insights,
  type TimelineEvent,
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

async function engineFlow (body: Buffer, contentType: string): Promise<number> {
  const engine: Engine = await Engine.open(':memory:', { replyDomain: 'reply.example.com', secret: 'ab'.repeat(32), fromAddress: 'hello@acme.example' })
  const customer: Customer = await engine.addCustomer({ email: 'marie@example.fr', name: 'Marie' })
  const email: ComposedEmail = await engine.compose(customer.id, { subject: 'Hi', text: 'Hello' }, new Date())
  const eml: Buffer = email.eml
  const result: IngestResult = await engine.ingest(body, { provider: 'sendgrid', contentType })
  const run: AnalysisRun = await engine.runAnalysis(10)
  const events: TimelineEvent[] = await engine.timeline({ customer: customer.id })
  const at: Date = events[0].at
  const page: ConversationPage = await engine.conversations({ status: 'open', limit: 20 })
  const next: string | undefined = page.nextCursor
  const conversation: Conversation = await engine.snooze(page.items[0].id, { preset: 'tomorrow_morning' })
  const insights: Insights = await engine.insights({ top: 3 })
  const analysis: Analysis = analyze('Can you call me?', { subject: 'Trial' })
  return eml.length + run.analysed + at.getTime() + (next?.length ?? 0) + conversation.labels.length +
    insights.analysed + analysis.opportunityScore + (result.conversation?.length ?? 0)
}

export { engineFlow, address, classification, cut, date, describe, expires, firstHeader, handler, kind, match, ok, stripped, subject }
