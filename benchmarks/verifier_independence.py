"""Is the verifier independent of the detector? Switch each recognizer off in turn and count
what the pipeline delivers.

    python benchmarks/verifier_independence.py [--limit 40] [--matrix DIR [--matrix-only]]
                                               [--only NAME...]

For every configuration (each Presidio recognizer removed from the analyzer's registry by
name, spaCy's NER off whole and per label, then nothing disabled) the script pseudonymizes
(i) the .txt documents of evaluation/corpus/{dev,test} (gold brat `.ann` files) and (ii) with
`--matrix DIR`, the files listed in DIR/planted.jsonl (`{"file": "relative/path", "type":
"PERSON", "values": ["Jean", "DUPONT"]}` per line), and prints one Markdown table per data
set: documents delivered clean, fixed (the verifier's fix pass added entities), refused, and
delivered with a remnant (a betraying token of a gold or planted value still in the output,
searched like the verifier does: folded, split on every non-alphanumeric and camelCase).

One Deidentifier for everything; spaCy's analysis of each text is computed once and reused
across configurations (switching a recognizer off does not change it). Prints no values.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from deident.entities import ENTITY_TYPES  # noqa: E402

KEY = b"benchmark-key-not-a-secret-000000"
# The recognizers the sentinel stands in for: with them off, nothing may leak.
SENTINEL_BACKED = {"FrNirRecognizer", "FrenchPhoneRecognizer", "FrenchIbanRecognizer",
                   "FrenchEmailRecognizer", "FrenchPaymentCardRecognizer"}


def gold_documents(corpus: Path, limit: int | None) -> list[tuple[Path, list[tuple[str, str]]]]:
    documents = []
    for text in sorted(corpus.glob("*.txt"))[:limit]:
        values = []
        ann = text.with_suffix(".ann")
        for line in ann.read_text(encoding="utf-8").splitlines() if ann.exists() else []:
            if line.startswith("T") and line.count("\t") >= 2:
                _, spec, value = line.split("\t", 2)
                if spec.split()[0] in ENTITY_TYPES:  # not KEEP (what must stay)
                    values.append((spec.split()[0], value))
        documents.append((text, values))
    return documents


def matrix_documents(folder: Path, limit: int | None) -> list[tuple[Path, list[tuple[str, str]]]]:
    planted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in (folder / "planted.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            planted[row["file"]] += [(row["type"], value) for value in row.get("values", [])]
    files = [(folder / name, values) for name, values in sorted(planted.items())]
    step = max(1, len(files) // limit) if limit else 1  # every format and type, evenly
    return files[::step][:limit]


@contextlib.contextmanager
def disabled(deidentifier, name: str) -> Iterator[None]:
    """The analyzer without the recognizer `name`; "NER:LABEL" drops one spaCy label."""
    registry = deidentifier.analyzer.engine.registry
    saved = list(registry.recognizers)
    saved_entities = None
    if name.startswith("NER:"):
        spacy = next(r for r in registry.recognizers if r.name == "SpacyRecognizer")
        saved_entities = list(spacy.supported_entities)
        spacy.supported_entities = [e for e in saved_entities if e != name[4:]]
    elif name:
        registry.recognizers = [r for r in saved if r.name != name]
    try:
        yield
    finally:
        registry.recognizers = saved
        if saved_entities is not None:
            spacy.supported_entities = saved_entities


def entity_types(deidentifier, name: str) -> set[str]:
    """What the configuration `name` stops detecting ("" stops nothing)."""
    if name.startswith("NER:"):
        return {name[4:]}
    return {e for r in deidentifier.analyzer.engine.registry.recognizers if r.name == name
            for e in r.supported_entities}


def reuse_nlp(deidentifier) -> None:
    """spaCy runs once per text: its artifacts do not depend on the recognizers."""
    engine = deidentifier.analyzer.nlp_engine
    original = engine.process_batch
    memo: dict[str, object] = {}

    def process_batch(texts, language, batch_size=1, n_process=1, as_tuples=False):
        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in memo]
        if missing:
            for text, artifacts in original(missing, language, batch_size=batch_size):
                memo[text] = artifacts
        return [(t, memo[t]) for t in texts]

    engine.process_batch = process_batch


def count_fixes() -> Counter:
    """How many entities the verifier's fix pass adds, per call (wraps deident.core.fix)."""
    import deident.core as core

    counter: Counter = Counter()
    original = core.fix

    def fix(text, entities, *args, **kwargs):
        fixed = original(text, entities, *args, **kwargs)
        counter["added"] += fixed != entities
        return fixed

    core.fix = fix
    return counter


def remnant_types(deidentifier, output: Path, values: list[tuple[str, str]]) -> set[str]:
    """The types of the gold or planted values a betraying token of which is in the file."""
    from deident.formats import adapter_for
    from deident.verify import Remnants, common_words, tells_of

    lexicons = deidentifier.analyzer.lexicons
    remnants = Remnants([tells_of(values, lexicons)], common_words(lexicons))
    found: set[str] = set()
    for piece in [*adapter_for(output).read_back(output), ("file name", output.name, False)]:
        _, text, raw = piece
        protected = None
        for hit in remnants.find(text, sentinel=False, raw=raw):
            protected = protected or deidentifier.analyzer.protected_spans(text)
            if not protected.contains(hit.start, hit.end):
                found.add(hit.type)
    return found


def run(deidentifier, documents, fixes: Counter, out: Path, own: set[str]) -> Counter:
    """`own`: the entity types of the disabled recognizer (a remnant of those is counted apart)."""
    counts: Counter = Counter()
    for index, (src, values) in enumerate(documents):
        dst = out / f"{index}{src.suffix}"
        before = fixes["added"]
        report = deidentifier.pseudonymize_file(src, dst)
        counts["documents"] += 1
        if report.status != "done":
            counts["refused"] += 1
            counts["failed"] += report.status == "failed"
            continue
        if found := remnant_types(deidentifier, dst, values):
            counts["remnant"] += 1
            counts["own"] += bool(found & own)
            counts.update(f"type:{t}" for t in found)
        elif fixes["added"] > before:
            counts["fixed"] += 1
        else:
            counts["clean"] += 1
        dst.unlink()
    return counts


def types(counts: Counter) -> str:
    """ "PERSON 3, CITY 1": documents with a remnant, per type of the value it betrays."""
    found = sorted(((k[5:], n) for k, n in counts.items() if k.startswith("type:")),
                   key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{t} {n}" for t, n in found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None,
                        help="documents per data set (default: all)")
    parser.add_argument("--matrix", type=Path, help="a leak-matrix folder with planted.jsonl")
    parser.add_argument("--only", nargs="*", help="only these configurations (names)")
    parser.add_argument("--matrix-only", action="store_true", help="skip the corpora")
    args = parser.parse_args()
    from deident import Deidentifier

    deidentifier = Deidentifier(key=KEY)
    reuse_nlp(deidentifier)
    fixes = count_fixes()
    names = [r.name for r in deidentifier.analyzer.engine.registry.recognizers]
    configurations = [*names, "NER:NER_PERSON", "NER:NER_LOCATION", ""]
    if args.only:
        configurations = [c for c in configurations if c in args.only or (c == "" and
                                                                           "none" in args.only)]
    sets = {} if args.matrix_only else {"corpus dev+test": [
        d for part in ("dev", "test")
        for d in gold_documents(ROOT / "evaluation" / "corpus" / part, args.limit)]}
    if args.matrix:
        sets["leak matrix"] = matrix_documents(args.matrix, args.limit)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="deident-independence-") as tmp:
        for label, documents in sets.items():
            print(f"\n### {label}: {len(documents)} documents per configuration\n")
            print("| disabled | clean | fixed | refused | remnant | of its own types | remnant types |")
            print("|---|---:|---:|---:|---:|---:|---|")
            for name in configurations:
                own = entity_types(deidentifier, name)
                with disabled(deidentifier, name):
                    counts = run(deidentifier, documents, fixes, Path(tmp), own)
                shown = {"": "(nothing)", "SpacyRecognizer": "SpacyRecognizer (NER off)"}.get(
                    name, name.replace("NER:", "spaCy NER label ") if name.startswith("NER:") else name)
                mark = " (sentinel-backed)" if name in SENTINEL_BACKED else ""
                print(f"| {shown}{mark} | {counts['clean']} | {counts['fixed']} | "
                      f"{counts['refused']} | {counts['remnant']} | {counts['own']} | {types(counts)} |",
                      flush=True)
    print(f"\n{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
