//! French.

use super::{Cat, Lexicon};

#[rustfmt::skip]
pub(super) const LEXICON: Lexicon = Lexicon {
    lang: "fr",
    stopwords: &[
        "le", "la", "les", "et", "nous", "vous", "est", "pour", "des", "une", "un", "avec", "pas",
        "merci", "bonjour", "notre", "nos", "votre", "vos", "je", "sur", "dans", "mais", "qui",
    ],
    terms: &[
        (Cat::Buy, &[
            "très intéressé", "très intéressée", "très intéressés", "vraiment intéressé",
            "prêts à signer", "prêt à signer", "prêts à passer", "prêt à passer", "passer commande",
            "passer à l'offre", "passer au plan", "passer à la version", "souhaitons passer",
            "souhaite passer", "on signe", "envoyez le contrat", "envoyez-nous le contrat",
            "envoyer le contrat", "bon de commande", "on y va", "nous validons", "je valide",
            "ajouter des licences", "licences supplémentaires", "plus de licences",
            "ajouter des utilisateurs",
            "toute l'entreprise", "toute la société", "offre entreprise",
            "comment procéder", "souhaitons souscrire", "souscrire",
        ]),
        (Cat::Interest, &[
            "intéressé", "intéressée", "intéressés", "intéresse", "intéressant", "curieux",
            "en savoir plus", "plus d'informations", "plus d'infos", "plus de détails",
            "essai gratuit", "période d'essai", "essayer", "tester", "un devis", "une proposition",
            "envisageons", "envisager", "nous réfléchissons", "est-il possible", "est ce possible",
            "proposez-vous", "proposez vous", "gérez-vous", "ça m'intéresse",
        ]),
        (Cat::Pricing, &[
            "prix", "tarif", "tarifs", "tarification", "coût", "combien", "offre", "offres",
            "formule", "remise", "réduction", "budget", "par utilisateur", "par licence",
            "abonnement annuel",
        ]),
        (Cat::Demo, &[
            "démo", "démonstration", "un appel", "un rendez-vous", "rendez vous", "réunion",
            "un créneau", "visio", "présentation", "échanger par téléphone",
        ]),
        (Cat::Expansion, &[
            "autres équipes", "autres services", "toute l'équipe", "toute l'entreprise",
            "plus d'utilisateurs", "nouveaux utilisateurs", "nos filiales", "tous nos magasins",
            "déployer", "étendre", "croissance", "l'année prochaine",
        ]),
        (Cat::Mention, &[
            "votre produit", "votre outil", "votre plateforme", "votre application",
            "l'application",
            "l'outil", "la plateforme", "le tableau de bord", "fonctionnalité", "fonctionnalités",
            "nouvelle fonctionnalité", "votre newsletter", "la mise à jour", "l'intégration",
            "l'api", "les modèles", "les rapports", "votre logiciel", "votre service",
            "fonctionne bien", "tout fonctionne",
        ]),
        (Cat::Usage, &[
            "nous utilisons", "on utilise", "j'utilise", "nous envoyons", "on envoie",
            "nous nous servons", "utilisons actuellement",
        ]),
        (Cat::Feature, &[
            "il manque", "serait bien", "serait top", "pourriez-vous ajouter",
            "pouvez-vous ajouter",
            "ajouter une option", "feuille de route", "roadmap", "prévu d'ajouter",
        ]),
        (Cat::Decline, &[
            "pas intéressé", "pas intéressée", "pas intéressés", "ne sommes pas intéressés",
            "ne suis pas intéressé", "pas pour nous", "pas le moment", "pas pour le moment",
            "pas maintenant", "non merci", "déjà une solution", "déjà un prestataire",
            "déjà équipés", "pas besoin", "pas de budget", "avons choisi", "plus tard",
            "ne donnerons pas suite", "pas de suite",
        ]),
        (Cat::Unsubscribe, &[
            "désinscrire", "désabonner", "désinscription", "désabonnement", "retirez-moi",
            "retirez moi", "ne plus recevoir", "arrêtez de m'envoyer", "supprimez mon adresse",
            "ne me contactez plus", "me retirer", "me désinscrire", "retirer de votre liste",
        ]),
        (Cat::Thanks, &["merci", "merci beaucoup"]),
        (Cat::Positive, &[
            "super", "génial", "excellent", "parfait", "top",
            "ravi", "ravie", "ravis", "content", "contente", "contents", "satisfait", "satisfaits",
            "bravo", "j'adore", "on adore", "fonctionne bien", "très bien", "formidable",
            "pratique",
            "utile", "impeccable", "enchanté",
        ]),
        (Cat::Negative, &[
            "déçu", "déçue", "déçus", "décevant", "mécontent", "mécontente", "pas satisfait",
            "pas content", "mauvais", "trop cher", "malheureusement", "dommage", "inquiet",
            "inquiets", "inquiète", "réclamation", "compliqué", "pas clair", "arrêtez de m'envoyer",
        ]),
        (Cat::Frustrated, &[
            "encore", "toujours pas", "toujours rien", "troisième fois", "deuxième fois",
            "plusieurs fois", "inadmissible", "inacceptable", "ridicule", "ras le bol", "marre",
            "agacé", "agacée", "énervé", "exaspéré", "frustré", "frustrée", "frustrant",
            "personne ne", "aucune réponse", "sans réponse", "perte de temps",
            "depuis des semaines",
            "depuis des jours", "c'est la", "scandaleux",
        ]),
        (Cat::Urgent, &[
            "urgent", "urgente", "urgence", "au plus vite", "au plus tôt", "dès que possible",
            "immédiatement", "tout de suite", "dès aujourd'hui", "avant demain", "ce soir",
            "d'ici demain", "bloqué", "bloqués", "bloquant", "bloquante", "en panne", "critique",
            "date limite", "échéance", "sans délai",
        ]),
        (Cat::Problem, &[
            "bug", "bogue", "erreur", "erreurs", "ne fonctionne pas", "ne fonctionne plus",
            "ne marche pas", "ne marche plus", "marche pas", "plantage", "plante", "problème",
            "problèmes", "souci", "soucis", "impossible de", "n'arrive pas", "n'arrivons pas",
            "échoue", "échec", "manquant", "manque", "incorrect", "incorrecte", "erroné",
            "prélevé deux fois", "facturé deux fois", "jamais reçu", "pas reçu",
            "toujours pas reçu",
            "n'avons pas reçu", "perdu", "lent", "en retard", "retard", "spam", "endommagé",
            "cassé", "défectueux", "panne", "pas arrivé", "pas arrivée", "pas encore arrivé",
            "toujours pas arrivé", "toujours pas arrivée", "me connecter",
        ]),
        (Cat::Churn, &[
            "résilier", "résiliation", "annuler", "annulation", "mettre fin", "fermer mon compte",
            "clôturer", "supprimer mon compte", "remboursement", "rembourser",
            "changer de prestataire",
            "passer chez", "ne pas renouveler", "ne renouvellerons pas",
        ]),
        (Cat::Billing, &[
            "facture", "factures", "facturation", "facturé", "prélèvement", "prélevé", "paiement",
            "payé", "carte bancaire", "tva", "abonnement", "avoir",
        ]),
        (Cat::Request, &[
            "pouvez-vous", "pouvez vous", "pourriez-vous", "pourriez vous", "merci de",
            "je voudrais", "nous voudrions", "j'aimerais", "nous aimerions", "auriez-vous",
            "serait-il possible", "est-il possible", "envoyez-moi", "envoyez-nous",
            "tenez-moi au courant", "rappelez-moi", "contactez-moi", "besoin de", "svp",
            "s'il vous plaît", "s'il vous plait",
        ]),
        (Cat::Away, &[
            "absent du bureau", "absente du bureau", "en congés", "en congé", "réponse automatique",
            "de retour le", "accès limité",
        ]),
        (Cat::Calm, &[
            "pas urgent", "rien d'urgent", "pas de souci", "pas de soucis", "aucun souci",
            "aucun problème", "pas de problème", "sans problème", "pas pressé", "pas mal",
            "merci encore", "encore merci", "pas encore", "encore une fois merci",
            "quand vous aurez le temps",
        ]),
    ],
};
