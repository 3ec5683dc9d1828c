"""Spanish replies (Spain and Latin America)."""

from case import raddr
from clients import apple, flow, gmail, gmail_forward, outlook, owa, plain, roundcube, samsung, tb_msgid, thunderbird, yahoo
from common import OUTLOOK_RE, orig, reply
from mime import Binary, tiny_pdf

DEMO = (
    "Seguimiento de la demo de Kalendo",
    """Hola {first}:

Gracias por tu tiempo en la demo del martes. Te dejo el enlace a la grabación y la guía de inicio rápido.

¿Has podido comentarlo con tu equipo?

Un saludo,
Javier Ortega
Kalendo""",
)

QUOTE = (
    "Propuesta Kalendo Pro para 8 usuarios",
    """Hola {first}:

Tal como hablamos, te resumo la propuesta:
- 8 licencias Kalendo Pro a 9 € por usuario y mes
- formación inicial incluida
- compromiso anual con facturación trimestral

Quedo a tu disposición para cualquier duda.

Javier""",
)

TRIAL = (
    "Tu prueba de Kalendo termina el jueves",
    """Hola {first}:

Tu periodo de prueba de Kalendo termina este jueves. ¿Te vendría bien una llamada de 15 minutos para ver qué plan encaja mejor con tu clínica?

Saludos,
Javier""",
)

INVOICE = (
    "Factura de febrero – Kalendo",
    """Hola {first}:

Te adjunto la factura correspondiente al mes de febrero. El cargo se realizará el día 10 en la tarjeta que tenéis registrada.

Un saludo,
Javier Ortega""",
)


def o(cid, tpl, customer, **kw):
    subject, text = tpl
    return orig(cid, "es", customer, subject, text.format(first=customer[0].split()[0]), **kw)


def build():
    cid = "es/es-gmail-simple"
    me = ("Lucía Fernández", "lucia.fernandez@gmail.com")
    m = o(cid, TRIAL, me)
    body = gmail("es", "Hola Javier,\n\nSí, me viene bien el miércoles a las 17:00. ¿Me mandas una invitación?\n\nGracias,\nLucía", m, seed=cid)
    reply(cid, "es", body, me, m)

    cid = "es/es-gmail-signature-dashes"
    me = ("Carlos Ruiz", "carlos.ruiz@transportesruiz.es")
    m = o(cid, QUOTE, me)
    body = gmail(
        "es",
        "Hola Javier:\n\nGracias por la propuesta. Lo hemos hablado con dirección y preferimos empezar con 5 licencias y ampliar en septiembre. ¿Se mantiene el precio?\n\nUn saludo,\nCarlos",
        m,
        sig="Carlos Ruiz Gómez\nDirector de Operaciones\nTransportes Ruiz S.L.\nPolígono Industrial Las Salinas, nave 14 – 28500 Arganda del Rey (Madrid)\nTel. 918 00 00 00",
        seed=cid,
    )
    reply(cid, "es", body, me, m, tags=["sig-delimiter"])

    cid = "es/es-gmail-wrapped-attribution"
    me = ("Marta Sánchez", "marta.sanchez@clinicadentalsol.es")
    m = o(cid, INVOICE, me, sender=("Equipo de Atención al Cliente de Kalendo España", "atencion.cliente.espana@example.com"))
    body = gmail("es", "Hola,\n\nLa tarjeta registrada caducó en enero. ¿Podéis enviarme un enlace para actualizarla antes del día 10?\n\nGracias,\nMarta Sánchez", m, seed=cid)
    reply(cid, "es", body, me, m, tags=["wrapped-attribution"])

    cid = "es/es-gmail-delivered-to"
    me = ("Francisco Romero", "francisco.romero@gmail.com")
    m = o(cid, DEMO, me)
    body = gmail("es", "Hola Javier, perfecto, nos vemos el jueves a las 12 en vuestra oficina de Madrid.", m, seed=cid)
    reply(cid, "es", body, me, m, delivered_to=[raddr(m.token)], expect_source="delivered_to")

    cid = "es/es-gmail-forward"
    me = ("Elena Vargas", "elena.vargas@vargasabogados.es")
    m = o(cid, DEMO, me)
    body = gmail_forward(
        "es",
        "Javier, te reenvío el correo de nuestro informático con las dudas sobre la integración.\n\nSaludos,\nElena",
        ["De: Iván Prieto <ivan@prietoit.es>", "Date: lun, 3 mar 2025 a las 17:05", "Subject: Kalendo y Outlook",
         "To: Elena Vargas <elena.vargas@vargasabogados.es>"],
        "Elena, ¿Kalendo se sincroniza con calendarios compartidos de Exchange local o solo con Microsoft 365?\n\nIván",
        seed=cid,
    )
    reply(cid, "es", body, me, m, subject="Fwd: Kalendo y Outlook", in_reply_to=[], references=[], tags=["forward"])

    cid = "es/es-gmail-mx-attachment"
    me = ("Alejandra Reyes", "alejandra.reyes@hotmail.com")
    m = o(cid, INVOICE, me)
    body = gmail("es", "Hola Javier, buenas tardes.\n\nLe comparto el comprobante de pago de la factura de febrero.\n\nSaludos cordiales,\nAlejandra Reyes", m,
                 sig="Consultorio Dental Reyes\nTel. 55 1234 5678\nCiudad de México", sig_delim=False, seed=cid)
    reply(cid, "es", body, me, m, attachments=[Binary("application/pdf", tiny_pdf("Comprobante"), filename="Comprobante de pago.pdf")],
          tags=["es-mx"])

    # --- Outlook ---------------------------------------------------------------------------------
    cid = "es/es-outlook-header-block"
    me = ("Álvaro Morales", "amorales@grupomorales.com")
    m = o(cid, QUOTE, me)
    body = outlook(
        "es",
        "Buenos días, Javier:\n\nOs confirmamos que seguimos adelante con las 8 licencias. Necesitaríamos que la factura saliera a nombre de Grupo Morales Inversiones, S.A., con el CIF A-28000000.\n\nSaludos cordiales,\nÁlvaro Morales",
        m,
        sig="Responsable de Compras\nGrupo Morales\nC/ Alcalá, 120 – 28009 Madrid\nTel.: +34 91 000 00 00\n\nAVISO LEGAL: Este mensaje y sus archivos adjuntos van dirigidos exclusivamente a su destinatario, pudiendo contener información confidencial sometida a secreto profesional. De conformidad con el Reglamento (UE) 2016/679, le informamos de que sus datos personales serán tratados por Grupo Morales con la finalidad de gestionar la relación comercial.",
        seed=cid,
        body_lang="ES",
    )
    reply(cid, "es", body, me, m, prefix=OUTLOOK_RE["es"], crlf=True, tags=["header-block", "disclaimer"])

    cid = "es/es-outlook-mensaje-original"
    me = ("Pilar Navarro", "pnavarro@asesorianavarro.es")
    m = o(cid, INVOICE, me)
    body = outlook(
        "es",
        "Buenas tardes Javier,\n\nEn la factura aparece el IVA al 21 %, pero somos una entidad exenta. ¿Podéis emitir una factura rectificativa?\n\nGracias y un saludo,\nPilar Navarro",
        m,
        sig="Asesoría Navarro\nTel. 96 000 00 00",
        sep="original",
        plain_mode=True,
        charset="windows-1252",
        seed=cid,
    )
    reply(cid, "es", body, me, m, prefix=OUTLOOK_RE["es"], crlf=True, subject_charset="windows-1252", subject_style="Q",
          name_charset="windows-1252", name_enc="Q", tags=["header-block", "original-message"])

    cid = "es/es-owa-underscore"
    me = ("Diego Torres", "diego.torres@hotmail.es")
    m = o(cid, DEMO, me)
    body = owa("es", "Hola Javier,\n\nTodavía no, el equipo está de vacaciones hasta el lunes. Te escribo la semana que viene.\n\nDiego", m, seed=cid)
    reply(cid, "es", body, me, m, prefix=OUTLOOK_RE["es"], tags=["header-block", "underscore-rule"])

    cid = "es/es-outlook-mobile-android"
    me = ("Sergio Gil", "sergio.gil@outlook.es")
    m = o(cid, TRIAL, me)
    body = owa("es", "Mejor el viernes por la mañana", m, mobile="outlook-android", seed=cid)
    reply(cid, "es", body, me, m, prefix=OUTLOOK_RE["es"], tags=["mobile-footer", "underscore-rule"])

    # --- Apple -----------------------------------------------------------------------------------
    cid = "es/es-iphone"
    me = ("Ana Castillo", "anacastillo@icloud.com")
    m = o(cid, DEMO, me)
    body = apple("es", "Sí, les encantó. Te llamo mañana por la mañana y lo cerramos.", m, device="iphone", seed=cid)
    reply(cid, "es", body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "es/es-iphone-only-quote"
    me = ("Beatriz León", "bea.leon@icloud.com")
    m = o(cid, TRIAL, me)
    body = apple("es", "", m, device="iphone", layout="only_quote", seed=cid)
    reply(cid, "es", body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "es/es-apple-mail"
    me = ("Pablo Herrera", "pablo@herreraarquitectos.es")
    m = o(cid, QUOTE, me)
    body = apple("es", "Hola Javier:\n\n¿La formación inicial es presencial o por videollamada? Somos un estudio pequeño y nos vendría mejor presencial en Valencia.\n\nUn abrazo,\nPablo", m, seed=cid)
    reply(cid, "es", body, me, m, subject_style="Q")

    # --- Thunderbird -------------------------------------------------------------------------------
    cid = "es/es-thunderbird-top-post"
    me = ("Jordi Puig", "jpuig@escolamontserrat.cat")
    m = o(cid, TRIAL, me)
    body = thunderbird("es", "Hola Javier,\n\nNo vamos a continuar de momento. Gracias por todo y por la paciencia con nuestras dudas.\n\nJordi", m,
                       sig="Jordi Puig i Serra\nEscola Montserrat – Secretaria", layout="top", seed=cid, domain="escolamontserrat.cat")
    reply(cid, "es", body, me, m, tags=["sig-delimiter"])

    cid = "es/es-thunderbird-inline"
    me = ("Raúl Jiménez", "raul@jimenezfisio.es")
    m = o(cid, QUOTE, me)
    q = m.text.split("\n")
    ql = lambda lines: "\n".join(("> " + l) if l else ">" for l in lines)  # noqa: E731
    inline = (
        ql(q[:4]) + "\n\n¿Y si fueran 10? Estamos contratando a dos fisios más.\n\n"
        + ql(q[4:5]) + "\n\n¿Cuántas horas son?\n\n"
        + ql(q[5:6]) + "\n\nPreferimos pago mensual, ¿es posible?"
    )
    raw = "El 3/3/25 a las 10:12, Javier Ortega escribió:\n" + inline + "\n\nUn saludo,\nRaúl\n\n" + ql(q[6:]) + "\n"
    body = plain(flow(raw), "thunderbird", inline + "\n\nUn saludo,\nRaúl", True, False, cte="8bit", flowed=True,
                 quote_charset=False, headers=[("User-Agent", "Mozilla Thunderbird")], msgid=tb_msgid(cid, "jimenezfisio.es"))
    reply(cid, "es", body, me, m, tags=["inline"])

    # --- Others ------------------------------------------------------------------------------------
    cid = "es/es-yahoo"
    me = ("Rosa Delgado", "rosadelgado@yahoo.es")
    m = o(cid, INVOICE, me)
    body = yahoo("es", "Hola, ya he pagado la factura por transferencia. Os mando el justificante mañana.", m,
                 footer="Enviado desde Yahoo Mail para Android", seed=cid)
    reply(cid, "es", body, me, m, tags=["mobile-footer"])

    cid = "es/es-samsung"
    me = ("Manuel Ortiz", "manuel.ortiz.taller@gmail.com")
    m = o(cid, TRIAL, me)
    body = samsung("es", "Llámame el jueves a las 10", m, seed=cid)
    reply(cid, "es", body, me, m, tags=["mobile-footer", "header-block"])

    cid = "es/es-roundcube-html-only"
    me = ("Mercedes Blanco", "mblanco@blancogestoria.es")
    m = o(cid, INVOICE, me)
    body = roundcube(
        "El 2025-03-03 10:12, Javier Ortega escribió:",
        ["Hola Javier,", "Recibida, gracias. Una pregunta: ¿podéis cambiar la fecha de cargo al día 5 de cada mes?", "Saludos,\nMercedes"],
        m,
        sig="Mercedes Blanco\nBlanco Gestoría Administrativa\nTel. 954 00 00 00",
        seed=cid,
    )
    reply(cid, "es", body, me, m, tags=["sig-delimiter"])
