"""Materialize the leak matrix as files: `python tests/leak_matrix/build.py OUT_DIR`.

Writes every cell of spec.toml under OUT_DIR/<format>/<type>/<variant>__<place>.<format> and
OUT_DIR/planted.jsonl, one JSON object a line:
{"file": "relative/path", "type": "PERSON", "variant": "...", "place": "...", "format": "docx",
 "values": ["Jean", "DUPONT"]}
All values are invented. Needs python-docx, reportlab and Pillow (the project's dev dependencies).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the leak_matrix package

from leak_matrix.matrix_files import materialize


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/leak_matrix/build.py OUT_DIR", file=sys.stderr)
        return 2
    out_dir = Path(argv[0])
    count = materialize(out_dir)
    print(f"{count} cells written under {out_dir} (index: {out_dir / 'planted.jsonl'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
