//! Portuguese.

use super::{Cat, Lexicon};

#[rustfmt::skip]
pub(super) const LEXICON: Lexicon = Lexicon {
    lang: "pt",
    stopwords: &[
        "o", "os", "as", "e", "que", "de", "para", "com", "por", "uma", "um", "é", "não",
        "nosso", "nossa", "nós", "estamos", "obrigado", "obrigada", "olá", "mas", "muito", "do",
        "da", "vocês", "você",
    ],
    terms: &[
        (Cat::Buy, &[
            "muito interessado", "muito interessada", "muito interessados", "bastante interessados",
            "prontos para assinar", "pronto para assinar", "queremos contratar", "quero contratar",
            "queremos comprar", "quero comprar", "fazer o upgrade", "fazer upgrade",
            "mudar para o plano",
            "passar para o plano", "enviem o contrato", "envie o contrato", "ordem de compra",
            "pedido de compra", "vamos em frente", "seguir em frente", "mais licenças",
            "licenças adicionais", "adicionar usuários", "adicionar utilizadores",
            "plano empresarial", "toda a empresa", "como procedemos", "fechar negócio", "contratar",
        ]),
        (Cat::Interest, &[
            "interessado", "interessada", "interessados", "interessa", "interessante",
            "temos interesse", "tenho interesse", "saber mais", "mais informações", "mais detalhes",
            "teste grátis", "teste gratuito", "período de teste", "testar", "experimentar",
            "uma cotação", "um orçamento", "uma proposta", "avaliando", "avaliar", "considerando",
            "é possível", "vocês oferecem", "vocês têm",
        ]),
        (Cat::Pricing, &[
            "preço", "preços", "valor", "valores", "tarifa", "custo", "quanto custa", "quanto",
            "plano", "planos", "desconto", "orçamento", "por usuário", "por licença", "plano anual",
        ]),
        (Cat::Demo, &[
            "demo", "demonstração", "uma chamada", "ligação", "reunião", "videochamada", "agendar",
            "apresentação",
        ]),
        (Cat::Expansion, &[
            "outras equipes", "outras equipas", "outros departamentos", "toda a equipe",
            "toda a empresa", "mais usuários", "mais utilizadores", "novas lojas", "todas as lojas",
            "expandir", "ampliar", "crescer", "próximo ano",
        ]),
        (Cat::Mention, &[
            "seu produto", "o produto", "sua ferramenta", "a ferramenta", "a plataforma",
            "o aplicativo", "a aplicação", "o app", "o painel", "funcionalidade", "funcionalidades",
            "recurso", "recursos", "nova funcionalidade", "a atualização", "a integração", "a api",
            "os modelos", "os relatórios", "seu serviço", "funciona bem",
        ]),
        (Cat::Usage, &[
            "usamos", "utilizamos", "estamos usando", "estamos a usar", "uso", "enviamos",
            "trabalhamos com",
        ]),
        (Cat::Feature, &[
            "seria bom", "seria ótimo", "poderiam adicionar", "podem adicionar", "falta uma",
            "sentimos falta", "roadmap",
        ]),
        (Cat::Decline, &[
            "não temos interesse", "não estamos interessados", "não tenho interesse",
            "não me interessa", "não nos interessa", "não é para nós", "não é o momento",
            "agora não", "por enquanto não", "não obrigado", "não, obrigado", "já temos",
            "já utilizamos outra", "não precisamos", "sem orçamento", "mais para frente",
            "escolhemos",
        ]),
        (Cat::Unsubscribe, &[
            "descadastrar", "descadastre", "remover da lista", "removam meu", "remova meu",
            "parem de enviar", "não quero receber", "cancelar a inscrição", "sair da lista",
        ]),
        (Cat::Thanks, &["obrigado", "obrigada", "muito obrigado"]),
        (Cat::Positive, &[
            "ótimo", "ótima", "excelente", "perfeito",
            "maravilhoso", "adorei", "adoramos", "gostei", "gostamos", "satisfeito", "satisfeitos",
            "contente", "contentes", "feliz", "felizes", "funciona bem", "muito bom", "muito bem",
            "útil", "parabéns", "incrível", "show",
        ]),
        (Cat::Negative, &[
            "decepcionado", "decepcionada", "decepcionados", "decepção", "insatisfeito",
            "insatisfeitos", "não estamos satisfeitos", "ruim", "péssimo", "caro demais",
            "muito caro", "infelizmente", "preocupado", "preocupados", "reclamação", "confuso",
            "parem de enviar",
        ]),
        (Cat::Frustrated, &[
            "de novo", "outra vez", "novamente", "ainda não", "continua sem", "continuamos sem",
            "terceira vez", "segunda vez", "várias vezes", "inaceitável", "ridículo", "cansado de",
            "cansados de", "farto", "fartos", "frustrado", "frustrada", "frustrante", "ninguém",
            "sem resposta", "nenhuma resposta", "perda de tempo", "há semanas", "há dias",
            "absurdo",
            "descaso",
        ]),
        (Cat::Urgent, &[
            "urgente", "urgência", "o quanto antes", "o mais rápido possível", "imediatamente",
            "agora mesmo", "ainda hoje", "até amanhã", "esta noite", "bloqueado",
            "bloqueados", "parado", "parados", "fora do ar", "crítico", "prazo", "parada",
        ]),
        (Cat::Problem, &[
            "erro", "erros", "falha", "falhas", "não funciona", "parou de funcionar", "quebrado",
            "travando", "trava", "problema", "problemas", "não consigo", "não conseguimos",
            "impossível", "não carrega", "incorreto", "incorreta", "cobrado duas vezes",
            "cobrança duplicada", "não recebemos", "não recebi", "não chegou", "perdido", "lento",
            "atraso", "atrasado", "atrasada", "spam", "danificado", "defeito", "precisa tratamento",
            "fora do ar", "está parada", "está parado", "errado", "errada", "valor errado",
            "não consigo acessar",
        ]),
        (Cat::Churn, &[
            "cancelar", "cancelamento", "encerrar a conta", "encerrar minha conta",
            "fechar a conta",
            "reembolso", "estorno", "devolução", "trocar de fornecedor", "não renovar",
            "não vamos renovar",
        ]),
        (Cat::Billing, &[
            "fatura", "faturas", "faturamento", "nota fiscal", "cobrança", "cobrado", "pagamento",
            "pago", "cartão", "boleto", "assinatura",
        ]),
        (Cat::Request, &[
            "podem", "poderiam", "pode", "poderia", "por favor", "gostaria", "gostaríamos",
            "preciso", "precisamos", "me enviem", "enviem", "me avisem", "me liguem",
            "entrem em contato", "é possível",
        ]),
        (Cat::Away, &[
            "fora do escritório", "de férias", "resposta automática", "retorno no dia",
        ]),
        (Cat::Calm, &[
            "não é urgente", "nada urgente", "sem pressa", "nenhum problema", "sem problema",
            "sem problemas", "quando puderem",
        ]),
    ],
};
