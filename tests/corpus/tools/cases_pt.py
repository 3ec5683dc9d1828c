"""Portuguese replies: Brazil (pt-br) and Portugal (pt-pt)."""

from case import raddr
from clients import apple, flow, gmail, gmail_forward, outlook, owa, plain, roundcube, samsung, tb_msgid, thunderbird
from common import OUTLOOK_RE, orig, reply
from mime import Binary, tiny_pdf

BR_TRIAL = (
    "Seu teste do Kalendo termina na quinta-feira",
    """Olá {first},

Seu período de teste do Kalendo termina na quinta-feira. Que tal uma conversa de 15 minutos para ver qual plano faz mais sentido para a sua clínica?

Abraço,
Rafael Souza
Kalendo""",
)

BR_PROPOSAL = (
    "Proposta comercial – Kalendo Pro",
    """Olá {first},

Conforme conversamos, segue o resumo da proposta:
- 10 licenças Kalendo Pro por R$ 49,00 por usuário/mês
- implantação e treinamento inclusos
- contrato anual com pagamento mensal via boleto

Fico à disposição para qualquer dúvida.

Rafael""",
)

BR_SUPPORT = (
    "Chamado #31877: lembretes por WhatsApp",
    """Olá {first},

Corrigimos o problema no envio dos lembretes por WhatsApp. Você pode confirmar se os seus pacientes voltaram a receber as mensagens?

Equipe de Suporte Kalendo""",
)

PT_TRIAL = (
    "O seu período experimental do Kalendo termina na quinta-feira",
    """Olá {first},

O seu período experimental do Kalendo termina na quinta-feira. Tem disponibilidade para uma chamada de 15 minutos esta semana, para vermos qual o plano mais adequado?

Cumprimentos,
Inês Carvalho
Kalendo""",
)

PT_INVOICE = (
    "Fatura de fevereiro – Kalendo",
    """Olá {first},

Enviamos em anexo a fatura referente ao mês de fevereiro. O débito será efetuado no dia 10 através do IBAN que nos indicou.

Com os melhores cumprimentos,
Inês Carvalho""",
)


def o(cid, lang, tpl, customer, **kw):
    subject, text = tpl
    return orig(cid, lang, customer, subject, text.format(first=customer[0].split()[0]), **kw)


def build():
    # ================================ Brazil ================================================
    L = "pt-br"
    cid = "pt/pt-br-gmail-simple"
    me = ("Juliana Almeida", "juliana.almeida@gmail.com")
    m = o(cid, L, BR_TRIAL, me)
    body = gmail(L, "Oi Rafael, tudo bem?\n\nPode ser quarta-feira às 15h? Vou chamar também a nossa recepcionista.\n\nObrigada,\nJuliana", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "pt/pt-br-gmail-signature-dashes"
    me = ("Ricardo Oliveira", "ricardo@oliveiraodontologia.com.br")
    m = o(cid, L, BR_PROPOSAL, me)
    body = gmail(L, "Rafael, boa tarde.\n\nA proposta ficou boa, mas precisamos que o pagamento seja por Pix em vez de boleto. Consegue ajustar?\n\nAbs,\nRicardo", m,
                 sig="Dr. Ricardo Oliveira\nOliveira Odontologia\nAv. Paulista, 1000 – cj. 52 – São Paulo/SP\n(11) 3000-0000 | (11) 99999-0000", seed=cid)
    reply(cid, L, body, me, m, tags=["sig-delimiter"])

    cid = "pt/pt-br-gmail-wrapped-attribution"
    me = ("Fernanda Lima", "fernanda.lima@clinicavida.com.br")
    m = o(cid, L, BR_SUPPORT, me, sender=("Equipe de Sucesso do Cliente Kalendo Brasil", "sucesso.cliente.brasil@example.com"))
    body = gmail(L, "Bom dia!\n\nSim, os pacientes voltaram a receber os lembretes desde ontem. Obrigada pelo retorno rápido.\n\nFernanda", m, seed=cid)
    reply(cid, L, body, me, m, tags=["wrapped-attribution"])

    cid = "pt/pt-br-gmail-forward"
    me = ("Eduardo Ribeiro", "eduardo@ribeiroadvogados.com.br")
    m = o(cid, L, BR_PROPOSAL, me)
    body = gmail_forward(
        L,
        "Rafael, veja abaixo a dúvida do nosso financeiro.\n\nAbraço,\nEduardo",
        ["De: Sônia Barros <financeiro@ribeiroadvogados.com.br>", "Date: seg., 3 de mar. de 2025 às 16:40",
         "Subject: Nota fiscal Kalendo", "To: Eduardo Ribeiro <eduardo@ribeiroadvogados.com.br>"],
        "Eduardo, a Kalendo emite nota fiscal de serviço? Precisamos do CNPJ deles para cadastrar o fornecedor.\n\nSônia",
        seed=cid,
    )
    reply(cid, L, body, me, m, subject="Fwd: Nota fiscal Kalendo", in_reply_to=[], references=[], tags=["forward"])

    cid = "pt/pt-br-gmail-attachment"
    me = ("Aline Moreira", "aline.moreira@gmail.com")
    m = o(cid, L, BR_PROPOSAL, me)
    body = gmail(L, "Rafael,\n\nSegue em anexo o contrato assinado e o comprovante do primeiro pagamento.\n\nAtt,\nAline Moreira", m, seed=cid)
    reply(cid, L, body, me, m, attachments=[
        Binary("application/pdf", tiny_pdf("Contrato"), filename="Contrato Kalendo - assinado.pdf"),
        Binary("application/pdf", tiny_pdf("Comprovante"), filename="comprovante-pagamento.pdf"),
    ])

    cid = "pt/pt-br-outlook-header-block"
    me = ("Marcelo Costa", "marcelo.costa@construtoracosta.com.br")
    m = o(cid, L, BR_PROPOSAL, me)
    body = outlook(
        L,
        "Prezado Rafael,\n\nRecebemos a proposta e vamos analisá-la na reunião de diretoria da próxima segunda-feira. Retorno em seguida.\n\nAtenciosamente,\nMarcelo Costa",
        m,
        sig="Gerente Administrativo\nConstrutora Costa Ltda.\nRua XV de Novembro, 500 – Curitiba/PR\nTel.: (41) 3000-0000\n\nEsta mensagem pode conter informação confidencial ou privilegiada, sendo seu sigilo protegido por lei. Se você não for o destinatário ou a pessoa autorizada a receber esta mensagem, não pode usar, copiar ou divulgar as informações nela contidas.",
        seed=cid,
        body_lang="PT-BR",
    )
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block", "disclaimer"])

    cid = "pt/pt-br-outlook-mobile-android"
    me = ("Thiago Martins", "thiago.martins@outlook.com.br")
    m = o(cid, L, BR_SUPPORT, me)
    body = owa(L, "Ainda não está funcionando aqui, os lembretes de hoje não saíram.", m, mobile="outlook-android", seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], tags=["mobile-footer", "underscore-rule"])

    cid = "pt/pt-br-iphone"
    me = ("Camila Rocha", "camila.rocha@icloud.com")
    m = o(cid, L, BR_TRIAL, me)
    body = apple(L, "Pode ser amanhã às 10h? Me liga no celular.", m, device="iphone", bom=True, seed=cid)
    reply(cid, L, body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "pt/pt-br-samsung"
    me = ("Bruno Ferreira", "bruno.ferreira.fisio@gmail.com")
    m = o(cid, L, BR_TRIAL, me)
    body = samsung(L, "Pode me ligar depois das 18h", m, seed=cid)
    reply(cid, L, body, me, m, tags=["mobile-footer", "header-block"])

    cid = "pt/pt-br-thunderbird-inline"
    me = ("Patrícia Gomes", "patricia@gomesestetica.com.br")
    m = o(cid, L, BR_PROPOSAL, me)
    q = m.text.split("\n")
    ql = lambda lines: "\n".join(("> " + l) if l else ">" for l in lines)  # noqa: E731
    inline = (
        ql(q[3:4]) + "\n\nPrecisamos de 12, temos duas unidades.\n\n"
        + ql(q[4:5]) + "\n\nO treinamento pode ser presencial em Campinas?\n\n"
        + ql(q[5:6]) + "\n\nOk, boleto está ótimo."
    )
    raw = ("Em 03/03/2025 10:12, Rafael Souza escreveu:\n" + ql(q[:3]) + "\n" + inline + "\n\nObrigada,\nPatrícia\n\n" + ql(q[6:]) + "\n")
    body = plain(flow(raw), "thunderbird", ql(q[:3]) + "\n" + inline + "\n\nObrigada,\nPatrícia", True, False, cte="8bit", flowed=True,
                 quote_charset=False, headers=[("User-Agent", "Mozilla Thunderbird")], msgid=tb_msgid(cid, "gomesestetica.com.br"))
    reply(cid, L, body, me, m, tags=["inline"])

    cid = "pt/pt-br-roundcube-html-only"
    me = ("Luiz Carvalho", "luiz.carvalho@carvalhovet.com.br")
    m = o(cid, L, BR_SUPPORT, me)
    body = roundcube("Em 2025-03-03 10:12, Equipe de Suporte Kalendo escreveu:",
                     ["Boa tarde,", "Confirmo que os lembretes voltaram a funcionar. Obrigado pela atenção de vocês.", "Luiz"],
                     m, seed=cid)
    reply(cid, L, body, me, m)

    # ================================ Portugal ================================================
    L = "pt-pt"
    cid = "pt/pt-pt-gmail"
    me = ("Tiago Silva", "tiago.silva@gmail.com")
    m = o(cid, L, PT_TRIAL, me)
    body = gmail(L, "Bom dia Inês,\n\nPode ser na quarta-feira às 15h? Envie-me o convite para este endereço, por favor.\n\nObrigado,\nTiago", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "pt/pt-pt-gmail-x-original-to"
    me = ("Pedro Marques", "pedro.marques@gmail.com")
    m = o(cid, L, PT_INVOICE, me)
    body = gmail(L, "Olá Inês, pagamento confirmado do nosso lado. Obrigado.", m, seed=cid)
    reply(cid, L, body, me, m, x_original_to=[raddr(m.token)], expect_source="x_original_to")

    cid = "pt/pt-pt-outlook-header-block"
    me = ("Sofia Pereira", "sofia.pereira@farmaciacentral.pt")
    m = o(cid, L, PT_INVOICE, me)
    body = outlook(
        L,
        "Boa tarde,\n\nA fatura vem com o NIF errado. O NIF correto da Farmácia Central é 500 000 000. Podem emitir uma nota de crédito e uma nova fatura?\n\nCom os melhores cumprimentos,\nSofia Pereira",
        m,
        sig="Diretora Técnica\nFarmácia Central, Lda.\nRua de Santa Catarina, 100 – 4000-000 Porto\nTel.: 220 000 000",
        seed=cid,
        body_lang="PT",
    )
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"])

    cid = "pt/pt-pt-outlook-mensagem-original"
    me = ("João Santos", "joao.santos@santosconstrucoes.pt")
    m = o(cid, L, PT_TRIAL, me)
    body = outlook(L, "Olá Inês,\n\nNão vamos avançar de momento. Agradeço a disponibilidade.\n\nCumprimentos,\nJoão Santos", m,
                   sig="Santos & Filhos Construções, Lda.\nTlm.: 912 000 000", sep="original", plain_mode=True, charset="iso-8859-1", seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, subject_charset="iso-8859-1", subject_style="Q",
          name_charset="iso-8859-1", name_enc="Q", tags=["header-block", "original-message"])

    cid = "pt/pt-pt-owa-disclaimer"
    me = ("Catarina Lopes", "catarina.lopes@lopesadvogados.pt")
    m = o(cid, L, PT_INVOICE, me)
    body = owa(L, "Cara Inês,\n\nAgradeço o envio. Confirmo a receção da fatura, que seguirá para pagamento na próxima semana.\n\nCom os melhores cumprimentos,\nCatarina Lopes", m,
               sig="Lopes & Associados – Sociedade de Advogados, SP, RL\nAv. da Liberdade, 200 – 1250-000 Lisboa\n\nEsta mensagem é confidencial e destina-se exclusivamente ao destinatário indicado. Se a recebeu por engano, por favor informe o remetente e elimine-a.",
               seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block", "underscore-rule", "disclaimer"])

    cid = "pt/pt-pt-iphone"
    me = ("Rita Fernandes", "rita.fernandes@icloud.com")
    m = o(cid, L, PT_TRIAL, me)
    body = apple(L, "Sim, quinta às 11h dá-me jeito. Obrigada!", m, device="iphone", seed=cid)
    reply(cid, L, body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "pt/pt-pt-apple-mail"
    me = ("Miguel Rodrigues", "miguel@rodrigues-design.pt")
    m = o(cid, L, PT_INVOICE, me)
    body = apple(L, "Olá Inês,\n\nO IBAN mudou este mês. Envio-lhe os novos dados amanhã de manhã.\n\nAbraço,\nMiguel", m, seed=cid)
    reply(cid, L, body, me, m, subject_style="Q")

    cid = "pt/pt-pt-thunderbird-bottom-post"
    me = ("Ana Sousa", "ana.sousa@sapo.pt")
    m = o(cid, L, PT_TRIAL, me)
    body = thunderbird(L, "Boa tarde,\n\nGostaria de continuar com o plano Equipa, mas apenas com três utilizadores. É possível?\n\nAna Sousa", m,
                       sig="Ana Sousa\nClínica Veterinária do Lumiar", seed=cid, domain="sapo.pt")
    reply(cid, L, body, me, m, tags=["bottom-post", "sig-delimiter"])
