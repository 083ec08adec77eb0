"""What a column holds, from its header as hospital exports write it ("Nom de naissance",
"DDN", "N° SS", "prénom", "Tél."), in French or English, case and accents ignored.

One table serves every reader of tabular data: known-identity exports (`known.py`),
spreadsheets and CSV files, tables in documents. Headers are folded (lowercase, no
accents, punctuation and underscores read as spaces) before the look-up.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from deident.entities import (
    ADDRESS,
    CITY,
    DATE,
    EMAIL,
    FR_NIR,
    HOSPITAL,
    HOSPITAL_ID,
    PERSON,
    PHONE,
    ZIP_CITY,
)
from deident.normalize import strip_accents


@dataclass(frozen=True)
class ColumnType:
    """`entity_type` of every cell; `field` is the known-identities column it feeds;
    `role` tells a surname ("last") from a first name ("first") for PERSON columns."""

    entity_type: str
    field: str
    role: str = ""


_LAST = ColumnType(PERSON, "last_names", "last")
_FIRST = ColumnType(PERSON, "first_names", "first")
_BIRTH = ColumnType(DATE, "birth_date")
_NIR = ColumnType(FR_NIR, "nir")
_ID = ColumnType(HOSPITAL_ID, "patient_id")
_OTHER_ID = ColumnType(HOSPITAL_ID, "")
_ADDRESS = ColumnType(ADDRESS, "address")
_POSTCODE = ColumnType(ZIP_CITY, "postcode")
_CITY = ColumnType(CITY, "city")
_PHONE = ColumnType(PHONE, "phones")
_EMAIL = ColumnType(EMAIL, "emails")
_PERSON = ColumnType(PERSON, "")  # a doctor, a relative: a person, not the patient's record
_DATE = ColumnType(DATE, "")
_HOSPITAL = ColumnType(HOSPITAL, "")

# Folded header -> type. Written as people write headers; the fold does the rest.
_ALIASES: dict[str, ColumnType] = {
    **dict.fromkeys((
        "nom", "noms", "nom de famille", "nom de naissance", "nom naissance", "nom jeune fille",
        "nom de jeune fille", "nom d usage", "nom usage", "nom usuel", "nom marital",
        "nom patient", "nom du patient", "nom de la patiente", "last name", "last names",
        "lastname", "surname", "family name", "last_names"), _LAST),
    **dict.fromkeys((
        "prenom", "prenoms", "prenom patient", "prenom du patient", "first name",
        "first names", "firstname", "given name", "forename", "first_names"), _FIRST),
    **dict.fromkeys((
        "ddn", "date de naissance", "date naissance", "naissance", "ne le", "nee le",
        "ne e le", "date of birth", "birth date", "birthdate", "dob", "birth_date"), _BIRTH),
    **dict.fromkeys((
        "nir", "num secu", "numero secu", "n secu", "no secu", "secu", "n ss", "no ss", "nss",
        "num ss", "numero ss", "numero de securite sociale", "n de securite sociale",
        "securite sociale", "ins", "matricule ins", "social security number"), _NIR),
    **dict.fromkeys((
        "ipp", "patient id", "id patient", "identifiant patient", "identifiant", "nip",
        "numero patient", "n patient", "patient_id"), _ID),
    **dict.fromkeys((
        "nda", "n dossier", "numero de dossier", "no dossier", "dossier", "n sejour",
        "numero de sejour", "episode", "iep"), _OTHER_ID),
    **dict.fromkeys((
        "adresse", "adresse postale", "adresse patient", "domicile", "rue", "voie",
        "address", "street", "street address"), _ADDRESS),
    **dict.fromkeys((
        "cp", "code postal", "codepostal", "postcode", "post code", "zip", "zip code"),
        _POSTCODE),
    **dict.fromkeys((
        "ville", "commune", "localite", "ville de residence", "lieu de naissance",
        "ville de naissance", "city", "town", "birthplace"), _CITY),
    **dict.fromkeys((
        "tel", "telephone", "tel portable", "portable", "mobile", "tel domicile", "fax",
        "telephones", "phone", "phones", "phone number"), _PHONE),
    **dict.fromkeys((
        "mail", "mails", "email", "e mail", "emails", "courriel", "adresse mail",
        "adresse email", "adresse e mail", "adresse electronique"), _EMAIL),
    **dict.fromkeys((
        "medecin", "medecin traitant", "medecin referent", "praticien", "prescripteur",
        "redacteur", "auteur", "signataire", "interne", "infirmier", "infirmiere",
        "personne a prevenir", "personne de confiance", "doctor", "physician",
        "initiales", "initiales patient", "initiales du patient", "initials", "valide par",
        "patient", "patiente", "sujet", "identite", "nom et prenom", "nom prenom"), _PERSON),
    **dict.fromkeys((
        "etablissement", "hopital", "clinique", "centre hospitalier", "etablissement de sante",
        "lieu de prise en charge", "structure", "hospital", "etablissement d origine",
        "etablissement d accueil", "etablissement de provenance", "etablissement adresseur",
        "hopital d origine"), _HOSPITAL),
    **dict.fromkeys((
        "date", "date d entree", "date de sortie", "date d admission", "date de consultation",
        "date du prelevement", "date de prelevement", "date d hospitalisation",
        "date de deces", "date d inclusion", "date de l examen"), _DATE),
}
# Headers that name no personal data: with a typed one, they make a row a header row
# ("Ville | Motif"), where a row of values would hold none of them.
_UNTYPED_HEADERS = frozenset((
    "motif", "diagnostic", "service", "unite", "commentaire", "commentaires", "observations",
    "remarques", "notes", "traitement", "posologie", "examen", "resultat", "resultats", "valeur",
    "unite de mesure", "statut", "sexe", "age", "poids", "taille", "chambre", "lit", "visite",
    "groupe", "bras", "inclusion", "randomisation", "type", "code", "libelle", "description",
    "evolution", "conclusion", "indication", "antecedents", "allergies", "suivi", "role",
    "fonction", "qualite", "specialite"))
_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")
# "Nom (1)", "Nom :" and "N°" read the same as "Nom", "N"
_NUMBER_SIGN = regex.compile(r"\b(n|no)\s*°")


def fold_header(header: str) -> str:
    text = regex.sub(r"(?<=\p{Ll})(?=\p{Lu})", " ", header.strip().lstrip("\ufeff"))  # dateNaissance
    text = strip_accents(_NUMBER_SIGN.sub(r"\1 ", text.lower()))
    return " ".join(_NON_WORD.sub(" ", text).split())


def column_type(header: str) -> ColumnType | None:
    """The type of the cells under `header`, or None when the header names none."""
    return _ALIASES.get(fold_header(header))


# Words of a header that say "this column identifies someone" although the table above
# does not know it ("Code patient", "N° chambre", "ID externe"): such columns are counted
# in the report (never their values) so a person can add them to [columns].
_IDENTIFYING_WORDS = frozenset((
    "id", "ids", "identifiant", "identifier", "code", "ref", "reference", "matricule",
    "num", "numero", "n", "no", "nom", "name", "patient", "patiente", "dossier", "ssn",
    "nir", "ipp", "nda", "tel", "mail", "adresse", "contact", "login", "user", "uid",
))


def looks_identifying(header: str) -> bool:
    """A header the table does not type but that names an identifier-like column."""
    return column_type(header) is None and bool(
        _IDENTIFYING_WORDS.intersection(fold_header(header).split()))


# In a document's table, a cell of these columns is that entity whole ("PARIS" under
# "Ville"); dates, numbers and addresses are left to their recognizers, which keep what
# else the cell says ("12/03/2021 (consultation)").
WHOLE_CELL_TYPES = frozenset({PERSON, CITY, HOSPITAL})


def is_header(text: str) -> bool:
    """A cell that reads as a column title, typed or not."""
    return column_type(text) is not None or fold_header(text) in _UNTYPED_HEADERS


def header_types(cells: list[str]) -> dict[int, ColumnType] | None:
    """The typed columns of a header row, or None when the row is not one: every non-empty
    cell a column title, at least two of them, one typed ("Ville | Motif")."""
    titled = [c for c in cells if c.strip()]
    if len(titled) < 2 or not all(is_header(c) for c in titled):
        return None
    typed = {i: t for i, c in enumerate(cells) if (t := column_type(c)) is not None}
    return typed or None
