#!/usr/bin/env python3
"""Validate the synthetic evaluation corpus (standard library only).

    python3 evaluation/check_corpus.py [--corpus evaluation/corpus] [--seed 20261128] [--no-regen]

Checks, for every doc_NNNN.txt / doc_NNNN.ann pair in {train,dev,test}:
  * each line is `T<n>\\t<LABEL> <start> <end>[;<start> <end>...]\\t<text>`, ids unique;
  * LABEL is one of the allowed labels;
  * offsets are inside the text, fragments contain no newline, and the .ann text equals
    the .txt slice (fragments of a discontinuous span joined with one space);
  * no two spans (or fragments) overlap;
  * check digits: RPPS (11 digits, Luhn), FINESS (9 digits, Luhn), IBAN (mod 97);
    NIRs are counted as valid / wrong-key (wrong keys are deliberate);
  * document ids are unique across splits, every .txt has its .ann;
  * regenerating with the same seed into a temporary directory gives byte-identical files.
Prints label counts per split. Exit status 0 when everything passes, 1 otherwise.
"""
from __future__ import annotations

import argparse
import filecmp
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate_corpus import luhn_ok  # noqa: E402  (the same Luhn check, not a copy)
LABELS = ("PERSON", "FR_NIR", "PHONE", "EMAIL", "URL", "DATE", "ADDRESS", "ZIP_CITY", "CITY",
          "HOSPITAL_ID", "RPPS", "FINESS", "IBAN", "KEEP")
SPLITS = ("train", "dev", "test")
LINE_RE = re.compile(r"^(T\d+)\t([A-Z_]+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")


def iban_ok(iban: str) -> bool:
    s = iban.replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", s):
        return False
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


def nir_ok(nir: str) -> bool:
    s = nir.replace(" ", "")
    if not re.fullmatch(r"[12]\d{4}(\d{2}|2A|2B)\d{6}\d{2}", s):
        return False
    return 97 - int(s[:13].replace("2A", "19").replace("2B", "18")) % 97 == int(s[13:])


def check(corpus: Path):
    errors: list[str] = []
    counts = {sp: {lab: 0 for lab in LABELS} for sp in SPLITS}
    docs = {sp: 0 for sp in SPLITS}
    seen_ids: dict[str, str] = {}
    stats = {"nir_valid": 0, "nir_wrong_key": 0, "discontinuous": 0, "chars": 0}
    for sp in SPLITS:
        d = corpus / sp
        if not d.is_dir():
            errors.append(f"missing split directory {d}")
            continue
        for txt in sorted(d.glob("doc_*.txt")):
            docs[sp] += 1
            name = txt.stem
            if name in seen_ids:
                errors.append(f"{name} in both {seen_ids[name]} and {sp}")
            seen_ids[name] = sp
            ann = txt.with_suffix(".ann")
            if not ann.exists():
                errors.append(f"{txt}: no .ann file")
                continue
            text = txt.read_text(encoding="utf-8")
            stats["chars"] += len(text)
            frags_all = []
            tids = set()
            for ln, line in enumerate(ann.read_text(encoding="utf-8").splitlines(), 1):
                where = f"{ann.relative_to(corpus)}:{ln}"
                m = LINE_RE.match(line)
                if not m:
                    errors.append(f"{where}: malformed line {line!r}")
                    continue
                tid, label, offs, atext = m.groups()
                if tid in tids:
                    errors.append(f"{where}: duplicate id {tid}")
                tids.add(tid)
                if label not in LABELS:
                    errors.append(f"{where}: unknown label {label}")
                    continue
                frags = [tuple(map(int, f.split())) for f in offs.split(";")]
                ok = True
                for s, e in frags:
                    if not (0 <= s < e <= len(text)):
                        errors.append(f"{where}: offsets {s}-{e} outside text ({len(text)} chars)")
                        ok = False
                    elif "\n" in text[s:e]:
                        errors.append(f"{where}: span {s}-{e} crosses a newline")
                        ok = False
                if not ok:
                    continue
                if len(frags) > 1:
                    stats["discontinuous"] += 1
                    if any(b[0] < a[1] for a, b in zip(frags, frags[1:])):
                        errors.append(f"{where}: discontinuous fragments not in order")
                joined = " ".join(text[s:e] for s, e in frags)
                if joined != atext:
                    errors.append(f"{where}: text {atext!r} != slice {joined!r}")
                for s, e in frags:
                    frags_all.append((s, e, tid))
                counts[sp][label] += 1
                digits = joined.replace(" ", "")
                if label == "RPPS" and not (re.fullmatch(r"\d{11}", digits) and luhn_ok(digits)):
                    errors.append(f"{where}: invalid RPPS {joined!r}")
                if label == "FINESS" and not (re.fullmatch(r"\d{9}", digits) and luhn_ok(digits)):
                    errors.append(f"{where}: invalid FINESS {joined!r}")
                if label == "IBAN" and not iban_ok(joined):
                    errors.append(f"{where}: invalid IBAN {joined!r}")
                if label == "FR_NIR":
                    stats["nir_valid" if nir_ok(joined) else "nir_wrong_key"] += 1
            frags_all.sort()
            for (s1, e1, t1), (s2, e2, t2) in zip(frags_all, frags_all[1:]):
                if s2 < e1:
                    errors.append(f"{ann.relative_to(corpus)}: {t1} ({s1}-{e1}) overlaps {t2} ({s2}-{e2})")
        for ann in sorted(d.glob("doc_*.ann")):
            if not ann.with_suffix(".txt").exists():
                errors.append(f"{ann}: no .txt file")
    return errors, counts, docs, stats


def regen_identical(corpus: Path, seed: int, n: int) -> list[str]:
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "corpus"
        r = subprocess.run([sys.executable, str(HERE / "generate_corpus.py"), "--seed", str(seed), "--out", str(out), "--n", str(n)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return [f"regeneration failed: {r.stderr.strip()[-500:]}"]
        ours = sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file() and p.suffix in (".txt", ".ann", ".tsv"))
        theirs = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.suffix in (".txt", ".ann", ".tsv"))
        if ours != theirs:
            errors.append(f"regenerated file set differs ({len(ours)} vs {len(theirs)} files)")
        for rel in ours:
            if (out / rel).exists() and not filecmp.cmp(corpus / rel, out / rel, shallow=False):
                errors.append(f"regenerated {rel} differs")
    return errors


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Validate the synthetic BRAT corpus.")
    ap.add_argument("--corpus", default=str(HERE / "corpus"))
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--no-regen", action="store_true", help="skip the byte-identical regeneration check")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    errors, counts, docs, stats = check(corpus)
    total_docs = sum(docs.values())
    if not args.no_regen and total_docs:
        errors += regen_identical(corpus, args.seed, total_docs)

    print(f"Corpus {corpus}: {total_docs} documents (" + ", ".join(f"{sp} {docs[sp]}" for sp in SPLITS) + f"), "
          f"{stats['chars']} characters")
    w = max(map(len, LABELS))
    print(f"  {'label':<{w}}  " + "  ".join(f"{sp:>6}" for sp in SPLITS) + "   total")
    for lab in LABELS:
        row = [counts[sp][lab] for sp in SPLITS]
        print(f"  {lab:<{w}}  " + "  ".join(f"{c:>6}" for c in row) + f"  {sum(row):>6}")
    print(f"FR_NIR valid key: {stats['nir_valid']}, wrong key (deliberate): {stats['nir_wrong_key']}; "
          f"discontinuous spans: {stats['discontinuous']}")
    if not args.no_regen:
        print("Regeneration with seed %d: %s" % (args.seed, "identical" if not any("regenerat" in e for e in errors) else "DIFFERENT"))
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors[:50]:
            print("  " + e)
        return 1
    print("All checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
