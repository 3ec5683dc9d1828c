// Shared test data: a keyring, an authority, and emails built the way mail clients write them.
import { Keyring, Secret, TokenAuthority } from 'replytrack'

export const DOMAIN = 'reply.example.com'
export const MASTER_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'
export const NOW = new Date('2026-03-03T10:12:00Z')

export function authority (options = {}) {
  const keyring = Keyring.single(0, Secret.fromHex(MASTER_HEX))
  return new TokenAuthority(keyring, { domain: DOMAIN, ...options })
}

export function days (n) {
  return n * 24 * 60 * 60 * 1000
}

/** An RFC 5322 message with CRLF line ends. */
export function rawEmail ({ from = 'Marie Dupont <marie@example.fr>', to, cc, subject = 'Re: your quote', headers = [], body }) {
  const lines = [
    `From: ${from}`,
    `To: ${to}`,
    ...(cc ? [`Cc: ${cc}`] : []),
    `Subject: ${subject}`,
    'Date: Tue, 3 Mar 2026 11:05:00 +0100',
    'Message-ID: <CAF-reply-1@mail.example.fr>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    ...headers,
    '',
    ...body.split('\n')
  ]
  return lines.join('\r\n')
}

/** The multipart body and Content-Type of a real FormData, as fetch would send it. */
export async function encodeForm (form) {
  const response = new Response(form)
  return {
    body: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type')
  }
}

/** The fields SendGrid Inbound Parse posts in its default (parsed) mode. */
export function sendGridForm ({ token, text, html, subject = 'Re: your quote' }) {
  const form = new FormData()
  form.append('headers', [
    'Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn',
    'From: Marie Dupont <marie@example.fr>',
    `To: Acme Sales <reply+${token}@${DOMAIN}>`,
    `Subject: ${subject}`,
    'Date: Tue, 3 Mar 2026 11:05:00 +0100',
    'Message-ID: <CAF-sg-1@mail.example.fr>',
    'In-Reply-To: <out-1@acme.example>',
    'MIME-Version: 1.0',
    ''
  ].join('\n'))
  form.append('from', 'Marie Dupont <marie@example.fr>')
  form.append('to', `Acme Sales <reply+${token}@${DOMAIN}>`)
  form.append('subject', subject)
  form.append('text', text)
  if (html) form.append('html', html)
  form.append('envelope', JSON.stringify({ to: [`reply+${token}@${DOMAIN}`], from: 'marie@example.fr' }))
  form.append('charsets', JSON.stringify({ to: 'UTF-8', from: 'UTF-8', subject: 'UTF-8', text: 'UTF-8', html: 'UTF-8' }))
  form.append('SPF', 'pass')
  form.append('dkim', '{@example.fr : pass}')
  form.append('spam_score', '0.1')
  form.append('sender_ip', '192.0.2.10')
  form.append('attachments', '0')
  return form
}
