"""The `deident` command line."""

from __future__ import annotations

import json
import os
import signal
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text  # values are shown as written, never as markup

from deident.config import Config, ConfigError, load_config
from deident.errors import DeidentError, KeyFileError, UsageError
from deident.formats import text as text_format
from deident.keys import generate_key

if TYPE_CHECKING:  # the pipeline loads inside the commands that need it: --help stays fast
    from deident.core import Deidentifier, FolderReport

app = typer.Typer(
    add_completion=False,
    # A traceback with local variables would print document text: never show locals.
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="Pseudonymize French documents with consistent, keyed surrogates.",
)
stderr = Console(stderr=True)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class Embedded(StrEnum):
    refuse = "refuse"
    drop = "drop"


class OcrMode(StrEnum):
    auto = "auto"
    off = "off"
    force = "force"


class OcrDraw(StrEnum):
    surrogate = "surrogate"
    box = "box"


class Backend(StrEnum):
    local = "local"
    spark = "spark"


class DateScope(StrEnum):
    document = "document"
    folder = "folder"
    project = "project"


KeyFileOption = Annotated[
    Path | None,
    typer.Option("--key-file", "-k", help="Secret key file (default: $DEIDENT_KEY_FILE, "
                 "else a key created in your config folder)."),
]


ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Configuration file (default: the nearest deident.toml, "
                 "or pyproject.toml with a tool.deident table, up from the working directory)."),
]
DateScopeOption = Annotated[DateScope | None, typer.Option(
    help="Dates shift by one offset per document, folder or project (config key: date_scope).")]
EmbeddedOption = Annotated[Embedded | None, typer.Option(
    help="Macros, embedded objects, altChunk, PDF attachments: refuse the file, or drop "
         "them (config key: embedded). Documents embedded in a Word file (.docx, .xlsx, "
         ".pdf) are pseudonymized with it; one that would be refused is dropped or refuses "
         "the file.")]
ImagesOption = Annotated[Embedded | None, typer.Option(
    help="DOCX images whose metadata cannot be checked (EMF, WMF, TIFF): refuse the file, "
         "or drop them (config key: images).")]
OcrOption = Annotated[OcrMode | None, typer.Option(
    help="Scans and text in images: auto (pages without a text layer and pictures with "
         "text are read by OCR, painted and checked), off (scans refused), force (every PDF "
         "page read by OCR) (config key: ocr.mode).")]
OcrDpiOption = Annotated[int | None, typer.Option(
    help="Resolution PDF pages are rendered at for OCR (config key: ocr.dpi).")]
OcrDrawOption = Annotated[OcrDraw | None, typer.Option(
    help="Over a replaced word in an image: its surrogate, or a plain box (config key: ocr.draw).")]
OcrLanguagesOption = Annotated[str | None, typer.Option(
    help='Tesseract models, e.g. fra or fra+eng (config key: ocr.languages).')]
PasswordFileOption = Annotated[Path | None, typer.Option(
    help="File whose first line is the user password of encrypted PDFs (never given on the "
         "command line) (config key: password_file).")]
KnownOption = Annotated[Path | None, typer.Option(
    help="Known identities of the patients (CSV or JSONL; see deident.known) (config key: known).")]
OperatorOption = Annotated[list[str] | None, typer.Option(
    "--operator", help="TYPE=pseudonym|redact|keep, e.g. DATE=redact (repeatable) "
                       "(config key: operators).")]
DisableOption = Annotated[list[str] | None, typer.Option(
    "--disable", help="An entity type not to look for, e.g. URL (repeatable) (config key: entities).")]


def _config(config_file: Path | None, **flags: object) -> Config:
    """The configuration file's values, then the flags given on the command line."""
    config = load_config(path=config_file)
    for flag, value in flags.items():
        if value is not None and value != []:
            config = config.with_overrides(f"CLI --{flag.replace('_', '-')}", **{flag: value})
    return config


def _terminate_like_interrupt() -> None:
    """SIGTERM (a job scheduler, `kill`) unwinds like Ctrl-C: every `finally` runs, so no
    temporary file stays behind."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit()) or not int(index) < int(count):
        raise UsageError("--shard takes I/N with 0 <= I < N, e.g. 0/4")
    return int(index), int(count)


_LIMITS = ("max_file_mb", "max_pages", "max_parts", "max_unpacked_mb", "max_seconds")


def _limits(values: list[str] | None) -> dict[str, int]:
    limits = {}
    for value in values or []:
        name, _, number = value.partition("=")
        if name not in _LIMITS or not number.isdigit():
            raise UsageError(f"--limit takes NAME=N with NAME one of {', '.join(_LIMITS)}")
        limits[name] = int(number)
    return limits


def _operators(values: list[str] | None) -> dict[str, str] | None:
    if not values:
        return None
    pairs = [v.split("=", 1) for v in values]
    if any(len(pair) != 2 for pair in pairs):
        raise UsageError("--operator takes TYPE=pseudonym|redact|keep")
    return {k.strip().upper(): v.strip() for k, v in pairs}


@app.command()
def pseudonymize(
    src: Annotated[str, typer.Argument(
        help="A .txt, .docx, .pdf, .csv, .tsv, .xlsx, .xls or .ods file, a folder, or - for stdin.")],
    dst: Annotated[str, typer.Argument(help="Output file, new folder, or - for stdout.")],
    key_file: KeyFileOption = None,
    config_file: ConfigOption = None,
    date_scope: DateScopeOption = None,
    report: Annotated[Path | None, typer.Option(help="Write a JSON report here "
                                                "(counts and types, never values).")] = None,
    embedded: EmbeddedOption = None,
    images: ImagesOption = None,
    ocr: OcrOption = None,
    ocr_dpi: OcrDpiOption = None,
    ocr_draw: OcrDrawOption = None,
    ocr_languages: OcrLanguagesOption = None,
    known: KnownOption = None,
    password_file: PasswordFileOption = None,
    operator: OperatorOption = None,
    disable: DisableOption = None,
    limit: Annotated[list[str] | None, typer.Option(
        "--limit", help="NAME=N to raise a resource limit: max_file_mb, max_pages, max_parts, "
                        "max_unpacked_mb, max_seconds (repeatable) (config key: limits).")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Worker processes for a folder, each loading the pipeline once "
             "(default: the number of CPUs).")] = None,
    resume: Annotated[bool, typer.Option(
        help="Finish an interrupted folder run: files already done are skipped.")] = False,
    shard: Annotated[str | None, typer.Option(
        help="I/N: do only the I-th of N parts of the folder (Slurm job arrays; I from 0).")] = None,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
    backend: Annotated[Backend, typer.Option(
        help="local: a process pool on this machine; spark: the same job on Apache Spark "
             "(pip install deident[spark]).")] = Backend.local,
    spark_master: Annotated[str | None, typer.Option(
        help="Spark master URL (default: local[WORKERS], or spark-submit's).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
) -> None:
    """Replace personal data in SRC with keyed pseudonyms and write the result to DST.

    For a folder, a JSON report goes next to DST (DST-report.json) unless --report says
    where."""
    from deident.core import Deidentifier, FolderReport

    _terminate_like_interrupt()
    try:
        config = _config(
            config_file, date_scope=date_scope and date_scope.value,
            embedded=embedded and embedded.value, images=images and images.value, known=known,
            ocr=ocr and ocr.value, ocr_dpi=ocr_dpi, ocr_draw=ocr_draw and ocr_draw.value,
            ocr_languages=ocr_languages, password_file=password_file,
            operators=_operators(operator),
            entities={t.strip().upper(): False for t in disable} if disable else None)
        for name, value in _limits(limit).items():
            config = config.with_overrides(f"CLI --limit {name}", **{name: value})
        deidentifier = Deidentifier(key_file, config=config)
        if src == "-":
            _pseudonymize_stream(deidentifier, dst)
            return
        source = Path(src)
        if source.is_dir() and backend is Backend.spark:
            from deident.spark import local_session, run_spark

            spark = local_session(workers or os.cpu_count() or 1, spark_master,
                                  model_name=deidentifier.analyzer.model_name)
            parquet = report if report is not None and report.suffix == ".parquet" else None
            folder_report = run_spark(deidentifier, source, Path(dst), spark, parquet=parquet)
            if report is None or parquet is not None:
                report = Path(dst).parent / f"{Path(dst).name}-report.json"
        elif source.is_dir():
            folder_report = deidentifier.pseudonymize_folder(
                source, Path(dst), workers=workers or os.cpu_count() or 1, resume=resume,
                shard=_shard(shard), progress=not no_progress and not quiet)
            if report is None:
                report = Path(dst).parent / f"{Path(dst).name}-report.json"
        elif source.is_file():
            if dst == "-":
                raise UsageError("writing a file to stdout: use `deident pseudonymize - -` "
                                 "with the file on stdin")
            folder_report = FolderReport([deidentifier.pseudonymize_file(source, Path(dst))])
        else:
            raise UsageError(f"source not found: {source}")
    except (UsageError, KeyFileError, ConfigError) as exc:
        stderr.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    except DeidentError as exc:
        stderr.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_FINDINGS) from None
    if report is not None:
        report.write_text(json.dumps(_report_json(folder_report), indent=2, ensure_ascii=False)
                          + "\n", encoding="utf-8")
    if not quiet:
        print_summary(folder_report)
    raise typer.Exit(EXIT_OK if folder_report.ok else EXIT_FINDINGS)


def _pseudonymize_stream(deidentifier: Deidentifier, dst: str) -> None:
    data = sys.stdin.buffer.read()
    text, encoding = text_format.decode(data)
    result = deidentifier.pseudonymize_text(text)
    payload = text_format.encode(result.text, encoding)
    if dst == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    else:
        Path(dst).write_bytes(payload)


def _report_json(folder_report: FolderReport) -> dict:
    return {
        "files": [asdict(f) for f in folder_report.files],
        "totals": {"files": len(folder_report.files), "status": folder_report.statuses(),
                   "pages": sum(f.pages or 0 for f in folder_report.files),
                   "seconds": round(sum(f.seconds for f in folder_report.files), 3),
                   "entities": folder_report.totals()},
    }


def print_summary(folder_report: FolderReport) -> None:
    files = Table(title="deident: files", show_edge=False)
    files.add_column("file")
    files.add_column("status")
    files.add_column("entities replaced")
    files.add_column("note")
    for f in folder_report.files:
        style = {"done": "green", "refused": "yellow"}.get(f.status, "red")
        counts = ", ".join(f"{k} {v}" for k, v in f.entities.items())
        files.add_row(f.source, f"[{style}]{f.status}[/{style}]", counts, f.reason)
    stderr.print(files)
    totals = ", ".join(f"{k} {v}" for k, v in folder_report.totals().items()) or "none"
    statuses = ", ".join(f"{k} {v}" for k, v in folder_report.statuses().items())
    stderr.print(f"[bold]{statuses}[/bold]; entities replaced: {totals}")


@app.command()
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of BRAT .txt + .ann gold files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    show_errors: Annotated[bool, typer.Option(
        "--show-errors", help="Also list missed and spurious spans WITH THEIR TEXT "
        "(personal data on real documents: local triage only).")] = False,
    known: Annotated[Path | None, typer.Option(
        help="Known identities (CSV/JSONL) whose `file` names the gold documents.")] = None,
) -> None:
    """Score detection against gold annotations: recall, precision, F1/F2, redaction."""
    from deident.analyzer import Analyzer
    from deident.evaluation import read_brat, score
    from deident.policy import Policy

    if not gold_dir.is_dir():
        stderr.print(f"[red]error:[/red] not a folder: {gold_dir}")
        raise typer.Exit(EXIT_USAGE)
    documents = read_brat(gold_dir)
    analyzer = Analyzer()
    predictions = list(analyzer.analyze_many(d.text for d in documents))
    if known is not None:
        from deident.known import load_known

        identities, policy = load_known(known), Policy(Config())
        predictions = [policy.apply(d.text, found, identities.find(d.text, d.name))
                       for d, found in zip(documents, predictions, strict=True)]
    report = score(documents, predictions, keep_errors=show_errors)
    summary = report.as_dict()
    if show_errors:
        summary["errors"] = report.errors
    if as_json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"deident evaluate: {summary['documents']} documents", show_edge=False)
    for column in ("type", "gold tokens", "redaction R", "token P", "token R", "token F1",
                   "token F2", "span P", "span R", "span F1"):
        table.add_column(column, justify="left" if column == "type" else "right")
    for name, row in summary["per_type"].items():
        table.add_row(name, str(row["gold_tokens"]), *(f"{row[k]:.3f}" for k in (
            "redaction_recall", "token_precision", "token_recall", "token_f1", "token_f2",
            "span_precision", "span_recall", "span_f1")))
    console = Console(width=max(120, Console().width))
    console.print(table)
    console.print(
        f"redaction recall {summary['redaction_recall']:.4f} · redaction precision "
        f"{summary['redaction_precision']:.4f} · fully redacted documents "
        f"{summary['fully_redacted_documents']:.4f} · allow-list survival "
        f"{summary['allow_list_survival']:.4f}"
    )
    for name, counts in summary["unannotated"].items():
        console.print(f"not scored (no {name} in the gold): {counts.get('spans', 0)} spans, "
                      f"{counts.get('tokens', 0)} tokens")
    for error in summary.get("errors", []):
        console.print(f"{error['kind']:15} {error['label']:12} {error['document']}: "
                        f"{error['text']!r}  …{error.get('context', '')}…", markup=False)


@app.command()
def keygen(path: Annotated[Path, typer.Argument(help="Where to write the new key.")]) -> None:
    """Create a new random project key (mode 0600). Keep it apart from shared files."""
    try:
        generate_key(path)
    except KeyFileError as exc:
        stderr.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    stderr.print(f"key written to {path}")


@app.command()
def scan(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Files and folders (.pdf .docx .txt .csv .tsv .json .md).")] = None,
    key_file: KeyFileOption = None,
    config_file: ConfigOption = None,
    fast: Annotated[bool, typer.Option(help="Rules and lexicons only, no statistical NER.")] = False,
    ocr: OcrOption = None,
    output_format: Annotated[str, typer.Option("--format", help="text, json or sarif.")] = "text",
    show_values: Annotated[bool, typer.Option(
        help="Print the values found (local triage only: personal data!).")] = False,
    baseline: Annotated[Path | None, typer.Option(
        help="Accepted findings (default: .deident-baseline.json).")] = None,
    update_baseline: Annotated[bool, typer.Option(
        help="Accept every current finding into the baseline (exit 3).")] = False,
) -> None:
    """Find personal data without changing files: one line per finding, never the value.
    Exit 0 clean, 1 findings or unreadable file, 2 usage error, 3 baseline updated."""
    from deident.hook import run_scan

    raise typer.Exit(run_scan(paths or [], key_file=key_file, fast=fast,
                              output_format=output_format, show_values=show_values,
                              baseline=baseline, update_baseline=update_baseline,
                              config_file=config_file, ocr=ocr and ocr.value))


@app.command("table")
def correspondence_table(
    known: Annotated[Path, typer.Option(help="The patients' export (CSV or JSONL, see "
                                        "deident.known).")],
    out: Annotated[Path, typer.Option(help="Where to write the table (CSV, mode 0600).")],
    key_file: KeyFileOption = None,
    config_file: ConfigOption = None,
) -> None:
    """For the data controller only: per known patient, the pseudonyms their documents
    carry (names, NIR, IPP, birth date) and the date shift, computed from the key; nothing
    is stored beside the data. The table RE-IDENTIFIES people: it is refused inside a
    pseudonymized folder."""
    import csv

    from deident.core import Deidentifier
    from deident.correspondence import TABLE_COLUMNS, table

    inside = next((p for p in out.resolve().parents if _is_deident_output(p)), None)
    if inside is not None:
        stderr.print("[red]error:[/red] the table re-identifies people: not inside a "
                     "pseudonymized folder")
        raise typer.Exit(EXIT_USAGE)
    try:
        deidentifier = Deidentifier(key_file, config=_config(config_file))
        rows = table(deidentifier, known)
    except (KeyFileError, ConfigError, DeidentError) as exc:
        stderr.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file too
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=TABLE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    stderr.print(f"[bold yellow]warning:[/bold yellow] {out} re-identifies {len(rows)} "
                 "patient(s): keep it with the hospital's records, never with shared files.")


def _is_deident_output(folder: Path) -> bool:
    """A folder a run wrote (DST): its report, state or review file stands beside it."""
    return any((folder.parent / name).exists() for name in (
        f"{folder.name}-report.json", f".{folder.name}.deident-state.jsonl",
        f"{folder.name}-review.json"))


class Lang(StrEnum):
    fr = "fr"
    en = "en"


@app.command()
def review(
    folders: Annotated[list[Path], typer.Argument(
        help="SRC DST: the folder run to review; with --check, DST alone.")],
    check: Annotated[bool, typer.Option(
        help="Exit 1 unless DST is signed off, every output approved and unchanged since.")
    ] = False,
    key_file: KeyFileOption = None,
    config_file: ConfigOption = None,
    lang: Annotated[Lang, typer.Option(help="Language of the page.")] = Lang.fr,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (default: a free one).")] = 0,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in a browser.")
                            ] = False,
) -> None:
    """Review a folder run before sharing it: a local page (127.0.0.1, a token in its URL)
    showing originals and outputs side by side, replacements and suspects; decide, approve,
    sign off into DST-review.json. Exit 0 signed off (--check), 1 not, 2 usage error."""
    if check:
        from deident.review.session import check as check_signoff

        if len(folders) != 1:
            stderr.print("[red]error:[/red] --check takes DST alone")
            raise typer.Exit(EXIT_USAGE)
        problems = check_signoff(folders[0])
        for problem in problems:
            stderr.print(problem, markup=False)
        raise typer.Exit(EXIT_FINDINGS if problems else EXIT_OK)
    if len(folders) != 2 or not all(f.is_dir() for f in folders):
        stderr.print("[red]error:[/red] review takes SRC DST, two existing folders")
        raise typer.Exit(EXIT_USAGE)
    from deident.core import Deidentifier
    from deident.review.server import serve
    from deident.review.session import ReviewSession

    try:
        deidentifier = Deidentifier(key_file, config=_config(config_file))
    except (KeyFileError, ConfigError) as exc:
        stderr.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    server = serve(ReviewSession(deidentifier, *folders, config_file=config_file),
                   lang=lang.value, port=port,
                   open_browser=open_browser)
    print(server.url, flush=True)  # the token is in it: the only way in
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
def reveal(
    src: Annotated[Path, typer.Argument(help="The ORIGINAL folder (or file) as it was given "
                                        "to `deident pseudonymize`.")],
    pseudonym: Annotated[str | None, typer.Argument(
        help='A pseudonym as the outputs carry it, e.g. "Paul MARTIN".')] = None,
    fingerprint: Annotated[str | None, typer.Option(
        help="A `deident scan` fingerprint instead of a pseudonym.")] = None,
    key_file: KeyFileOption = None,
    config_file: ConfigOption = None,
    known: KnownOption = None,
) -> None:
    """For the data controller only: which original values in SRC were replaced by this
    pseudonym, and where. Computed again from the key and the originals; nothing stored.
    Its output RE-IDENTIFIES people. Exit 0 found, 1 nothing found, 2 usage error."""
    from deident.core import Deidentifier
    from deident.correspondence import reveal as find

    if (pseudonym is None) == (fingerprint is None):
        stderr.print("[red]error:[/red] give a pseudonym or --fingerprint, not both")
        raise typer.Exit(EXIT_USAGE)
    if not src.exists():
        stderr.print(f"[red]error:[/red] not found: {src}")
        raise typer.Exit(EXIT_USAGE)
    try:
        deidentifier = Deidentifier(key_file, config=_config(config_file, known=known))
    except (KeyFileError, ConfigError) as exc:
        stderr.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    stderr.print("[bold yellow]warning:[/bold yellow] this output re-identifies people: "
                 "keep it with the originals, never with the shared files.")
    matches = find(deidentifier, src, pseudonym, fingerprint=fingerprint)
    table = Table(title="deident reveal", show_edge=False)
    for column in ("file", "location", "type", "original", "pseudonym"):
        table.add_column(column)
    for m in matches:
        table.add_row(*(Text(v) for v in (m.file, m.location, m.type, m.original, m.pseudonym)))
    Console(width=max(120, Console().width)).print(table)
    raise typer.Exit(EXIT_OK if matches else EXIT_FINDINGS)


config_app = typer.Typer(no_args_is_help=True, help="The effective configuration.")
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show(config_file: ConfigOption = None) -> None:
    """Print every configuration key, its effective value and where it came from."""
    try:
        config = load_config(path=config_file)
    except ConfigError as exc:
        stderr.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    table = Table(title="deident: configuration", show_edge=False)
    for column in ("key", "value", "from"):
        table.add_column(column)
    for key, value, source_key in config_rows(config):
        table.add_row(key, value, config.source(source_key))
    Console().print(table)


_TOML_NAMES = {"allow_terms": "allow.terms", "allow_regexes": "allow.regexes",
               "deny_terms": "deny.terms", "deny_regexes": "deny.regexes", "deny_type": "deny.type",
               "max_file_mb": "limits.max_file_mb", "max_pages": "limits.max_pages",
               "max_parts": "limits.max_parts", "max_unpacked_mb": "limits.max_unpacked_mb",
               "max_seconds": "limits.max_seconds", "ocr": "ocr.mode", "ocr_dpi": "ocr.dpi",
               "ocr_draw": "ocr.draw", "ocr_languages": "ocr.languages",
               "ocr_min_confidence": "ocr.min_confidence"}


def config_rows(config: Config) -> list[tuple[str, str, str]]:
    """(key as written in deident.toml, value, key of its source)."""
    rows = [(_TOML_NAMES.get(k, k), str(getattr(config, k)), k) for k in (
        "date_scope", "max_date_shift_days", "embedded", "images", "known", "password_file",
        "threshold", "allow_terms", "allow_regexes", "deny_terms", "deny_regexes", "deny_type",
        "max_file_mb", "max_pages", "max_parts", "max_unpacked_mb", "max_seconds", "ocr",
        "ocr_dpi", "ocr_draw", "ocr_languages", "ocr_min_confidence")]
    rows += [(f"entities.{t}", str(on).lower(), f"entities.{t}") for t, on in config.entities.items()]
    rows += [(f"operators.{t}", op, f"operators.{t}") for t, op in config.operators.items()]
    return rows


if __name__ == "__main__":
    app()
