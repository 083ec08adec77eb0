"""Recall on the dev corpus without and with its patients' known identities
(evaluation/corpus/dev/known.jsonl); appends the table to benchmarks/RESULTS.md.

    python benchmarks/known_recall.py
"""

from __future__ import annotations

from pathlib import Path

from results import write_section

from deident.analyzer import Analyzer
from deident.config import Config
from deident.evaluation import read_brat, score
from deident.known import load_known
from deident.policy import Policy

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "evaluation" / "corpus" / "dev"
TITLE = "## Known identities (dev corpus)"


def main() -> None:
    documents = read_brat(DEV)
    found = list(Analyzer().analyze_many(d.text for d in documents))
    identities, policy = load_known(DEV / "known.jsonl"), Policy(Config())
    with_known = [policy.apply(d.text, entities, identities.find(d.text, d.name))
                  for d, entities in zip(documents, found, strict=True)]
    without, known = score(documents, found).as_dict(), score(documents, with_known).as_dict()
    lines = [
        TITLE, "",
        f"{len(documents)} documents; `known.jsonl` holds each document's patient (names, birth "
        "date, NIR, address, phones, e-mails, IPP) as a hospital export would. Token recall "
        "(typed) and redaction recall, without → with the known identities. Produced by "
        "`benchmarks/known_recall.py` (`make bench`).", "",
        "| type | gold tokens | token recall | redaction recall | token precision |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in without["per_type"].items():
        other = known["per_type"][name]
        lines.append(f"| {name} | {row['gold_tokens']} | {row['token_recall']:.4f} → "
                     f"{other['token_recall']:.4f} | {row['redaction_recall']:.4f} → "
                     f"{other['redaction_recall']:.4f} | {row['token_precision']:.3f} → "
                     f"{other['token_precision']:.3f} |")
    lines += ["", f"Fully redacted documents: {without['fully_redacted_documents']:.3f} → "
              f"{known['fully_redacted_documents']:.3f}; allow-list survival "
              f"{without['allow_list_survival']:.3f} → {known['allow_list_survival']:.3f}."]
    section = "\n".join(lines) + "\n"
    write_section(TITLE, section)
    print(section)


if __name__ == "__main__":
    main()
