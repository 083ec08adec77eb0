"""The analyzer: one French engine, document-level propagation, the allow-lists."""

from __future__ import annotations

import socket
import subprocess
import sys

from deident.analyzer import Spans, resolve_overlaps
from deident.entities import ENTITY_TYPES, PERSON, Entity


def _values(text: str, entities) -> list[tuple[str, str]]:
    return [(e.type, text[e.start:e.end]) for e in entities]


def test_only_french_recognizers_run(deidentifier) -> None:
    registry = deidentifier.analyzer.engine.registry
    recognizers = registry.get_recognizers(language="fr", all_fields=True)
    names = {r.name for r in recognizers}
    assert not any(n.startswith(("Us", "Uk", "Au", "In", "Sg")) for n in names), names
    assert {r.supported_language for r in registry.recognizers} == {"fr"}
    supported = {e for r in recognizers for e in r.supported_entities}
    assert set(ENTITY_TYPES) <= supported | {"NER_PERSON", "NER_LOCATION"}


def test_a_name_found_once_is_replaced_everywhere(deidentifier) -> None:
    text = ("Mme Gwenaëlle KERBRAT est hospitalisée.\n\nKERBRAT se plaint de douleurs. "
            "Kerbrat sort demain. Appeler Gwenaëlle.")
    entities = deidentifier.analyzer.analyze(text)
    found = [value for kind, value in _values(text, entities) if kind == PERSON]
    assert found.count("KERBRAT") == 1 and "Kerbrat" in found and "Gwenaëlle" in found
    out = deidentifier.pseudonymize_text(text).text
    assert "Kerbrat" not in out and "KERBRAT" not in out and "Gwenaëlle" not in out


def test_a_common_word_surname_leaves_the_word_alone(deidentifier) -> None:
    text = "Mme Petit est suivie. Petit hématome au point de ponction ; un petit nodule."
    out = deidentifier.pseudonymize_text(text).text
    assert "Mme Petit" not in out
    assert "un petit nodule" in out


def test_numbers_propagate_whatever_the_spacing(deidentifier) -> None:
    text = "IPP : 8012345678.\nRappel du numéro 80 12 34 56 78 au secrétariat."
    entities = deidentifier.analyzer.analyze(text)
    assert len([e for e in entities if e.type == "HOSPITAL_ID"]) == 2


def test_medicine_survives(deidentifier) -> None:
    text = ("Maladie de Parkinson évoluée, signe de Babinski bilatéral, score de Glasgow à 15. "
            "Un Parkinson ancien. Kardégic 75 mg, HTA, BPCO, IRM cérébrale. "
            "Syndrome de Guillain-Barré. Lovenox 4000 UI.")
    assert deidentifier.pseudonymize_text(text).text == text


def test_resolve_overlaps_prefers_structured_then_longest() -> None:
    address = Entity(0, 18, "ADDRESS", 0.8)
    name_inside = Entity(8, 18, PERSON, 0.85)
    city = Entity(20, 25, "CITY", 0.9)
    zip_city = Entity(14, 25, "ZIP_CITY", 0.7)
    kept = resolve_overlaps([name_inside, address, city, zip_city])
    assert kept == [address, city]
    assert resolve_overlaps([city, zip_city]) == [zip_city]


def test_spans_queries() -> None:
    spans = Spans([(0, 5), (10, 15)])
    assert not spans.overlaps(5, 10) and spans.overlaps(4, 6) and spans.overlaps(14, 20)
    assert spans.contains(11, 14) and not spans.contains(4, 6)


def test_email_validation_never_touches_the_network() -> None:
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise AssertionError('network access')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from deident.recognizers.web import FrenchEmailRecognizer\n"
        "r = FrenchEmailRecognizer()\n"
        "res = r.analyze('écrire à jean.dupont@exemple-mail.fr', ['EMAIL'])\n"
        "assert res and res[0].score == 1.0, res\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stderr == ""


def test_socket_module_is_real() -> None:
    assert socket.socket.connect.__name__ == "connect"


def test_a_surname_does_not_spread_into_an_eponym(deidentifier, tmp_path) -> None:
    text = "Mme Claire BERGER, 54 ans. Antécédents : maladie de Berger diagnostiquée en 2010."
    out = deidentifier.pseudonymize_text(text).text
    assert "maladie de Berger" in out and "BERGER" not in out
    src = tmp_path / "cr.txt"
    src.write_text(text, encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.txt")
    assert report.status == "done", "the eponym left in place is not a leak"
