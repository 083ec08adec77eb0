"""Re-identification on demand: every pseudonym of a folder run of the examples maps back
to its original and place, computed from the key and the originals; another key maps
nothing back."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TEST_KEY
from deident import Deidentifier
from deident.correspondence import correspondences, reveal
from deident.formats import text as text_format
from deident.hook import scan_file

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "documents"


@pytest.fixture(scope="module")
def run(deidentifier: Deidentifier, tmp_path_factory: pytest.TempPathFactory
        ) -> tuple[Path, Path, list]:
    folder = tmp_path_factory.mktemp("reveal")
    src, dst = folder / "src", folder / "dst"
    shutil.copytree(EXAMPLES, src)
    report = deidentifier.pseudonymize_folder(src, dst)
    assert report.ok, [(f.source, f.reason) for f in report.files]
    return src, dst, list(correspondences(deidentifier, src))


def test_each_pseudonym_maps_back_to_its_original_and_place(
        deidentifier: Deidentifier, run: tuple[Path, Path, list]) -> None:
    src, dst, pairs = run
    names = [c for c in pairs if c.type == "PERSON"]
    assert len({c.file for c in names}) >= 4 and len(names) >= 10
    for item in names:
        if item.file.endswith(".txt"):  # the delivered text carries exactly this pseudonym
            assert item.pseudonym in text_format.decode((dst / item.file).read_bytes())[0]
        found = reveal(deidentifier, src, item.pseudonym)
        assert any((f.file, f.original, f.location) == (item.file, item.original, item.location)
                   for f in found)
    for item in (c for c in pairs if c.type in ("FR_NIR", "PHONE", "EMAIL")):
        assert any(f.original == item.original for f in reveal(deidentifier, src, item.pseudonym))


def test_another_key_maps_nothing_back(run: tuple[Path, Path, list]) -> None:
    src, _, pairs = run
    other = Deidentifier(key=b"another-project-key-0123456789abcdef")
    for item in [c for c in pairs if c.type == "PERSON"][:8]:
        assert all(f.original != item.original for f in reveal(other, src, item.pseudonym))


def test_a_scan_fingerprint_finds_its_places(deidentifier: Deidentifier,
                                             run: tuple[Path, Path, list]) -> None:
    src, _, _ = run
    findings = scan_file(deidentifier, src / "lettre_de_liaison.txt", show_values=False)
    person = next(f for f in findings if f.type == "PERSON")
    found = reveal(deidentifier, src, fingerprint=person.fingerprint)
    assert found and all(f.type == "PERSON" for f in found)
    assert "lettre_de_liaison.txt" in {f.file for f in found}


def test_the_command_warns_and_says_whether_it_found(
        key_file: Path, run: tuple[Path, Path, list], tmp_path: Path) -> None:
    src, _, pairs = run
    item = next(c for c in pairs if c.type == "PERSON" and c.file.endswith(".txt"))
    command = [sys.executable, "-m", "deident.cli", "reveal", str(src), item.pseudonym,
               "--key-file", str(key_file)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert item.original in done.stdout and "re-identifies" in done.stderr
    other_key = tmp_path / "other.key"
    other_key.write_bytes(TEST_KEY[::-1])
    other_key.chmod(0o600)
    done = subprocess.run([*command[:-1], str(other_key)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 1 and item.original not in done.stdout


def test_no_value_in_a_repr(run: tuple[Path, Path, list]) -> None:
    _, _, pairs = run
    assert all(c.original not in repr(c) and c.pseudonym not in repr(c) for c in pairs)


def test_the_table_gives_the_pseudonyms_the_documents_carry(
        key_file: Path, tmp_path: Path) -> None:
    """A known patient (the examples' fictitious Mme KERBRAT, scoped to her letter): each
    pseudonym of her row stands in the delivered letter, where her originals stood."""
    src = tmp_path / "src"
    shutil.copytree(EXAMPLES, src)
    known = tmp_path / "patients.csv"
    known.write_text("ipp,nom,prénom,ddn,nir,fichier\n8012345678,KERBRAT,Gwenaëlle,"
                     "14/02/1948,2 48 02 29 019 004 06,compte_rendu_hospitalisation.txt\n",
                     encoding="utf-8")
    cli = [sys.executable, "-m", "deident.cli"]
    done = subprocess.run([*cli, "pseudonymize", str(src), str(tmp_path / "dst"), "--key-file",
                           str(key_file), "--known", str(known), "--quiet"], capture_output=True)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "records" / "table.csv"
    out.parent.mkdir()
    done = subprocess.run([*cli, "table", "--known", str(known), "--out", str(out),
                           "--key-file", str(key_file)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "re-identifies" in done.stderr and out.stat().st_mode & 0o777 == 0o600
    (row,) = list(csv.DictReader(out.open(encoding="utf-8")))
    letter = text_format.decode((tmp_path / "dst" / "compte_rendu_hospitalisation.txt"
                                 ).read_bytes())[0]
    original = text_format.decode((src / "compte_rendu_hospitalisation.txt").read_bytes())[0]
    for column in ("last_names", "first_names", "birth_date", "nir", "ipp"):
        assert row[column] and row[column] in letter.replace(" ", "") if column == "nir" \
            else row[column] in letter, column  # the letter spaces its NIR's digits
        assert row[column] not in original, column
    assert f"Mme {row['first_names']} {row['last_names']}, née le {row['birth_date']}" in letter
    assert row["patient_id"] == "8012345678" and int(row["date_shift_days"]) != 0
    # another key gives other pseudonyms, none of which the letter holds
    other_key = tmp_path / "other.key"
    other_key.write_bytes(TEST_KEY[::-1])
    other_key.chmod(0o600)
    subprocess.run([*cli, "table", "--known", str(known), "--out", str(tmp_path / "o.csv"),
                    "--key-file", str(other_key)], check=True, capture_output=True)
    (other,) = list(csv.DictReader((tmp_path / "o.csv").open(encoding="utf-8")))
    assert other["last_names"] not in letter and other["nir"] not in letter
    # never inside a pseudonymized folder
    refused = subprocess.run([*cli, "table", "--known", str(known), "--out",
                              str(tmp_path / "dst" / "table.csv"), "--key-file", str(key_file)],
                             capture_output=True)
    assert refused.returncode == 2 and not (tmp_path / "dst" / "table.csv").exists()
