"""The review page's words, in French (default) and English (`--lang en`)."""

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "review": "relecture", "skip": "Aller au contenu", "documents": "Documents",
        "filters": "Filtres", "filter_all": "Tous", "filter_todo": "À relire",
        "filter_suspects": "Avec suspects", "file": "Fichier", "status": "Statut",
        "entities": "Remplacements", "suspects": "Suspects", "approval": "Validation",
        "reason": "Motif", "done": "traité", "refused": "refusé", "failed": "en échec",
        "missing": "absent", "approved": "validé", "to_review": "à relire",
        "approve": "Valider ce document", "approve_all": "Valider tous les documents traités",
        "reviewer": "Nom du relecteur", "sign_off": "Signer la relecture",
        "signed_by": "Relecture signée par", "original": "Original",
        "pseudonymized": "Pseudonymisé", "replace": "Remplacer", "keep": "Conserver",
        "previous": "← Précédent", "next": "Suivant →", "navigation": "Navigation",
        "detector": "détecteur", "kind_after_cue": "après un indice (M., né le, tél.)",
        "kind_digits": "suite de chiffres", "kind_capitalised": "mot à majuscule inconnu",
        "original_page": "Page originale", "pseudonymized_page": "Page pseudonymisée",
        "keys_list": "Clavier : j / k pour se déplacer, Entrée pour ouvrir.",
        "keys_doc": "Clavier : n / p suspect suivant ou précédent, a valider, "
                    "← → document précédent ou suivant.",
    },
    "en": {
        "review": "review", "skip": "Skip to content", "documents": "Documents",
        "filters": "Filters", "filter_all": "All", "filter_todo": "To review",
        "filter_suspects": "With suspects", "file": "File", "status": "Status",
        "entities": "Replacements", "suspects": "Suspects", "approval": "Approval",
        "reason": "Reason", "done": "done", "refused": "refused", "failed": "failed",
        "missing": "missing", "approved": "approved", "to_review": "to review",
        "approve": "Approve this document", "approve_all": "Approve every done document",
        "reviewer": "Reviewer's name", "sign_off": "Sign off", "signed_by": "Signed off by",
        "original": "Original", "pseudonymized": "Pseudonymized", "replace": "Replace",
        "keep": "Keep", "previous": "← Previous", "next": "Next →", "navigation": "Navigation",
        "detector": "detector", "kind_after_cue": "after a cue (Mr, born on, phone)",
        "kind_digits": "digit run", "kind_capitalised": "unknown capitalised word",
        "original_page": "Original page", "pseudonymized_page": "Pseudonymized page",
        "keys_list": "Keyboard: j / k to move, Enter to open.",
        "keys_doc": "Keyboard: n / p next or previous suspect, a approve, "
                    "← → previous or next document.",
    },
}
