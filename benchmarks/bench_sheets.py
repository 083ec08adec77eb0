"""Throughput of tables, file to file (read + analyze + write + verify): a 100,000-row,
12-column CSV export (10 typed columns, replaced without NER; 2 free-text columns, analyzed
in one batched pass) and a 5-sheet .xlsx workbook of the same columns. Writes its section
of RESULTS.md.

    python benchmarks/bench_sheets.py [--rows 100000] [--xlsx-rows 10000]

The data are synthetic (invented names, checksummed NIRs, phone numbers, addresses).
Model loading is excluded from the timings.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import tempfile
import time
from pathlib import Path

from results import write_section

TITLE = "## Tables (CSV, XLSX)"
HEADER = ["Nom", "Prénom", "DDN", "NIR", "IPP", "Adresse", "CP", "Ville", "Tél", "Mail",
          "Commentaire", "Résultat"]
_SURNAMES = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
             "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David",
             "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine",
             "Rousseau", "Vincent", "Muller", "Lefevre", "Faure", "Andre", "Mercier", "Blanc",
             "Guerin", "Boyer", "Garnier", "Chevalier", "Francois", "Legrand", "Gauthier", "Garcia",
             "Perrin", "Robin", "Clement", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
             "Gautier", "Masson"]
_FIRST = ["Jean", "Marie", "Pierre", "Anne", "Michel", "Sophie", "Nicolas", "Julie", "Laurent",
          "Claire", "Thomas", "Camille", "Antoine", "Léa", "Hugo", "Emma", "Louis", "Chloé", "Paul",
          "Manon"]
_CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Rennes", "Lille", "Dijon", "Angers", "Brest"]
_STREETS = ("rue de la Paix", "avenue Victor Hugo", "boulevard Voltaire", "rue des Lilas",
            "impasse du Moulin", "place de la République")
_COMMENTS = ("RAS", "contrôle à 3 mois", "revu par le Dr {name}", "perdu de vue",
             "appel de Mme {name} ce jour", "bilan à compléter", "", "sortie le 12/03/2021")
_RESULTS = ("Hb 12,5 g/dL", "CRP < 5 mg/L", "HbA1c 6,8 %", "créatinine 78 µmol/L", "",
            "INR 2,4")


def _nir(draw: random.Random) -> str:
    body = f"{draw.choice('12')}{draw.randint(40, 99):02d}{draw.randint(1, 12):02d}" \
           f"{draw.randint(1, 95):02d}{draw.randint(1, 999):03d}{draw.randint(1, 999):03d}"
    return f"{body}{97 - int(body) % 97:02d}"


def rows(count: int, seed: int = 0) -> list[list[str]]:
    draw = random.Random(seed)
    table = []
    for index in range(count):
        surname, first = draw.choice(_SURNAMES), draw.choice(_FIRST)
        surname = f"{surname}{'-' + draw.choice(_SURNAMES) if index % 7 == 0 else ''}"
        city = draw.choice(_CITIES)
        table.append([
            surname, first, f"{draw.randint(1, 28):02d}/{draw.randint(1, 12):02d}/"
            f"{draw.randint(1930, 2015)}", _nir(draw), f"{draw.randint(10**7, 10**8 - 1)}",
            f"{draw.randint(1, 120)} {draw.choice(_STREETS)}", f"{draw.randint(10, 95)}000",
            city, f"0{draw.randint(1, 7)} {draw.randint(10, 99)} {draw.randint(10, 99)} "
            f"{draw.randint(10, 99)} {draw.randint(10, 99)}",
            f"{first.lower()}.{surname.lower()}@exemple.fr",
            draw.choice(_COMMENTS).format(name=draw.choice(_SURNAMES)), draw.choice(_RESULTS)])
    return table


def write_csv(path: Path, table: list[list[str]]) -> None:
    lines = [";".join(HEADER)] + [";".join(row) for row in table]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def write_xlsx(path: Path, table: list[list[str]], sheets: int) -> None:
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    per_sheet = len(table) // sheets
    for index in range(sheets):
        sheet = workbook.create_sheet(f"Feuil{index + 1}")
        sheet.append(HEADER)
        for row in table[index * per_sheet:(index + 1) * per_sheet]:
            day, month, year = (int(p) for p in row[2].split("/"))
            sheet.append([*row[:2], dt.date(year, month, day), *row[3:]])
    workbook.save(path)


def timed(deidentifier, src: Path, dst: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of this process, and its peak RSS (MB) after the run."""
    started, cpu = time.perf_counter(), time.process_time()
    report = deidentifier.pseudonymize_file(src, dst)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.status == "done", report.reason
    return elapsed, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx-rows", type=int, default=10_000)
    parser.add_argument("--sheets", type=int, default=5)
    args = parser.parse_args()
    from deident import Deidentifier
    from deident.config import Config

    deidentifier = Deidentifier(key=b"benchmark-key-not-a-secret-000000",
                                config=Config().with_overrides("benchmark", max_seconds=3600))
    with tempfile.TemporaryDirectory(prefix="deident-bench-sheets-") as folder:
        work = Path(folder)
        csv_src, xlsx_src = work / "export.csv", work / "export.xlsx"
        write_csv(csv_src, rows(args.rows))
        write_xlsx(xlsx_src, rows(args.xlsx_rows, seed=1), args.sheets)
        csv_mb = csv_src.stat().st_size / 2**20
        xlsx_mb = xlsx_src.stat().st_size / 2**20
        loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load_before = os.getloadavg()[0]
        csv_seconds, csv_cpu, csv_peak = timed(deidentifier, csv_src, work / "out.csv")
        xlsx_seconds, xlsx_cpu, xlsx_peak = timed(deidentifier, xlsx_src, work / "out.xlsx")
        load_after = os.getloadavg()[0]
    section = "\n".join([
        TITLE, "",
        f"Machine: {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}. Synthetic exports of {len(HEADER)} columns "
        f"({', '.join(HEADER)}): 10 typed by their headers (replaced without NER), "
        "2 free text (analyzed in one batched pass, each row one context). One run, file to "
        "file (read + analyse + write + verify), model loading excluded. Produced by "
        "`benchmarks/bench_sheets.py` (`make bench`). CPU seconds are this process's (on a "
        "shared machine, wall time also counts the other processes' turns); peak RSS "
        "includes the models (loaded, before any table).", "",
        "| file | rows | size (MB) | seconds | rows/s | CPU s | rows/CPU s | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| CSV (`;`, UTF-8, CRLF) | {args.rows:,} | {csv_mb:.1f} | {csv_seconds:.1f} | "
        f"{args.rows / csv_seconds:,.0f} | {csv_cpu:.1f} | {args.rows / csv_cpu:,.0f} | "
        f"{csv_peak:,.0f} |",
        f"| XLSX, {args.sheets} sheets | {args.xlsx_rows:,} | {xlsx_mb:.1f} | {xlsx_seconds:.1f} | "
        f"{args.xlsx_rows / xlsx_seconds:,.0f} | {xlsx_cpu:.1f} | "
        f"{args.xlsx_rows / xlsx_cpu:,.0f} | {xlsx_peak:,.0f} |", "",
        f"Models loaded: {loaded:,.0f} MB RSS. Load average (1 min) before / after: "
        f"{load_before:.1f} / {load_after:.1f} on {os.cpu_count()} CPUs.", ""])
    write_section(TITLE, section)
    print(section)


if __name__ == "__main__":
    main()
