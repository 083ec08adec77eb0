"""A researcher's script: pseudonymize a text, a file and a folder with the Python API.

    DEIDENT_KEY_FILE=~/secure/project.key python examples/research_script.py OUT_DIR
"""

import sys
from pathlib import Path

import deident

out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/research")
documents = Path(__file__).parent / "documents"

d = deident.Deidentifier()  # the key from $DEIDENT_KEY_FILE; models loaded once
result = d.pseudonymize_text("Vu Mme Gwenaëlle KERBRAT, née le 14/02/1948, tél. 06 12 34 56 78.")
print(result.text)
print(result.counts())  # types and counts only, never values

report = d.pseudonymize_file(documents / "ordonnance.txt", out / "one" / "ordonnance.txt")
print(report.status, report.entities)

folder = d.pseudonymize_folder(documents, out / "all", workers=1)
print(folder.statuses(), folder.totals())
sys.exit(0 if folder.ok else 1)
