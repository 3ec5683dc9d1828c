//! Spanish.

use super::{Cat, Lexicon};

#[rustfmt::skip]
pub(super) const LEXICON: Lexicon = Lexicon {
    lang: "es",
    stopwords: &[
        "el", "la", "los", "las", "y", "que", "de", "para", "con", "por", "una", "un", "es",
        "nuestro", "nuestra", "nosotros", "estamos", "gracias", "hola", "pero", "muy", "del",
        "su", "sus",
    ],
    terms: &[
        (Cat::Buy, &[
            "muy interesado", "muy interesada", "muy interesados", "muy interesadas",
            "listos para firmar", "listo para firmar", "queremos contratar", "quiero contratar",
            "queremos comprar", "quiero comprar", "queremos pasar", "pasar al plan",
            "mejorar el plan",
            "ampliar el plan", "enviad el contrato", "envíen el contrato", "envíenos el contrato",
            "envíeme el contrato", "orden de compra", "adelante con", "seguimos adelante",
            "más licencias", "licencias adicionales", "añadir usuarios",
            "plan empresa", "toda la empresa", "cómo procedemos", "cómo seguimos", "contratar",
        ]),
        (Cat::Interest, &[
            "interesado", "interesada", "interesados", "interesa", "interesante", "nos interesa",
            "me interesa", "saber más", "más información", "más detalles", "prueba gratuita",
            "periodo de prueba", "probar", "una cotización", "un presupuesto", "una propuesta",
            "estamos evaluando", "evaluar", "considerando", "es posible", "ofrecen", "tienen",
        ]),
        (Cat::Pricing, &[
            "precio", "precios", "tarifa", "tarifas", "coste", "costo", "cuánto", "cuanto cuesta",
            "plan", "planes", "descuento", "presupuesto", "por usuario", "por licencia",
            "plan anual",
        ]),
        (Cat::Demo, &[
            "demo", "demostración", "una llamada", "llamada", "reunión", "videollamada",
            "agendar", "presentación",
        ]),
        (Cat::Expansion, &[
            "otros equipos", "otros departamentos", "todo el equipo", "toda la empresa",
            "más usuarios", "nuevas sedes", "todas nuestras tiendas", "ampliar", "crecer",
            "el próximo año", "el año que viene",
        ]),
        (Cat::Mention, &[
            "su producto", "vuestro producto", "su herramienta", "la herramienta", "la plataforma",
            "la aplicación", "la app", "el panel", "funcionalidad", "funcionalidades", "función",
            "nueva función", "la actualización", "la integración", "la api", "las plantillas",
            "los informes", "su servicio", "su software", "funciona bien",
        ]),
        (Cat::Usage, &[
            "usamos", "utilizamos", "estamos usando", "estamos utilizando", "uso", "enviamos",
            "trabajamos con",
        ]),
        (Cat::Feature, &[
            "estaría bien", "sería genial", "podrían añadir", "pueden añadir", "falta una",
            "echamos en falta", "hoja de ruta", "roadmap",
        ]),
        (Cat::Decline, &[
            "no estamos interesados", "no estoy interesado", "no me interesa", "no nos interesa",
            "no es para nosotros", "no es el momento", "ahora no", "por ahora no", "no gracias",
            "ya tenemos", "ya contamos con", "no necesitamos", "sin presupuesto",
            "no tenemos presupuesto", "más adelante", "hemos elegido",
        ]),
        (Cat::Unsubscribe, &[
            "darme de baja", "darnos de baja", "dar de baja", "baja de la lista", "no me escriban",
            "dejen de enviar", "dejen de escribir", "eliminen mi correo", "no quiero recibir",
        ]),
        (Cat::Thanks, &["gracias", "muchas gracias"]),
        (Cat::Positive, &[
            "genial", "excelente", "perfecto", "estupendo",
            "fantástico", "encantado", "encantada", "encantados", "contento", "contenta",
            "contentos", "satisfecho", "satisfechos", "me encanta", "nos encanta", "funciona bien",
            "muy bien", "útil", "buen trabajo", "maravilla",
        ]),
        (Cat::Negative, &[
            "decepcionado", "decepcionada", "decepcionados", "decepción", "descontento",
            "insatisfecho", "no estamos contentos", "malo", "mala", "demasiado caro",
            "lamentablemente", "desafortunadamente", "preocupado", "preocupados", "reclamación",
            "queja", "confuso", "dejen de enviar", "dejen de escribir",
        ]),
        (Cat::Frustrated, &[
            "otra vez", "de nuevo", "todavía no", "sigue sin", "siguen sin", "seguimos sin",
            "tercera vez", "segunda vez", "varias veces", "inaceptable", "ridículo", "harto",
            "hartos", "cansado de", "frustrado", "frustrada", "frustrante", "nadie",
            "sin respuesta",
            "ninguna respuesta", "pérdida de tiempo", "desde hace semanas", "desde hace días",
            "vergüenza",
        ]),
        (Cat::Urgent, &[
            "urgente", "urgencia", "cuanto antes", "lo antes posible", "inmediatamente",
            "de inmediato", "ya mismo", "hoy mismo", "antes de mañana", "esta noche",
            "bloqueado", "bloqueados", "bloqueada", "caído", "crítico", "fecha límite", "plazo",
        ]),
        (Cat::Problem, &[
            "error", "errores", "fallo", "fallos", "falla", "no funciona", "dejó de funcionar",
            "ha dejado de funcionar", "roto", "se cuelga", "problema", "problemas", "incidencia",
            "no puedo", "no podemos", "imposible", "no carga", "incorrecto", "incorrecta",
            "cobrado dos veces", "cobro doble", "no hemos recibido", "no he recibido", "no llegó",
            "no ha llegado", "perdido", "lento", "retraso", "retrasado", "spam", "dañado",
            "defectuoso", "falta", "no puedo descargar", "no ha llegado",
        ]),
        (Cat::Churn, &[
            "cancelar", "cancelación", "dar de baja la cuenta", "cerrar la cuenta",
            "cerrar mi cuenta",
            "reembolso", "devolución", "cambiar de proveedor", "no renovar", "no renovaremos",
            "rescindir",
        ]),
        (Cat::Billing, &[
            "factura", "facturas", "facturación", "cobro", "cobrado", "pago", "pagado",
            "tarjeta", "iva", "suscripción",
        ]),
        (Cat::Request, &[
            "pueden", "podrían", "podrías", "puede", "podría", "por favor", "me gustaría",
            "nos gustaría", "quisiera", "quisiéramos", "necesito", "necesitamos", "envíenme",
            "envíenos", "mándenme", "avísenme", "llámenme", "contáctenme", "es posible",
        ]),
        (Cat::Away, &[
            "fuera de la oficina", "de vacaciones", "respuesta automática", "volveré el",
        ]),
        (Cat::Calm, &[
            "no es urgente", "nada urgente", "sin prisa", "ningún problema", "sin problema",
            "no hay problema", "no pasa nada", "cuando puedan",
        ]),
    ],
};
