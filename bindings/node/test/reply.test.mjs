import { test } from 'node:test'
import assert from 'node:assert/strict'

import { extractReply, extractReplyAsync, htmlToText, htmlToTextAsync, parseEmail, stripHtml, stripText } from 'replytrack'
import { DOMAIN, rawEmail } from './fixtures.mjs'

const TO = `reply+08snprpxc2abs7wc@${DOMAIN}`

test('a French Gmail reply loses its attribution and quote, keeps the sign-off', () => {
  const msg = parseEmail(rawEmail({
    to: TO,
    body: [
      'Bonjour Paul,',
      '',
      'Oui, mardi prochain nous convient parfaitement. Pouvez-vous nous envoyer le devis ?',
      '',
      'Cordialement,',
      'Marie Dupont',
      'Responsable achats',
      '+33 1 23 45 67 89',
      '',
      'Le lun. 2 mars 2026 à 10:12, Paul Martin <paul@acme.example> a écrit :',
      '> Bonjour Marie,',
      '> Mardi vous conviendrait-il ?',
      ''
    ].join('\n')
  }))
  const reply = extractReply(msg)
  assert.equal(reply.text, 'Bonjour Paul,\n\nOui, mardi prochain nous convient parfaitement. Pouvez-vous nous envoyer le devis ?\n\nCordialement,\nMarie Dupont')
  assert.equal(reply.signature, 'Responsable achats\n+33 1 23 45 67 89')
  assert.match(reply.quoted, /^Le lun\. 2 mars 2026 à 10:12, Paul Martin <paul@acme\.example> a écrit :/)
  assert.equal(reply.cutBy, 'attribution')
  assert.equal(reply.lang, 'fr')
  assert.equal(reply.onlyQuote, false)
})

test('a French Outlook reply is cut at its De/Envoyé/À/Objet block', () => {
  const reply = stripText([
    'Merci, bien reçu. Nous revenons vers vous demain.',
    '',
    'Marie',
    '',
    '________________________________',
    'De : Paul Martin <paul@acme.example>',
    'Envoyé : lundi 2 mars 2026 10:12',
    'À : Marie Dupont <marie@example.fr>',
    'Objet : Devis 1234',
    '',
    'Bonjour Marie, voici le devis.'
  ].join('\n'))
  assert.equal(reply.text, 'Merci, bien reçu. Nous revenons vers vous demain.\n\nMarie')
  assert.equal(reply.cutBy, 'outlook_header')
  assert.match(reply.quoted, /De : Paul Martin/)
})

test('a Spanish reply is cut at "escribió:" and its mobile footer moves to the signature', () => {
  const reply = stripText([
    'Hola Paul,',
    '',
    'Perfecto, el martes nos viene muy bien. Quedo a la espera de la propuesta.',
    '',
    'Saludos,',
    'Juan',
    '',
    'Enviado desde mi iPhone',
    '',
    'El lun, 2 mar 2026 a las 10:12, Paul Martin (<paul@acme.example>) escribió:',
    '> Hola Juan, ¿le viene bien el martes?'
  ].join('\n'))
  assert.equal(reply.text, 'Hola Paul,\n\nPerfecto, el martes nos viene muy bien. Quedo a la espera de la propuesta.\n\nSaludos,\nJuan')
  assert.equal(reply.signature, 'Enviado desde mi iPhone')
  assert.equal(reply.cutBy, 'attribution')
  assert.equal(reply.lang, 'es')
})

test('a Brazilian Portuguese reply is cut at "escreveu:"', () => {
  const reply = stripText([
    'Olá Paul,',
    '',
    'Sim, podemos fazer a reunião na terça-feira. Obrigada pelo orçamento!',
    '',
    'Abraços,',
    'Ana',
    '',
    'Em seg., 2 de mar. de 2026 às 10:12, Paul Martin <paul@acme.example> escreveu:',
    '> Olá Ana, terça-feira funciona para você?'
  ].join('\n'))
  assert.equal(reply.text, 'Olá Paul,\n\nSim, podemos fazer a reunião na terça-feira. Obrigada pelo orçamento!\n\nAbraços,\nAna')
  assert.equal(reply.cutBy, 'attribution')
  assert.equal(reply.lang, 'pt')
})

test('an HTML-only Gmail reply is cut at its gmail_quote container', () => {
  const html = '<div dir="ltr">Parfait, merci !</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">Le lun. 2 mars 2026, Paul &lt;paul@acme.example&gt; a écrit :<br></div><blockquote class="gmail_quote">Bonjour</blockquote></div>'
  const raw = [
    'From: marie@example.fr',
    `To: ${TO}`,
    'Subject: Re: devis',
    'Content-Type: text/html; charset=utf-8',
    '',
    html
  ].join('\r\n')
  const msg = parseEmail(raw)
  assert.equal(msg.textFromHtml, true)
  const reply = extractReply(msg)
  assert.equal(reply.text, 'Parfait, merci !')
  assert.equal(reply.cutBy, 'html_container')
  assert.equal(reply.quoteContainer, 'gmail')
  assert.deepEqual(stripHtml(html), reply)
})

test('extractReply accepts any object with the body fields', () => {
  assert.equal(extractReply({ textBody: 'Yes.\n\nOn Mon, Paul <p@x.com> wrote:\n> ?' }).text, 'Yes.')
  assert.equal(extractReply({}).text, '')
})

test('a message that is only a quote gives empty text and onlyQuote', () => {
  const reply = stripText('On Mon, 2 Mar 2026 at 10:12, Paul <paul@acme.example> wrote:\n> Does Tuesday work?\n')
  assert.equal(reply.text, '')
  assert.equal(reply.onlyQuote, true)
})

test('htmlToText renders blocks, entities and blockquotes', () => {
  assert.equal(
    htmlToText('<div>Hello&nbsp;<b>Marie</b>,</div><div><br></div><blockquote>Old <i>text</i></blockquote><style>p{}</style>'),
    'Hello Marie,\n\n> Old text'
  )
})

test('async variants resolve to what the sync calls return', async () => {
  const body = 'Sí, gracias.\n\nEl lun, 2 mar 2026 a las 10:12, Paul (<paul@acme.example>) escribió:\n> ¿Martes?'
  const msg = parseEmail(rawEmail({ to: TO, body }))
  const [reply, text] = await Promise.all([extractReplyAsync(msg), htmlToTextAsync('<p>a &amp; b</p>')])
  assert.deepEqual(reply, extractReply(msg))
  assert.equal(reply.text, 'Sí, gracias.')
  assert.equal(text, 'a & b')
})
