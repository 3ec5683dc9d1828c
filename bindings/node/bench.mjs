// Binding overhead: parseEmail on a ~5 KB reply from Node, against the same parse inside Rust.
//
//   npm run build && npm run bench
//
// The Rust figure comes from measureNativeParse, which runs the core's parse_provider in a loop in
// the same addon on the same bytes: the difference is what crossing into JavaScript costs (reading
// the Buffer, building the message object with its strings, arrays and Date). Each side runs in
// alternating rounds and the median round is reported.
import { measureNativeParse, parseEmail, parseEmailAsync } from 'replytrack'

const PLAIN = `Bonjour Paul,

Merci beaucoup pour votre retour rapide et pour le devis détaillé. Nous l'avons relu avec
l'équipe achats ce matin : le périmètre nous convient, y compris l'assistance prioritaire et les
deux sessions de formation. Deux questions avant de signer :

1. Est-il possible de démarrer le 1er avril plutôt que le 15 mars ? Notre équipe sera au complet
   à ce moment-là.
2. Le tarif annuel inclut-il la migration des données de l'ancien outil, ou faut-il prévoir un
   avenant ?

Si tout est clair de votre côté, je peux faire valider le bon de commande jeudi.

Bien cordialement,
Marie Dupont
Responsable achats

Le lun. 2 mars 2026 à 09:58, Paul Martin <reply+08snprpxc2abs7wc@reply.example.com> a écrit :
> Bonjour Marie,
>
> Veuillez trouver ci-joint le devis pour l'abonnement annuel. Le tarif
> comprend l'assistance prioritaire et la formation de vos équipes.
>
> N'hésitez pas à revenir vers nous pour toute question.
>
> Cordialement,
> Paul Martin
`

function qp (text) {
  return [...Buffer.from(text)].map((b) => (b < 128 && b !== 61 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')
}

function reply5kb () {
  const html = PLAIN.split('\n').map((l) => l.startsWith('>')
    ? `<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">${l.slice(1)}</blockquote>`
    : `<div dir="ltr">${l}<br></div>`).join('\n')
  const headers = [
    'Return-Path: <marie@example.fr>',
    'Delivered-To: reply+08snprpxc2abs7wc@reply.example.com',
    'Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.example.com with SMTPS id a1si123; Tue, 03 Mar 2026 02:05:02 -0800 (PST)',
    'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.fr; s=20230601; t=1772532302; x=1773137102; h=to:subject:message-id:date:from:in-reply-to:references:mime-version; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4',
    'MIME-Version: 1.0',
    'References: <08snprpxc2abs7wc.k2m4p6r8t0@reply.example.com>',
    'In-Reply-To: <08snprpxc2abs7wc.k2m4p6r8t0@reply.example.com>',
    'From: =?UTF-8?Q?Marie_Dupont?= <marie@example.fr>',
    'Date: Tue, 3 Mar 2026 11:05:00 +0100',
    'Message-ID: <CAF=k3x9Qm2+Vx8@mail.gmail.com>',
    'Subject: =?UTF-8?Q?Re=3A_Votre_devis_pour_l=E2=80=99abonnement_annuel?=',
    'To: Paul Martin <reply+08snprpxc2abs7wc@reply.example.com>',
    'Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6a7b8"'
  ]
  return [
    ...headers,
    '',
    '--000000000000a1b2c3d4e5f6a7b8',
    'Content-Type: text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    qp(PLAIN),
    '--000000000000a1b2c3d4e5f6a7b8',
    'Content-Type: text/html; charset="UTF-8"',
    '',
    html,
    '--000000000000a1b2c3d4e5f6a7b8--',
    ''
  ].join('\r\n')
}

const raw = Buffer.from(reply5kb())
const ROUNDS = Number(process.env.ROUNDS ?? 15)
const PER_ROUND = Number(process.env.PER_ROUND ?? 2000)

// CPU time of this process (all its threads, so garbage collection counts too), not wall time:
// the figures hold up when other work shares the machine.
function cpuNs (fn) {
  const start = process.cpuUsage()
  fn()
  const used = process.cpuUsage(start)
  return (used.user + used.system) * 1000
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// Warm up both sides (JIT, allocator, caches).
for (let i = 0; i < 2000; i++) parseEmail(raw)
measureNativeParse(raw, null, 2000)

const nodeNs = []
const rustNs = []
for (let r = 0; r < ROUNDS; r++) {
  nodeNs.push(cpuNs(() => { for (let i = 0; i < PER_ROUND; i++) parseEmail(raw) }) / PER_ROUND)
  rustNs.push(cpuNs(() => measureNativeParse(raw, null, PER_ROUND)) / PER_ROUND)
}
const node = median(nodeNs)
const rust = median(rustNs)

const ASYNC_BATCH = 64
const asyncStart = process.hrtime.bigint()
for (let r = 0; r < 40; r++) await Promise.all(Array.from({ length: ASYNC_BATCH }, () => parseEmailAsync(raw)))
const asyncNs = Number(process.hrtime.bigint() - asyncStart) / (40 * ASYNC_BATCH)

const us = (ns) => `${(ns / 1000).toFixed(1)} µs`
console.log(`input: ${raw.length} bytes (multipart/alternative, quoted-printable text + HTML, 13 headers)`)
console.log(`Rust  parse_provider(raw)   ${us(rust)}  CPU time, median of ${ROUNDS} rounds × ${PER_ROUND}`)
console.log(`Node  parseEmail(buffer)    ${us(node)}`)
console.log(`ratio Node / Rust           ${(node / rust).toFixed(2)}×  (aim: ≤ 1.30×)`)
console.log(`Node  parseEmailAsync       ${us(asyncNs)} wall per message, ${ASYNC_BATCH} in flight (thread pool)`)
