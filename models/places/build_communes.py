"""Rebuild communes.tsv (French communes for CITY / ZIP_CITY surrogates) from the npm
package @etalab/decoupage-administratif, which bundles INSEE's Code officiel géographique
with La Poste's base officielle des codes postaux (data: Licence Ouverte / Etalab 2.0;
package code: MIT).

    cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    python models/places/build_communes.py /tmp/package/data/communes.json

Keeps, per département (metropolitan and overseas), its PER_DEPARTMENT most populous
current communes that have a postcode, each with its first postcode.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

PER_DEPARTMENT = 60
SOURCE = "@etalab/decoupage-administratif 6.0.0 (npm)"
HEADER = f"""\
# communes.tsv - French communes drawn as CITY / ZIP_CITY surrogates.
# Source: {SOURCE}, data/communes.json: INSEE Code officiel géographique
# and La Poste base officielle des codes postaux. Licence: Licence Ouverte / Etalab 2.0
# (data), MIT (package). Public administrative data, no personal data.
# Selection: the {PER_DEPARTMENT} most populous current communes of each département
# (metropolitan France and overseas départements), with the commune's first postcode.
# Rebuild with models/places/build_communes.py (see its docstring).
# Format: UTF-8, tab-separated: name<TAB>postcode<TAB>département<TAB>population
# (INSEE legal population), sorted by département then name.
"""


def main(source: Path, target: Path) -> None:
    communes = json.loads(source.read_text(encoding="utf-8"))
    by_department: dict[str, list[dict]] = defaultdict(list)
    for commune in communes:
        if (commune.get("type") == "commune-actuelle" and commune.get("codesPostaux")
                and commune.get("zone") in ("metro", "drom") and commune.get("departement")):
            by_department[commune["departement"]].append(commune)
    rows = []
    for department, members in by_department.items():
        members.sort(key=lambda c: (-(c.get("population") or 0), c["nom"]))
        for commune in members[:PER_DEPARTMENT]:
            rows.append((department, commune["nom"], sorted(commune["codesPostaux"])[0],
                         commune.get("population") or 0))
    rows.sort()
    lines = [f"{name}\t{postcode}\t{department}\t{population}"
             for department, name, postcode, population in rows]
    target.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parent / "communes.tsv")
