"""Column headers as exports write them map to entity types."""

import pytest

from deident.columns import column_type, fold_header


@pytest.mark.parametrize(("header", "entity_type", "field"), [
    ("Nom", "PERSON", "last_names"),
    ("NOM DE NAISSANCE", "PERSON", "last_names"),
    ("nom_naissance", "PERSON", "last_names"),
    ("Nom d'usage", "PERSON", "last_names"),
    ("Prénom", "PERSON", "first_names"),
    ("prenom", "PERSON", "first_names"),
    ("DDN", "DATE", "birth_date"),
    ("Date de naissance", "DATE", "birth_date"),
    ("dateNaissance", "DATE", "birth_date"),
    ("N° SS", "FR_NIR", "nir"),
    ("num_secu", "FR_NIR", "nir"),
    ("IPP", "HOSPITAL_ID", "patient_id"),
    ("NDA", "HOSPITAL_ID", ""),
    ("Adresse", "ADDRESS", "address"),
    ("CP", "ZIP_CITY", "postcode"),
    ("code_postal", "ZIP_CITY", "postcode"),
    ("Commune", "CITY", "city"),
    ("Tél.", "PHONE", "phones"),
    ("E-mail", "EMAIL", "emails"),
    ("Médecin traitant", "PERSON", ""),
])
def test_headers_map_to_types(header: str, entity_type: str, field: str) -> None:
    found = column_type(header)
    assert found is not None
    assert (found.entity_type, found.field) == (entity_type, field)


@pytest.mark.parametrize("header", ["Diagnostic", "Traitement", "Dose (mg)", "Commentaire", ""])
def test_other_headers_name_no_type(header: str) -> None:
    assert column_type(header) is None


def test_fold_header() -> None:
    assert fold_header("\ufeffN°  Sécurité-Sociale ") == "n securite sociale"
