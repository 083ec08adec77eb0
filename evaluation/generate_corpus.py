#!/usr/bin/env python3
"""Deterministic generator of synthetic, annotated French clinical documents.

Usage:
    python3 evaluation/generate_corpus.py [--seed 20261128] [--out evaluation/corpus] [--n 600] [--known]

Writes BRAT standoff pairs (doc_NNNN.txt + doc_NNNN.ann) into <out>/{train,dev,test}/,
split 50/25/25 by a seeded shuffle. Standard library only; the same seed gives
byte-identical files (every random draw goes through a random.Random seeded from the
command-line seed; no clock, no set iteration, no hash-dependent order). With --known, also
writes <out>/<split>/known.jsonl: per document, the patient's record as a hospital export would
give it; the documents are the same with or without it.

Everything in the documents is fictitious. Names come from evaluation/names/*.txt
(hand-written lists, not taken from Faker). Identifiers carry valid check digits
(NIR key, Luhn for RPPS/FINESS, mod-97 for IBAN) except a deliberate share of NIRs
with a wrong key.

Labels: PERSON FR_NIR PHONE EMAIL URL DATE ADDRESS ZIP_CITY CITY HOSPITAL_ID RPPS
FINESS IBAN, plus KEEP for medical spans that must survive pseudonymization
(eponymous diseases and signs, drug names with doses, lab values and scores).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import random
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMES_DIR = HERE / "names"
LEXICON = HERE.parent / "models" / "lexicons" / "first_names.tsv"

LABELS = ("PERSON", "FR_NIR", "PHONE", "EMAIL", "URL", "DATE", "ADDRESS", "ZIP_CITY",
          "CITY", "HOSPITAL_ID", "RPPS", "FINESS", "IBAN", "KEEP")

# --------------------------------------------------------------------------------------
# In-text markup: annotated spans are written as \x02LABEL[#group]\x03text\x04 while a
# document is built, then stripped and turned into offsets by render().
# --------------------------------------------------------------------------------------
_S, _M, _E = "\x02", "\x03", "\x04"
_MARK_RE = re.compile("\x02([^\x03]*)\x03([^\x04]*)\x04")


def mk(label: str, text: str, gid: int | None = None) -> str:
    assert label in LABELS, label
    assert text and text == text.strip(), (label, text)
    assert "\n" not in text and not any(c in text for c in (_S, _M, _E)), (label, text)
    tag = label if gid is None else f"{label}#{gid}"
    return f"{_S}{tag}{_M}{text}{_E}"


def kp(s: str) -> str:
    """Turn [[...]] in a medical string into KEEP spans."""
    return re.sub(r"\[\[(.+?)\]\]", lambda m: mk("KEEP", m.group(1)), s)


def plain(marked: str) -> str:
    return _MARK_RE.sub(lambda m: m.group(2), marked)


def render(marked: str):
    """Return (text, spans); spans = [(label, [(start, end), ...])] sorted by start."""
    out, spans, groups = [], [], {}
    pos = 0
    last = 0
    for m in _MARK_RE.finditer(marked):
        chunk = marked[last:m.start()]
        out.append(chunk)
        pos += len(chunk)
        tag, txt = m.group(1), m.group(2)
        start, end = pos, pos + len(txt)
        out.append(txt)
        pos = end
        if "#" in tag:
            label, g = tag.split("#")
            if g not in groups:
                groups[g] = (label, [])
                spans.append(groups[g])
            groups[g][1].append((start, end))
        else:
            spans.append((tag, [(start, end)]))
        last = m.end()
    out.append(marked[last:])
    text = "".join(out)
    assert not any(c in text for c in (_S, _M, _E))
    spans.sort(key=lambda s: (s[1][0][0], s[1][0][1]))
    return text, spans


# --------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------
def _lines(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                yield line


def load_surnames():
    groups, order, cur = {}, [], "misc"
    with open(NAMES_DIR / "surnames.txt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# --"):
                cur = line[4:].strip()
                continue
            if not line.strip() or line.startswith("#"):
                continue
            groups.setdefault(cur, []).append(line.strip())
            order.append(line.strip())
    return groups, order


SURNAME_GROUPS, SURNAMES = load_surnames()
WORD_SURNAMES = next(v for k, v in SURNAME_GROUPS.items() if k.startswith("French surnames that are also"))
COMPOUND_SURNAMES = next(v for k, v in SURNAME_GROUPS.items() if k.startswith("compound"))
FIRST = {"F": [], "M": []}
for _l in _lines(NAMES_DIR / "first_names.tsv"):
    _n, _g = _l.split("\t")
    if _g in ("F", "X"):
        FIRST["F"].append(_n)
    if _g in ("M", "X"):
        FIRST["M"].append(_n)
CITIES = [tuple(_l.split("\t")) for _l in _lines(NAMES_DIR / "cities.tsv")]
FOREIGN = [tuple(_l.split("\t")) for _l in _lines(NAMES_DIR / "foreign_cities.tsv")]
STREETS = list(_lines(NAMES_DIR / "streets.txt"))

LIEUX_DITS = ["Kerbiquet", "Kerlaouen", "Le Haut-Bois", "La Grange Neuve", "Les Granges", "Le Moulin Neuf",
              "Ker Anna", "Penhoat", "Trévidy", "La Croix Rouge", "Les Essarts", "Le Pré Vert", "Bel-Air",
              "La Métairie", "Les Bruyères", "Coat Bihan", "Lann Vras", "Le Clos du Roy", "Montplaisir",
              "La Rivière", "Les Combes", "Le Mas Blanc", "Pont-Coz", "Kervenny"]
STREET_TYPES = ["rue", "rue", "rue", "rue", "avenue", "av.", "boulevard", "bd", "place", "impasse", "allée",
                "chemin", "route", "quai", "cours", "square", "passage", "sentier", "rond-point", "faubourg",
                "lotissement", "cité", "esplanade", "promenade", "montée", "traverse", "venelle", "ruelle",
                "mail", "voie", "résidence", "hameau", "Rue", "Avenue", "Bd", "Allée", "Chemin", "bld", "pl.",
                "imp.", "rte", "chem.", "Impasse", "Place", "Quai"]
NUM_SUFFIX = ["bis", "ter", "quater", "B", "bis", "ter", "A"]

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
MONTHS_ABBR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
               "nov.", "déc."]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

EMAIL_DOMAINS = ["gmail.com", "orange.fr", "free.fr", "wanadoo.fr", "laposte.net", "hotmail.fr", "yahoo.fr",
                 "sfr.fr", "icloud.com", "outlook.fr", "live.fr", "bbox.fr", "neuf.fr", "protonmail.com"]

# INSEE-like country codes for NIRs of people born abroad (dept 99).
COUNTRY_CODES = {"Algérie": "352", "Tunisie": "351", "Maroc": "350", "Mali": "335", "Sénégal": "341",
                 "Côte d'Ivoire": "326", "RDC": "312", "Congo": "324", "Cameroun": "322", "Guinée": "330",
                 "Burkina Faso": "331", "Madagascar": "333", "Comores": "397", "Portugal": "139",
                 "Vietnam": "243", "Chine": "216", "Turquie": "208", "Pologne": "122", "Arménie": "252",
                 "Roumanie": "114", "Cambodge": "234", "Laos": "241", "Haïti": "432", "Géorgie": "255",
                 "Afghanistan": "212", "Sri Lanka": "235", "Ukraine": "155", "Italie": "127", "Espagne": "134"}


def strip_accents(s: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", s)
                                                if unicodedata.category(c) != "Mn"))


def fold(s: str) -> str:
    return strip_accents(s).lower()


def slug(s: str, sep: str = ".") -> str:
    s = fold(s).replace("'", "").replace("’", "")
    s = re.sub(r"[^a-z0-9]+", sep, s)
    return s.strip(sep)


def fr_num(x: float, dec: int) -> str:
    s = f"{x:.{dec}f}"
    return s.replace(".", ",")


# --------------------------------------------------------------------------------------
# Check digits
# --------------------------------------------------------------------------------------
def luhn_digit(payload: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(num: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def nir_key(first13: str) -> int:
    return 97 - int(first13.replace("2A", "19").replace("2B", "18")) % 97


def iban_check(country: str, bban: str) -> str:
    s = bban + country + "00"
    num = "".join(str(int(c, 36)) for c in s)
    return f"{98 - int(num) % 97:02d}"


def iban_ok(iban: str) -> bool:
    s = iban.replace(" ", "")
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


_RIB_LETTERS = {c: str(v) for v, letters in ((1, "AJ"), (2, "BKS"), (3, "CLT"), (4, "DMU"), (5, "ENV"),
                                             (6, "FOW"), (7, "GPX"), (8, "HQY"), (9, "IRZ"))
                for c in letters}


def rib_key(bank: str, branch: str, account: str) -> str:
    acc = "".join(_RIB_LETTERS.get(c, c) for c in account)
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acc)) % 97:02d}"


# --------------------------------------------------------------------------------------
# Medical content. [[...]] marks KEEP spans. {e} = feminine agreement ("e" or ""),
# {il}/{Il} = pronoun, {P} = short mention of the patient (title + surname).
# --------------------------------------------------------------------------------------
LABS = {
    # key: (long name, short name, unit, low, high, decimals, reference)
    "hb": ("Hémoglobine", "Hb", "g/dL", 7.2, 16.8, 1, "13,0 – 17,0"),
    "leuco": ("Leucocytes", "leucocytes", "G/L", 2.4, 23.0, 1, "4,0 – 10,0"),
    "plq": ("Plaquettes", "plaquettes", "G/L", 42, 540, 0, "150 – 400"),
    "pnn": ("Polynucléaires neutrophiles", "PNN", "G/L", 0.3, 18.0, 1, "1,8 – 7,5"),
    "na": ("Sodium", "natrémie", "mmol/L", 121, 147, 0, "136 – 145"),
    "k": ("Potassium", "kaliémie", "mmol/L", 2.9, 6.6, 1, "3,5 – 5,0"),
    "creat": ("Créatinine", "créatinine", "µmol/L", 48, 480, 0, "59 – 104"),
    "dfg": ("DFG (CKD-EPI)", "DFG", "mL/min/1,73 m²", 11, 112, 0, "> 90"),
    "uree": ("Urée", "urée", "mmol/L", 2.4, 34.0, 1, "2,5 – 7,5"),
    "crp": ("Protéine C réactive", "CRP", "mg/L", 1, 320, 0, "< 5"),
    "pct": ("Procalcitonine", "PCT", "µg/L", 0.05, 35.0, 2, "< 0,50"),
    "tropo": ("Troponine I hypersensible", "troponine", "ng/L", 3, 4800, 0, "< 34"),
    "bnp": ("NT-proBNP", "NT-proBNP", "pg/mL", 85, 19000, 0, "< 300"),
    "inr": ("INR", "INR", "", 0.9, 4.9, 1, "2,0 – 3,0 si AVK"),
    "tp": ("Taux de prothrombine", "TP", "%", 22, 100, 0, "70 – 100"),
    "asat": ("ASAT", "ASAT", "UI/L", 12, 480, 0, "< 35"),
    "alat": ("ALAT", "ALAT", "UI/L", 9, 620, 0, "< 45"),
    "ggt": ("Gamma-GT", "GGT", "UI/L", 11, 900, 0, "< 55"),
    "pal": ("Phosphatases alcalines", "PAL", "UI/L", 35, 620, 0, "40 – 130"),
    "bili": ("Bilirubine totale", "bilirubine totale", "µmol/L", 4, 190, 0, "< 17"),
    "alb": ("Albumine", "albumine", "g/L", 17, 47, 0, "35 – 50"),
    "lip": ("Lipase", "lipase", "UI/L", 10, 2600, 0, "< 60"),
    "gly": ("Glycémie à jeun", "glycémie", "mmol/L", 3.1, 22.5, 1, "4,1 – 5,9"),
    "hba1c": ("Hémoglobine glyquée", "HbA1c", "%", 5.2, 13.8, 1, "< 6,0"),
    "tsh": ("TSH ultrasensible", "TSH", "mUI/L", 0.01, 48.0, 2, "0,27 – 4,20"),
    "t4l": ("T4 libre", "T4L", "pmol/L", 5.0, 48.0, 1, "12,0 – 22,0"),
    "ferr": ("Ferritine", "ferritine", "µg/L", 5, 1800, 0, "30 – 400"),
    "vitd": ("25-OH vitamine D", "vitamine D", "nmol/L", 12, 120, 0, "75 – 250"),
    "ldh": ("LDH", "LDH", "UI/L", 150, 1700, 0, "< 250"),
    "psa": ("PSA total", "PSA", "ng/mL", 0.3, 48.0, 1, "< 4,0"),
    "li": ("Lithémie", "lithémie", "mmol/L", 0.3, 1.6, 2, "0,50 – 0,80"),
    "bhcg": ("β-hCG plasmatiques", "β-hCG", "UI/L", 5, 95000, 0, "< 5"),
    "ddim": ("D-dimères", "D-dimères", "µg/L", 190, 8500, 0, "< 500"),
    "lact": ("Lactates", "lactates", "mmol/L", 0.6, 8.5, 1, "0,5 – 2,2"),
    "ph": ("pH artériel", "pH", "", 7.12, 7.52, 2, "7,38 – 7,42"),
    "pco2": ("PaCO2", "PaCO2", "mmHg", 28, 86, 0, "35 – 45"),
    "vs": ("Vitesse de sédimentation", "VS", "mm", 4, 112, 0, "< 20"),
    "uric": ("Acide urique", "uricémie", "µmol/L", 150, 720, 0, "200 – 420"),
    "ldl": ("LDL-cholestérol", "LDL-c", "g/L", 0.42, 2.45, 2, "< 1,00"),
    "ck": ("Créatine kinase", "CPK", "UI/L", 30, 12000, 0, "< 190"),
    "ca": ("Calcium corrigé", "calcémie", "mmol/L", 1.9, 3.4, 2, "2,20 – 2,60"),
    "ac_acpa": ("Anticorps anti-CCP", "anti-CCP", "U/mL", 0.5, 340, 1, "< 7"),
}

DRUGS = {
    # (name + dose, posology list)
    "cardio": [("Kardégic 75 mg", ["1 sachet le midi", "1/j"]), ("Eliquis 5 mg", ["1 cp matin et soir", "2/j"]),
               ("Bisoprolol 2,5 mg", ["1 cp le matin"]), ("Lasilix 40 mg", ["1 cp le matin", "2 cp le matin"]),
               ("Entresto 49/51 mg", ["1 cp matin et soir"]), ("Atorvastatine 80 mg", ["1 cp le soir"]),
               ("Brilique 90 mg", ["1 cp matin et soir pendant 12 mois"]), ("Ramipril 5 mg", ["1 cp le matin"]),
               ("Cordarone 200 mg", ["1 cp par jour 5 jours sur 7"]), ("Aldactone 25 mg", ["1 cp le matin"]),
               ("Xarelto 20 mg", ["1 cp au dîner"]), ("Amlodipine 5 mg", ["1 cp le matin"]),
               ("Natispray 0,15 mg", ["1 pulvérisation si douleur thoracique"]), ("Furosémide 40 mg", ["1 cp le matin"])],
    "pneumo": [("Spiriva 18 µg", ["1 inhalation le matin"]), ("Symbicort 200/6 µg", ["2 inhalations matin et soir"]),
               ("Ventoline 100 µg", ["2 bouffées si gêne respiratoire"]), ("Augmentin 1 g", ["1 cp 3 fois par jour pendant 7 jours"]),
               ("Rocéphine 1 g", ["1 injection IV par jour"]), ("Innohep 14 000 UI", ["1 injection SC par jour"]),
               ("Solupred 40 mg", ["1 cp le matin pendant 5 jours"]), ("Azithromycine 250 mg", ["1 cp 3 fois par semaine"]),
               ("Rovamycine 3 MUI", ["1 cp 3 fois par jour"])],
    "neuro": [("Modopar 125 mg", ["1 gélule 3 fois par jour"]), ("Keppra 500 mg", ["1 cp matin et soir"]),
              ("Plavix 75 mg", ["1 cp le midi"]), ("Aricept 10 mg", ["1 cp le soir"]), ("Sinemet 100 mg", ["1 cp 4 fois par jour"]),
              ("Lamictal 100 mg", ["1 cp matin et soir"]), ("Tégrétol LP 200 mg", ["1 cp matin et soir"]),
              ("Requip LP 4 mg", ["1 cp le matin"]), ("Laroxyl 25 mg", ["10 gouttes le soir"])],
    "gastro": [("Inexium 40 mg", ["1 cp le matin à jeun"]), ("Pentasa 1 g", ["2 sachets matin et soir"]),
               ("Humira 40 mg", ["1 injection SC tous les 14 jours"]), ("Aldactone 75 mg", ["1 cp le matin"]),
               ("Duphalac 10 g", ["1 sachet 3 fois par jour"]), ("Avlocardyl 40 mg", ["1/2 cp matin et soir"]),
               ("Tazocilline 4 g", ["1 injection IV toutes les 8 heures"]), ("Créon 25 000 U", ["1 gélule à chaque repas"]),
               ("Spasfon 80 mg", ["2 cp si douleur"])],
    "rhumato": [("Méthotrexate 15 mg", ["1 injection SC par semaine, le lundi"]), ("Speciafoldine 5 mg", ["1 cp le surlendemain du méthotrexate"]),
                ("Cortancyl 20 mg", ["1 cp le matin, décroissance selon schéma"]), ("Colchicine 1 mg", ["1 cp par jour"]),
                ("Zyloric 100 mg", ["1 cp par jour"]), ("Humira 40 mg", ["1 injection SC toutes les 2 semaines"]),
                ("Salazopyrine 500 mg", ["2 cp matin et soir"]), ("Plaquenil 200 mg", ["1 cp matin et soir"])],
    "endoc": [("Metformine 850 mg", ["1 cp matin et soir au milieu du repas"]), ("Lantus 20 UI", ["1 injection SC le soir"]),
              ("Novorapid 6 UI", ["avant chaque repas selon protocole"]), ("Trulicity 1,5 mg", ["1 injection SC par semaine"]),
              ("Levothyrox 75 µg", ["1 cp le matin à jeun"]), ("Néomercazole 20 mg", ["1 cp matin et soir"]),
              ("Hydrocortisone 20 mg", ["1 cp le matin et 1/2 cp à midi"]), ("Jardiance 10 mg", ["1 cp le matin"]),
              ("Ozempic 0,5 mg", ["1 injection SC par semaine"])],
    "geria": [("Doliprane 1 g", ["1 cp toutes les 6 heures si douleur", "max 3/j"]), ("Forlax 10 g", ["1 sachet le matin"]),
              ("Uvédose 100 000 UI", ["1 ampoule tous les 3 mois"]), ("Seresta 10 mg", ["1/2 cp le soir si angoisse"]),
              ("Donépézil 5 mg", ["1 cp le soir"]), ("Lovenox 4000 UI", ["1 injection SC par jour"]),
              ("Calcidose 500 mg", ["1 sachet par jour"]), ("Mirtazapine 15 mg", ["1 cp le soir"])],
    "ortho": [("Lovenox 4000 UI", ["1 injection SC par jour pendant 35 jours"]), ("Acupan 20 mg", ["1 ampoule IV toutes les 6 heures"]),
              ("Tramadol 50 mg", ["1 gélule toutes les 6 heures si EVA > 4"]), ("Doliprane 1 g", ["1 cp toutes les 6 heures"]),
              ("Ixprim 37,5 mg/325 mg", ["1 à 2 cp 3 fois par jour"]), ("Kétoprofène 100 mg", ["1 cp matin et soir pendant 5 jours"]),
              ("Céfazoline 2 g", ["IV à l'induction"]), ("Oxynorm 5 mg", ["1 gélule si douleur, max 6/j"])],
    "onco": [("Zophren 8 mg", ["1 cp matin et soir pendant 3 jours"]), ("Emend 125 mg", ["1 gélule à J1"]),
             ("Solumédrol 40 mg", ["IV avant la chimiothérapie"]), ("Xeloda 500 mg", ["3 cp matin et soir 14 jours sur 21"]),
             ("Tamoxifène 20 mg", ["1 cp par jour"]), ("Valaciclovir 500 mg", ["1 cp matin et soir"]),
             ("Bactrim Forte 800 mg/160 mg", ["1 cp le lundi, mercredi et vendredi"]), ("Skenan LP 30 mg", ["1 gélule matin et soir"]),
             ("Actiskenan 10 mg", ["1 gélule si accès douloureux"])],
    "gyneco": [("Spasfon 80 mg", ["2 cp si douleur"]), ("Tardyferon 80 mg", ["1 cp par jour pendant 3 mois"]),
               ("Speciafoldine 0,4 mg", ["1 cp par jour"]), ("Lovenox 4000 UI", ["1 injection SC par jour pendant 6 semaines"]),
               ("Trandate 200 mg", ["1 cp matin et soir"]), ("Loxen LP 50 mg", ["1 gélule matin et soir"]),
               ("Antadys 100 mg", ["1 cp 3 fois par jour"]), ("Duphaston 10 mg", ["1 cp matin et soir du 16e au 25e jour"])],
    "nephro": [("Xatral LP 10 mg", ["1 cp le soir"]), ("Omix LP 0,4 mg", ["1 gélule le soir"]), ("Kayexalate 15 g", ["1 mesure par jour"]),
               ("Aranesp 40 µg", ["1 injection SC toutes les 2 semaines"]), ("Calcidia 1,54 g", ["1 sachet 3 fois par jour"]),
               ("Renvela 800 mg", ["1 cp à chaque repas"]), ("Bicarbonate de sodium 1 g", ["1 gélule 3 fois par jour"]),
               ("Profénid 100 mg", ["1 suppositoire si colique néphrétique"])],
    "psy": [("Séroplex 10 mg", ["1 cp le matin"]), ("Téralithe LP 400 mg", ["1 cp le soir"]), ("Abilify 10 mg", ["1 cp le matin"]),
            ("Risperdal 2 mg", ["1 cp matin et soir"]), ("Loxapac 50 mg", ["si agitation, max 3/j"]), ("Seresta 10 mg", ["1 cp 3 fois par jour"]),
            ("Imovane 7,5 mg", ["1 cp au coucher"]), ("Tercian 25 mg", ["1 cp le soir"]), ("Deroxat 20 mg", ["1 cp le matin"])],
    "pedia": [("Doliprane 2,4 % suspension", ["1 dose-poids toutes les 6 heures"]), ("Amoxicilline 500 mg", ["1 sachet 3 fois par jour"]),
              ("Célestène 0,05 %", ["10 gouttes/kg en 1 prise pendant 3 jours"]), ("Ventoline 100 µg", ["4 bouffées avec chambre d'inhalation"]),
              ("Adiaril", ["à volonté, en petites quantités"]), ("Uvesterol D 1500 UI/mL", ["1 dose par jour"]),
              ("Josacine 250 mg", ["1 dose-poids matin et soir"])],
}

SPECIALTIES = {
    "cardio": dict(
        service=["Service de cardiologie", "Cardiologie – Unité de soins intensifs cardiologiques", "Service de cardiologie et maladies vasculaires",
                 "Pôle cardio-vasculaire – Cardiologie", "Unité de rythmologie"],
        spec="cardiologue",
        atcd=["HTA traitée depuis 2008", "dyslipidémie", "[[syndrome de Wolff-Parkinson-White]] ablaté dans l'enfance",
              "angioplastie de l'IVA avec stent actif", "[[tétralogie de Fallot]] opérée à l'âge de 4 ans", "tabagisme sevré (30 PA)",
              "diabète de type 2 non insulinoréquérant", "[[maladie de Kawasaki]] dans l'enfance, sans anévrisme coronaire"],
        labs=["tropo", "bnp", "k", "creat", "hb", "inr", "ldl"],
        drugs="cardio",
        cases=[
            dict(motif="une décompensation cardiaque globale",
                 hist="{P} signale une dyspnée d'effort d'aggravation progressive depuis trois semaines, avec orthopnée et œdèmes des membres inférieurs.",
                 exam="Turgescence jugulaire, reflux hépato-jugulaire, crépitants aux deux bases. [[signe de Harzer]] présent.",
                 img=("Échographie cardiaque transthoracique", "FEVG estimée à 35 % ([[Simpson biplan]]), hypokinésie antérieure, pas d'épanchement péricardique."),
                 concl="Insuffisance cardiaque à FEVG altérée d'origine ischémique", proc=None),
            dict(motif="un syndrome coronarien aigu ST+ inférieur",
                 hist="Douleur thoracique constrictive apparue au repos, irradiant dans le bras gauche, résistante à la [[Natispray 0,15 mg]].",
                 exam="Auscultation cardiaque normale, pas de souffle, pas de signe d'insuffisance cardiaque ([[Killip I]]).",
                 img=("Coronarographie", "occlusion de la coronaire droite moyenne traitée par angioplastie et stent actif, bon résultat."),
                 concl="Syndrome coronarien aigu ST+ revascularisé", proc="Angioplastie de la coronaire droite avec pose d'un stent actif par voie radiale droite",
                 install="Décubitus dorsal, bras droit en abduction.", approach="Ponction de l'artère radiale droite, désilet 6F."),
            dict(motif="une fibrillation atriale rapide mal tolérée",
                 hist="Palpitations depuis 48 heures, sans syncope. Pas de douleur thoracique. Score CHA2DS2-VASc évalué à 4.",
                 exam="Rythme irrégulier à 140/min, pas de souffle. [[manœuvre de Valsalva]] inefficace.",
                 img=("Holter ECG des 24 heures", "fibrillation atriale permanente, fréquence moyenne 92/min, pauses maximales de 2,1 secondes."),
                 concl="Fibrillation atriale paroxystique, anticoagulation introduite", proc="Ablation de flutter atrial par radiofréquence",
                 install="Décubitus dorsal, sédation consciente.", approach="Double ponction veineuse fémorale droite."),
            dict(motif="un malaise avec perte de connaissance brève",
                 hist="{Il} a présenté un malaise à l'emporte-pièce, avec chute et traumatisme crânien sans perte de connaissance prolongée.",
                 exam="Bradycardie à 36/min, pas de déficit neurologique, hématome frontal.",
                 img=("Électrocardiogramme", "bloc atrio-ventriculaire complet, échappement à QRS larges."),
                 concl="Bloc atrio-ventriculaire complet appareillé par stimulateur double chambre",
                 proc="Pose de stimulateur cardiaque double chambre par voie céphalique gauche",
                 install="Décubitus dorsal, champ sous-claviculaire gauche.", approach="Incision sous-claviculaire gauche de 5 cm, dénudation de la veine céphalique."),
        ]),
    "pneumo": dict(
        service=["Service de pneumologie", "Pneumologie – Unité de soins continus respiratoires", "Service des maladies respiratoires",
                 "Pôle thorax – Pneumologie"],
        spec="pneumologue",
        atcd=["BPCO stade GOLD 3, VEMS à 42 % de la théorique", "tuberculose pulmonaire traitée en 1998 ([[bacille de Koch]] sensible)",
              "syndrome d'apnées obstructives du sommeil appareillé", "asthme allergique depuis l'enfance", "[[syndrome de Pickwick]]",
              "exposition professionnelle à l'amiante (docker)"],
        labs=["ph", "pco2", "crp", "pct", "ddim", "leuco", "hb"],
        drugs="pneumo",
        cases=[
            dict(motif="une exacerbation de BPCO",
                 hist="{P} décrit une majoration de la dyspnée et des expectorations purulentes depuis cinq jours.",
                 exam="Sibilants diffus, tirage sus-claviculaire, polypnée à 26/min.",
                 img=("Scanner thoracique", "emphysème centrolobulaire prédominant aux apex, pas de foyer, pas d'embolie."),
                 concl="Exacerbation de BPCO d'origine infectieuse", proc=None),
            dict(motif="une pneumopathie aiguë communautaire",
                 hist="Toux fébrile depuis trois jours, frissons, altération de l'état général. [[score de Fine]] classe III.",
                 exam="Crépitants en foyer à droite, matité de la base droite.",
                 img=("Radiographie thoracique de face", "opacité alvéolaire du lobe inférieur droit avec bronchogramme aérique."),
                 concl="Pneumopathie franche lobaire aiguë", proc=None),
            dict(motif="une embolie pulmonaire bilatérale",
                 hist="Douleur basithoracique droite d'apparition brutale, avec dyspnée. [[score de Wells]] à 6.",
                 exam="Tachycardie à 112/min, mollet gauche inflammatoire, [[signe de Homans]] positif.",
                 img=("Angioscanner thoracique", "embolie pulmonaire bilatérale proximale, rapport VD/VG à 1,1."),
                 concl="Embolie pulmonaire bilatérale sans signe de gravité", proc=None),
            dict(motif="une pleurésie droite",
                 hist="Dyspnée d'effort progressive et amaigrissement de 5 kg chez un ancien docker exposé à l'amiante.",
                 exam="Matité de la base droite, abolition du murmure vésiculaire. Hippocratisme digital.",
                 img=("Scanner thoracique", "épanchement pleural droit de moyenne abondance, épaississement pleural nodulaire, plaques pleurales calcifiées."),
                 concl="Pleurésie droite exsudative, biopsies pleurales en cours d'analyse",
                 proc="Thoracoscopie droite avec biopsies pleurales et talcage",
                 install="Décubitus latéral gauche, billot sous le thorax.", approach="Incision de 2 cm sur la ligne axillaire moyenne, 5e espace intercostal."),
        ]),
    "neuro": dict(
        service=["Service de neurologie", "Unité neurovasculaire", "Neurologie – Unité des mouvements anormaux", "Service de neurologie et d'épileptologie"],
        spec="neurologue",
        atcd=["[[maladie de Parkinson]] diagnostiquée en 2012", "épilepsie temporale droite", "[[maladie d'Alzheimer]] à un stade modéré",
              "migraine avec aura", "AIT en 2016", "[[chorée de Huntington]] chez le père"],
        labs=["crp", "gly", "na", "hb", "inr", "creat"],
        drugs="neuro",
        cases=[
            dict(motif="un AVC ischémique sylvien gauche",
                 hist="Installation brutale d'une hémiparésie droite et d'une aphasie, dernière fois vu{e} normal{e} à 7h30.",
                 exam="[[signe de Babinski]] à droite, hémiparésie droite cotée 3/5, [[manœuvre de Barré]] positive à droite. NIHSS 9.",
                 img=("IRM cérébrale", "hypersignal diffusion cortico-sous-cortical sylvien gauche, occlusion M1 gauche, [[polygone de Willis]] par ailleurs perméable."),
                 concl="AVC ischémique sylvien gauche thrombolysé, [[échelle de Rankin]] modifiée à 2 à la sortie",
                 proc="Thrombectomie mécanique de l'artère sylvienne gauche", install="Décubitus dorsal, anesthésie générale.",
                 approach="Ponction fémorale droite, désilet 8F, cathéter porteur en carotide interne gauche."),
            dict(age=(16, 60), motif="une crise convulsive inaugurale",
                 hist="{P} a présenté une crise tonico-clonique généralisée devant témoin, avec morsure latérale de langue.",
                 exam="[[Glasgow 15]], pas de déficit, pas de raideur méningée.",
                 img=("Électroencéphalogramme", "pointes-ondes temporales droites, pas d'état de mal."),
                 concl="Épilepsie temporale, premier traitement antiépileptique", proc=None),
            dict(motif="une aggravation d'une [[maladie de Parkinson]]",
                 hist="Majoration des fluctuations motrices et des dyskinésies malgré l'augmentation du [[Modopar 125 mg]].",
                 exam="Tremblement de repos de la main droite, rigidité en roue dentée, freezing à la marche.",
                 img=("Scanner cérébral sans injection", "atrophie cortico-sous-corticale modérée, pas de lésion focale."),
                 concl="[[maladie de Parkinson]] évoluée avec fluctuations motrices", proc=None),
            dict(motif="un [[syndrome de Guillain-Barré]]",
                 hist="Paresthésies ascendantes des quatre membres depuis dix jours, précédées d'une diarrhée.",
                 exam="Aréflexie ostéotendineuse diffuse, déficit moteur distal coté 4/5, [[signe de Lasègue]] négatif.",
                 img=("Électroneuromyogramme", "polyradiculonévrite démyélinisante avec blocs de conduction."),
                 concl="[[syndrome de Guillain-Barré]] traité par immunoglobulines IV", proc=None),
        ]),
    "gastro": dict(
        service=["Service d'hépato-gastro-entérologie", "Gastro-entérologie – Unité d'endoscopie", "Service de chirurgie digestive",
                 "Hépatologie"],
        spec="gastro-entérologue",
        atcd=["[[maladie de Crohn]] iléo-colique depuis 2009", "cirrhose éthylique [[Child-Pugh B8]]", "ulcère duodénal en 2015",
              "[[diverticule de Meckel]] réséqué dans l'enfance", "hépatite C guérie", "[[maladie de Wilson]] chez un frère"],
        labs=["asat", "alat", "ggt", "bili", "alb", "tp", "lip", "crp", "hb"],
        drugs="gastro",
        cases=[
            dict(motif="une cholécystite aiguë lithiasique",
                 hist="Douleurs de l'hypochondre droit fébriles depuis 48 heures. [[signe de Murphy]] positif aux urgences.",
                 exam="Défense de l'hypochondre droit, pas d'ictère.",
                 img=("Échographie abdominale", "vésicule lithiasique à paroi épaissie à 6 mm, pas de dilatation des voies biliaires."),
                 concl="Cholécystite aiguë lithiasique", proc="Cholécystectomie par cœlioscopie",
                 install="Décubitus dorsal, jambes écartées, opérateur entre les jambes.", approach="Open cœlioscopie ombilicale, trois trocarts."),
            dict(motif="une poussée de [[maladie de Crohn]]",
                 hist="Diarrhée glairo-sanglante à 8 selles par jour, douleurs de la fosse iliaque droite.",
                 exam="Empâtement de la fosse iliaque droite, fistule anale en regard de 5 heures.",
                 img=("Entéro-IRM", "épaississement de la dernière anse iléale sur 15 cm avec sténose sans dilatation d'amont."),
                 concl="Poussée sévère de [[maladie de Crohn]] iléale", proc="Résection iléo-cæcale par cœlioscopie",
                 install="Décubitus dorsal, bras gauche le long du corps.", approach="Cœlioscopie, quatre trocarts, extraction par incision de Pfannenstiel."),
            dict(motif="une hémorragie digestive haute",
                 hist="Hématémèse de sang rouge après des efforts de vomissements ([[syndrome de Mallory-Weiss]] évoqué). [[score de Glasgow-Blatchford]] à 9.",
                 exam="Pâleur cutanéo-muqueuse, toucher rectal : méléna.",
                 img=("Fibroscopie œso-gastro-duodénale", "ulcère bulbaire [[Forrest IIa]], varices œsophagiennes grade 2."),
                 concl="Hémorragie digestive haute sur ulcère bulbaire", proc=None),
            dict(motif="une décompensation œdémato-ascitique de cirrhose",
                 hist="Augmentation du périmètre abdominal et prise de 6 kg en deux semaines.",
                 exam="Abdomen distendu, matité des flancs, circulation veineuse collatérale, astérixis.",
                 img=("Échographie abdominale", "foie dysmorphique à contours bosselés, ascite de grande abondance, tronc porte perméable."),
                 concl="Décompensation ascitique de cirrhose [[Child-Pugh B8]]", proc=None),
        ]),
    "rhumato": dict(
        service=["Service de rhumatologie", "Rhumatologie – Hôpital de jour", "Service de rhumatologie et de médecine interne"],
        spec="rhumatologue",
        atcd=["polyarthrite rhumatoïde séropositive depuis 2011", "[[maladie de Paget]] osseuse du bassin", "[[syndrome de Gougerot-Sjögren]]",
              "ostéoporose fracturaire", "[[maladie de Dupuytren]] bilatérale", "[[maladie de Still]] de l'adulte"],
        labs=["vs", "crp", "ac_acpa", "uric", "ca", "creat", "hb"],
        drugs="rhumato",
        cases=[
            dict(motif="une suspicion de [[maladie de Horton]]",
                 hist="Céphalées temporales, claudication de la mâchoire et altération de l'état général depuis un mois.",
                 exam="Artères temporales indurées, non pulsatiles, hyperesthésie du cuir chevelu.",
                 img=("Échographie des artères temporales", "signe du halo bilatéral."),
                 concl="[[maladie de Horton]] confirmée par biopsie de l'artère temporale",
                 proc="Biopsie de l'artère temporale droite", install="Décubitus dorsal, tête tournée à gauche, anesthésie locale.",
                 approach="Repérage écho-Doppler, incision de 3 cm en regard de l'artère."),
            dict(motif="une polyarthrite rhumatoïde active",
                 hist="Polyarthrite des mains et des poignets avec dérouillage matinal de deux heures.",
                 exam="Synovites des 2e et 3e MCP bilatérales, DAS28 à 5,1.",
                 img=("Radiographies des mains et des pieds", "érosions des 5e têtes métatarsiennes, pincement radio-carpien."),
                 concl="Polyarthrite rhumatoïde active, méthotrexate introduit", proc=None),
            dict(motif="une lombosciatique L5 droite hyperalgique",
                 hist="Douleur radiculaire L5 droite impulsive à la toux, résistante aux antalgiques de palier 2.",
                 exam="[[signe de Lasègue]] à 30° à droite, déficit du releveur de l'hallux coté 4/5.",
                 img=("IRM du rachis lombaire", "hernie discale L4-L5 postéro-latérale droite au contact de la racine L5."),
                 concl="Lombosciatique discale L5 droite", proc="Infiltration épidurale L4-L5 sous scopie",
                 install="Décubitus ventral, coussin sous l'abdomen.", approach="Abord interlamaire L4-L5 sous contrôle scopique."),
            dict(motif="une sécheresse oculo-buccale",
                 hist="Sécheresse buccale et oculaire, parotidomégalie bilatérale, [[test de Schirmer]] à 3 mm à 5 minutes.",
                 exam="Parotides augmentées de volume, purpura pétéchial des membres inférieurs.",
                 img=("Échographie des glandes salivaires", "glandes hétérogènes, aspect en « nid d'abeille »."),
                 concl="[[syndrome de Gougerot-Sjögren]] primitif", proc=None),
        ]),
    "endoc": dict(
        service=["Service d'endocrinologie, diabétologie et nutrition", "Diabétologie – Hôpital de jour", "Endocrinologie"],
        spec="endocrinologue",
        atcd=["[[thyroïdite de Hashimoto]]", "diabète de type 1 depuis l'âge de 12 ans", "[[maladie d'Addison]] substituée",
              "obésité (IMC 41 kg/m²)", "[[maladie de Basedow]] traitée par iode radioactif en 2010", "rétinopathie diabétique"],
        labs=["gly", "hba1c", "tsh", "t4l", "na", "k", "creat"],
        drugs="endoc",
        cases=[
            dict(motif="un diabète de type 2 déséquilibré",
                 hist="Polyuro-polydipsie et perte de 7 kg en un mois.",
                 exam="Pieds : monofilament perçu, pas de plaie. Acanthosis nigricans axillaire.",
                 img=("Fond d'œil", "rétinopathie diabétique non proliférante minime."),
                 concl="Diabète de type 2 déséquilibré, insulinothérapie basale introduite", proc=None),
            dict(motif="une [[maladie de Basedow]]",
                 hist="Palpitations, thermophobie et amaigrissement, exophtalmie bilatérale.",
                 exam="Goitre diffus homogène, souffle thyroïdien, tremblement fin des extrémités.",
                 img=("Scintigraphie thyroïdienne", "hyperfixation diffuse et homogène."),
                 concl="[[maladie de Basedow]], antithyroïdiens de synthèse", proc="Thyroïdectomie totale",
                 install="Décubitus dorsal, billot sous les épaules, tête en extension.", approach="Cervicotomie transverse de [[Kocher]] de 5 cm."),
            dict(motif="une insuffisance surrénale aiguë ([[maladie d'Addison]])",
                 hist="Asthénie majeure, mélanodermie et hypotension orthostatique.",
                 exam="Mélanodermie des plis palmaires, taches ardoisées de la muqueuse buccale.",
                 img=("Scanner des surrénales", "surrénales atrophiques, pas de calcification."),
                 concl="Insuffisance surrénale primitive ([[maladie d'Addison]])", proc=None),
            dict(motif="le bilan d'un [[syndrome de Cushing]]",
                 hist="Prise de poids facio-tronculaire, hypertension artérielle récente et ecchymoses spontanées.",
                 exam="Vergetures pourpres, amyotrophie proximale, bosse de bison.",
                 img=("Scanner des surrénales", "adénome surrénalien gauche de 22 mm, densité spontanée 8 UH."),
                 concl="[[syndrome de Cushing]] ACTH-indépendant sur adénome surrénalien gauche", proc="Surrénalectomie gauche par cœlioscopie",
                 install="Décubitus latéral droit, billot sous le flanc.", approach="Cœlioscopie transpéritonéale, quatre trocarts."),
        ]),
    "geria": dict(
        service=["Service de gériatrie aiguë", "Court séjour gériatrique", "Soins de suite et de réadaptation gériatriques", "Unité de gériatrie"],
        spec="gériatre",
        atcd=["[[maladie d'Alzheimer]] à un stade modéré", "[[maladie de Parkinson]]", "fracture du col fémoral droit en 2017",
              "cardiopathie hypertensive", "[[syndrome de Diogène]] signalé par le voisinage", "cataracte bilatérale opérée"],
        labs=["alb", "na", "vitd", "creat", "crp", "hb", "tsh"],
        drugs="geria",
        cases=[
            dict(motif="des chutes à répétition",
                 hist="{P} est retrouvé{e} au sol par l'aide à domicile, sans pouvoir préciser la durée de la chute.",
                 exam="[[test de Tinetti]] à 16/28, [[Timed Up and Go]] à 24 secondes, hypotension orthostatique.",
                 img=("Radiographie du bassin", "pas de fracture, coxarthrose bilatérale."),
                 concl="Chutes multifactorielles", proc=None),
            dict(motif="un syndrome confusionnel aigu",
                 hist="Désorientation temporo-spatiale fluctuante depuis trois jours, inversion du rythme nycthéméral.",
                 exam="[[MMS 18/30]], [[test de l'horloge]] pathologique, globe vésical.",
                 img=("Échographie vésicale", "résidu post-mictionnel de 350 mL."),
                 concl="Syndrome confusionnel sur rétention aiguë d'urine", proc=None),
            dict(motif="une dénutrition protéino-énergétique sévère",
                 hist="Perte de 8 kg en six mois, prises alimentaires réduites de moitié.",
                 exam="[[échelle de Norton]] à 12, escarre talonnière gauche de stade 2, fonte musculaire.",
                 img=("Scanner abdominal", "pas de lésion tumorale, sarcopénie."),
                 concl="Dénutrition sévère (albumine < 30 g/L)", proc=None),
            dict(motif="un syndrome de glissement",
                 hist="Refus alimentaire et repli depuis le décès de son conjoint.",
                 exam="[[échelle de Braden]] à 13 : matelas à air mis en place. Mutisme, opposition aux soins.",
                 img=("Scanner cérébral", "atrophie cortico-sous-corticale, leucoaraïose, pas de lésion récente."),
                 concl="Troubles neurocognitifs majeurs de type [[maladie d'Alzheimer]], syndrome de glissement", proc=None),
        ]),
    "ortho": dict(
        service=["Service de chirurgie orthopédique et traumatologique", "Orthopédie – Traumatologie", "Chirurgie de la main et du membre supérieur",
                 "Service de chirurgie du rachis"],
        spec="chirurgien orthopédiste",
        atcd=["prothèse totale de hanche gauche en 2015", "[[maladie de Dupuytren]] opérée", "ostéoporose",
              "[[fracture de Pouteau-Colles]] ancienne", "hallux valgus bilatéral", "lombalgies chroniques"],
        labs=["hb", "plq", "inr", "creat", "crp"],
        drugs="ortho",
        cases=[
            dict(age=(70, 99), motif="une fracture du col fémoral gauche [[Garden IV]]",
                 hist="Chute de sa hauteur à domicile avec impotence fonctionnelle totale du membre inférieur gauche.",
                 exam="Raccourcissement et rotation externe du membre inférieur gauche. Pouls distaux perçus.",
                 img=("Radiographie du bassin et de la hanche gauche", "fracture cervicale vraie déplacée, [[classification de Garden]] type IV."),
                 concl="Fracture du col fémoral traitée par prothèse intermédiaire",
                 proc="Prothèse intermédiaire de hanche gauche cimentée", install="Décubitus latéral droit, appuis pubien et sacré.",
                 approach="Abord postéro-latéral de [[Moore]]."),
            dict(age=(55, 90), motif="une coxarthrose droite évoluée",
                 hist="Douleurs mécaniques de hanche avec périmètre de marche limité à 200 mètres.",
                 exam="Flessum de hanche à 10°, rotation interne nulle, boiterie d'esquive.",
                 img=("Radiographie du bassin de face", "pincement complet de l'interligne coxo-fémoral droit, ostéophytose."),
                 concl="Coxarthrose traitée par prothèse totale de hanche", proc="Arthroplastie totale de hanche droite",
                 install="Décubitus dorsal, billot sous la fesse droite.", approach="Abord par [[voie de Hardinge]]."),
            dict(motif="un syndrome du canal carpien droit",
                 hist="Paresthésies nocturnes des trois premiers doigts, [[test de Phalen]] positif, [[signe de Tinel]] au poignet.",
                 exam="Amyotrophie thénarienne débutante, sensibilité discriminative conservée.",
                 img=("Électroneuromyogramme", "atteinte sensitivo-motrice du nerf médian au canal carpien, sévérité modérée."),
                 concl="Syndrome du canal carpien droit opéré", proc="Neurolyse du nerf médian au canal carpien droit",
                 install="Décubitus dorsal, bras sur table à bras, garrot pneumatique.", approach="Incision palmaire longitudinale de 2 cm, [[canal de Guyon]] respecté."),
            dict(age=(16, 45), motif="une rupture du LCA gauche",
                 hist="Entorse du genou au ski avec sensation de craquement et instabilité.",
                 exam="Tiroir antérieur positif, [[test de Lachman]] positif, pas de flessum.",
                 img=("IRM du genou gauche", "rupture complète du ligament croisé antérieur, lésion méniscale interne."),
                 concl="Rupture du LCA, ligamentoplastie", proc="Ligamentoplastie du LCA au tendon rotulien ([[technique de Kenneth-Jones]])",
                 install="Décubitus dorsal, cale sous le pied, garrot à la racine de la cuisse.", approach="Arthroscopie par voies antéro-latérale et antéro-médiale."),
            dict(age=(45, 92), motif="une [[fracture de Pouteau-Colles]] du poignet droit",
                 hist="Chute sur la paume de la main, douleur et déformation en dos de fourchette.",
                 exam="Déformation en dos de fourchette, pas de trouble sensitif dans le territoire du médian.",
                 img=("Radiographie du poignet droit", "fracture extra-articulaire de l'extrémité distale du radius à bascule postérieure."),
                 concl="Fracture du radius distal ostéosynthésée", proc="Ostéosynthèse par plaque antérieure verrouillée du radius distal droit",
                 install="Décubitus dorsal, bras sur table à bras, garrot pneumatique.", approach="Voie antérieure de [[Henry]]."),
        ]),
    "onco": dict(
        service=["Service d'oncologie médicale", "Hématologie clinique", "Hôpital de jour d'oncologie", "Onco-hématologie"],
        spec="oncologue",
        atcd=["[[sarcome d'Ewing]] traité dans l'enfance", "[[sarcome de Kaposi]] cutané", "mélanome du dos, [[indice de Breslow]] 1,2 mm",
              "adénocarcinome prostatique [[score de Gleason]] 7 (3+4)", "[[maladie de Waldenström]] surveillée", "cancer du sein traité en 2014"],
        labs=["pnn", "plq", "hb", "ldh", "creat", "crp", "ca"],
        drugs="onco",
        cases=[
            dict(motif="un [[lymphome de Hodgkin]] scléronodulaire",
                 hist="Adénopathie sus-claviculaire gauche ([[ganglion de Troisier]] évoqué) découverte par {P}, sueurs nocturnes.",
                 exam="Adénopathie sus-claviculaire gauche de 3 cm, [[score OMS 1]].",
                 img=("TEP-scanner au 18F-FDG", "hyperfixations ganglionnaires sus-diaphragmatiques, SUVmax 12,4 : stade IIA selon la [[classification d'Ann Arbor]]."),
                 concl="[[lymphome de Hodgkin]] stade IIA, protocole ABVD", proc="Pose de chambre implantable par voie jugulaire interne droite",
                 install="Décubitus dorsal, tête tournée à gauche.", approach="Ponction échoguidée de la veine jugulaire interne droite."),
            dict(motif="une neutropénie fébrile",
                 hist="Fièvre à 39 °C à J10 de la dernière cure, sans point d'appel clinique.",
                 exam="Mucite grade 2, chambre implantable propre, non inflammatoire.",
                 img=("Radiographie thoracique", "pas de foyer."),
                 concl="Neutropénie fébrile sans documentation microbiologique", proc=None),
            dict(motif="un myélome multiple ([[maladie de Kahler]])",
                 hist="Douleurs osseuses rachidiennes, anémie et insuffisance rénale ayant fait évoquer une [[maladie de Kahler]].",
                 exam="Douleur à la percussion des épineuses dorsales, pas de déficit.",
                 img=("IRM du rachis entier", "multiples lésions lytiques, tassement de T9 sans recul du mur postérieur."),
                 concl="Myélome IgG kappa ([[maladie de Kahler]]) stade III", proc=None),
            dict(motif="un carcinome canalaire infiltrant du sein gauche",
                 hist="Nodule du sein gauche découvert à l'autopalpation, mammographie ACR 5.",
                 exam="Nodule de 2 cm du quadrant supéro-externe gauche, pas d'adénopathie axillaire.",
                 img=("Mammographie et échographie mammaire", "lésion stellaire de 18 mm du quadrant supéro-externe gauche, ACR 5."),
                 concl="Carcinome canalaire infiltrant pT1cN0, radiothérapie adjuvante", proc="Tumorectomie gauche et ganglion sentinelle",
                 install="Décubitus dorsal, bras gauche à 90°.", approach="Incision péri-aréolaire externe, repérage par harpon."),
        ]),
    "gyneco": dict(
        service=["Maternité – Service de gynécologie-obstétrique", "Gynécologie-obstétrique", "Service de suites de couches",
                 "Centre périnatal – Salle de naissance"],
        spec="gynécologue-obstétricien",
        atcd=["G3P2, deux accouchements par voie basse", "endométriose pelvienne", "kyste de la [[glande de Bartholin]] incisé",
              "césarienne en 2016", "[[syndrome des ovaires polykystiques]]", "fausse couche spontanée précoce"],
        labs=["hb", "plq", "bhcg", "uric", "creat", "asat"],
        drugs="gyneco",
        cases=[
            dict(motif="une pré-éclampsie sévère à 33 SA",
                 hist="Céphalées, phosphènes et TA à 172/108 mmHg à 33 SA.",
                 exam="Hauteur utérine à 29 cm, bruits du cœur fœtal perçus, réflexes vifs.",
                 img=("Échographie obstétricale du 3e trimestre", "biométries au 10e percentile, Doppler ombilical pathologique."),
                 concl="Césarienne pour pré-éclampsie sévère, [[score d'Apgar]] 8/10", proc="Césarienne segmentaire",
                 install="Décubitus dorsal avec inclinaison latérale gauche, rachianesthésie.", approach="[[incision de Pfannenstiel]]."),
            dict(motif="une grossesse extra-utérine droite",
                 hist="Douleurs pelviennes latéralisées à droite et métrorragies sur aménorrhée de 7 SA.",
                 exam="Défense de la fosse iliaque droite, cri du Douglas.",
                 img=("Échographie pelvienne endovaginale", "masse latéro-utérine droite de 25 mm, épanchement du [[cul-de-sac de Douglas]]."),
                 concl="Grossesse extra-utérine droite traitée par salpingectomie", proc="Salpingectomie droite par cœlioscopie",
                 install="Position gynécologique, sondage urinaire évacuateur.", approach="Open cœlioscopie ombilicale, deux trocarts sus-pubiens."),
            dict(motif="un diabète gestationnel",
                 hist="Hyperglycémie provoquée orale pathologique à 26 SA.",
                 exam="Hauteur utérine à 31 cm, [[score de Bishop]] à 4.",
                 img=("Échographie obstétricale", "biométries au 90e percentile, liquide amniotique en quantité normale."),
                 concl="Diabète gestationnel équilibré sous régime", proc=None),
            dict(motif="un endométriome ovarien gauche",
                 hist="Dysménorrhée invalidante et dyspareunie profonde depuis plusieurs années.",
                 exam="Nodule de la cloison recto-vaginale sensible au toucher.",
                 img=("IRM pelvienne", "endométriome ovarien gauche de 42 mm."),
                 concl="Endométriose ovarienne opérée", proc="Kystectomie ovarienne gauche par cœlioscopie",
                 install="Position gynécologique, bras le long du corps.", approach="Cœlioscopie, trois trocarts."),
        ]),
    "nephro": dict(
        service=["Service de néphrologie", "Néphrologie – Dialyse", "Service d'urologie", "Urologie et transplantation rénale"],
        spec="néphrologue",
        atcd=["insuffisance rénale chronique stade 4", "[[maladie de Berger]] diagnostiquée en 2005", "polykystose rénale autosomique dominante",
              "adénome prostatique", "[[syndrome d'Alport]] familial", "[[tumeur de Wilms]] dans l'enfance, néphrectomie gauche"],
        labs=["creat", "dfg", "k", "na", "uree", "hb", "psa"],
        drugs="nephro",
        cases=[
            dict(motif="une colique néphrétique fébrile",
                 hist="Douleur lombaire gauche brutale irradiant vers les organes génitaux externes, fièvre à 38,9 °C.",
                 exam="Fosse lombaire gauche douloureuse à l'ébranlement.",
                 img=("Uroscanner", "calcul urétéral lombaire gauche de 7 mm avec dilatation pyélocalicielle."),
                 concl="Colique néphrétique compliquée, drainage par sonde JJ", proc="Montée de sonde JJ gauche",
                 install="Position de la taille, anesthésie générale.", approach="Cystoscopie, cathétérisme urétéral gauche sous scopie."),
            dict(motif="un syndrome néphrotique",
                 hist="Œdèmes des membres inférieurs et urines mousseuses depuis un mois.",
                 exam="Œdèmes blancs, mous, prenant le godet, jusqu'aux cuisses.",
                 img=("Échographie rénale", "reins de taille normale, pas de dilatation des cavités."),
                 concl="Syndrome néphrotique à lésions glomérulaires minimes", proc=None),
            dict(motif="une insuffisance rénale aiguë",
                 hist="Oligurie depuis 48 heures dans un contexte de diarrhée et de prise d'AINS.",
                 exam="Pli cutané, muqueuses sèches, hypotension à 92/55 mmHg.",
                 img=("Échographie rénale", "pas d'obstacle, bonne différenciation cortico-médullaire."),
                 concl="Insuffisance rénale aiguë fonctionnelle", proc=None),
            dict(motif="une rétention aiguë d'urine",
                 hist="Impossibilité d'uriner depuis 12 heures, globe vésical.",
                 exam="Globe vésical, sondage ([[sonde de Foley]] 18 Ch) : 900 mL. Prostate augmentée de volume, souple.",
                 img=("Échographie prostatique", "prostate de 85 g, résidu post-mictionnel de 300 mL après désondage."),
                 concl="Rétention aiguë d'urine sur adénome prostatique", proc="Résection transurétrale de prostate",
                 install="Position de la taille, rachianesthésie.", approach="Résecteur bipolaire 26 Ch par voie endo-urétrale."),
            dict(motif="une tumeur vésicale infiltrante",
                 hist="Hématurie macroscopique totale avec caillots chez un ancien fumeur.",
                 exam="Toucher rectal : base vésicale indurée.",
                 img=("Scanner abdomino-pelvien", "tumeur de la paroi latérale gauche de vessie, pas d'adénopathie, masse rénale droite [[Bosniak IV]]."),
                 concl="Carcinome urothélial infiltrant pT2", proc="Cystoprostatectomie avec [[intervention de Bricker]]",
                 install="Décubitus dorsal, hyperlordose.", approach="Laparotomie médiane sous-ombilicale."),
        ]),
    "psy": dict(
        service=["Service de psychiatrie adulte", "Unité d'hospitalisation psychiatrique", "Centre médico-psychologique", "Psychiatrie de liaison"],
        spec="psychiatre",
        atcd=["trouble bipolaire de type I", "schizophrénie paranoïde stabilisée", "[[encéphalopathie de Gayet-Wernicke]] en 2018",
              "épisodes dépressifs récurrents", "trouble de stress post-traumatique", "[[syndrome de Diogène]]"],
        labs=["li", "tsh", "na", "ggt", "creat"],
        drugs="psy",
        cases=[
            dict(motif="un épisode dépressif caractérisé sévère",
                 hist="Tristesse de l'humeur, anhédonie, insomnie et idées suicidaires scénarisées depuis un mois.",
                 exam="[[échelle de Hamilton]] à 28, ralentissement psychomoteur.",
                 img=("IRM cérébrale", "pas d'anomalie morphologique."),
                 concl="Épisode dépressif caractérisé sévère sans caractéristique psychotique", proc=None),
            dict(motif="la décompensation d'un trouble bipolaire",
                 hist="Accélération psychomotrice, logorrhée et dépenses inconsidérées après arrêt du lithium.",
                 exam="Contact familier, discours diffluent, réduction du temps de sommeil.",
                 img=("Électrocardiogramme", "QTc à 432 ms."),
                 concl="Épisode maniaque, reprise du lithium", proc=None),
            dict(age=(18, 35), motif="une bouffée délirante aiguë",
                 hist="Idées délirantes de persécution à mécanisme interprétatif et hallucinatoire.",
                 exam="Pas d'éléments confusionnels, critique nulle, angoisse majeure.",
                 img=("Scanner cérébral", "pas d'anomalie."),
                 concl="Bouffée délirante aiguë", proc=None),
            dict(motif="un sevrage alcoolique compliqué",
                 hist="Tremblements, sueurs et hallucinations visuelles à J2 du sevrage. [[score de Cushman]] à 9.",
                 exam="Désorientation, tremblement d'attitude, pas de signe de localisation.",
                 img=("Scanner cérébral", "atrophie vermienne."),
                 concl="Sevrage alcoolique compliqué de delirium tremens, [[syndrome de Korsakoff]] à rechercher", proc=None),
        ]),
    "pedia": dict(
        service=["Service de pédiatrie", "Urgences pédiatriques", "Pédiatrie générale – Nourrissons", "Chirurgie pédiatrique"],
        spec="pédiatre",
        atcd=["prématurité (34 SA)", "[[maladie de Hirschsprung]] opérée", "asthme du nourrisson", "allergie aux protéines de lait de vache",
              "[[diverticule de Meckel]] compliqué", "bronchiolites à répétition"],
        labs=["crp", "pct", "na", "hb", "plq", "leuco"],
        drugs="pedia",
        cases=[
            dict(age=(0, 1), motif="une bronchiolite aiguë",
                 hist="Toux et gêne respiratoire depuis deux jours, diminution des biberons de moitié.",
                 exam="[[score de Silverman]] à 3, SpO2 93 % en air ambiant, sibilants et crépitants bilatéraux.",
                 img=("Radiographie thoracique", "distension thoracique, pas de foyer."),
                 concl="Bronchiolite aiguë modérée", proc=None),
            dict(age=(1, 5), motif="une [[maladie de Kawasaki]]",
                 hist="Fièvre à 40 °C depuis cinq jours, conjonctivite bilatérale et chéilite.",
                 exam="Langue framboisée, œdème des extrémités, [[signe de Koplik]] absent.",
                 img=("Échographie cardiaque", "pas d'anévrisme coronaire."),
                 concl="[[maladie de Kawasaki]] traitée par immunoglobulines IV", proc=None),
            dict(age=(1, 4), motif="une convulsion fébrile",
                 hist="Crise tonico-clonique généralisée de deux minutes au cours d'un pic fébrile.",
                 exam="Fontanelle normotendue, pas de raideur méningée, otite moyenne aiguë droite.",
                 img=("Électroencéphalogramme", "tracé normal pour l'âge."),
                 concl="Convulsion fébrile simple", proc=None),
            dict(age=(0, 2), motif="une invagination intestinale aiguë",
                 hist="Crises de pleurs paroxystiques, vomissements et refus du biberon depuis la veille.",
                 exam="Boudin d'invagination palpé dans l'hypochondre droit.",
                 img=("Échographie abdominale", "image en cocarde de 3 cm dans l'hypochondre droit."),
                 concl="Invagination iléo-colique", proc="Réduction d'invagination par lavement hydrostatique puis appendicectomie par cœlioscopie",
                 install="Décubitus dorsal, anesthésie générale.", approach="Cœlioscopie, trois trocarts."),
        ]),
}

SPEC_KEYS = list(SPECIALTIES)
DISCIPLINES = {"cardio": "cardiologie", "pneumo": "pneumologie", "neuro": "neurologie", "gastro": "gastro-entérologie",
               "rhumato": "rhumatologie", "endoc": "endocrinologie", "geria": "gériatrie", "ortho": "chirurgie orthopédique",
               "onco": "oncologie", "gyneco": "gynécologie-obstétrique", "nephro": "néphrologie", "psy": "psychiatrie", "pedia": "pédiatrie"}

ESTABLISHMENTS = ["Centre hospitalier des Hêtres", "Hôpital Saint-Roch", "Clinique du Parc", "Polyclinique des Trois Rivières",
                  "Centre hospitalier intercommunal du Val", "Hôpital privé Les Peupliers", "Groupe hospitalier Nord-Ouest",
                  "Centre hospitalier universitaire Sud-Atlantique", "Hôpital Saint-Joseph", "Clinique Sainte-Marguerite",
                  "Hôpital Saint-Vincent", "Centre hospitalier des Marches", "Clinique de l'Espérance", "Hôpital d'instruction des armées",
                  "Centre hospitalier de la Côte d'Émeraude", "Clinique Pasteur", "Hôpital de la Croix-Saint-Simon",
                  "Centre hospitalier du Haut-Val", "Institut régional de cancérologie", "Hôpital Sainte-Anne-des-Pins",
                  "Centre hospitalier spécialisé des Cèdres", "Clinique mutualiste de l'Estuaire", "Centre de rééducation Les Embruns"]
LABS_NAMES = ["Laboratoire de biologie médicale", "Laboratoire central – Biochimie et hématologie", "Biopôle – Laboratoire d'analyses",
              "Laboratoire de biologie polyvalente", "Plateau technique de biologie", "Laboratoire d'hématologie et de biochimie"]


# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------
def initials_of(first: str) -> str:
    parts = re.split(r"([- ])", first)
    out = []
    for part in parts:
        if part == "-":
            out.append("-")
        elif part == " ":
            out.append(" ")
        elif part:
            out.append(part[0].upper() + ".")
    return "".join(out)


class Person:
    def __init__(self, first: str, last: str, sex: str, strip_upper: bool = False):
        self.first, self.last, self.sex = first, last, sex
        self.strip_upper = strip_upper
        self.birth_last: str | None = None
        self.dob: dt.date | None = None

    def up(self, s: str) -> str:
        u = s.upper()
        return strip_accents(u) if self.strip_upper else u

    @property
    def LAST(self) -> str:
        return self.up(self.last)

    @property
    def FIRST(self) -> str:
        return self.up(self.first)

    @property
    def last_initial(self) -> str:
        m = re.search(r"[A-ZÀ-ÝŁŚŻÇ]", self.last)
        return (m.group(0) if m else self.last[0].upper()) + "."

    def form(self, f: str) -> str:
        F, L, LU, I = self.first, self.last, self.LAST, initials_of(self.first)
        return {
            "FL": f"{F} {L}", "FLU": f"{F} {LU}", "LUF": f"{LU} {F}", "LF": f"{L} {F}",
            "LUFU": f"{LU} {self.FIRST}", "L": L, "LU": LU, "IL": f"{I} {LU}", "ILm": f"{I} {L}",
            "LI": f"{LU} {I}", "LIm": f"{L} {I}", "FI": f"{F} {self.last_initial}", "F": F,
            "low": L.lower(), "lowFL": f"{F.lower()} {L.lower()}",
        }[f]

    @property
    def fem(self) -> bool:
        return self.sex == "F"


# --------------------------------------------------------------------------------------
# Document under construction
# --------------------------------------------------------------------------------------
class Doc:
    def __init__(self, seed: int, idx: int, kind: str):
        self.r = random.Random(f"deident-eval:{seed}:{idx}")
        self.idx, self.kind = idx, kind
        self._gid = 0
        self._used_last: list[str] = []
        self.first_names: list[str] = []
        self.hstyle = self.r.randrange(4)
        self.today = dt.date(2012, 1, 1) + dt.timedelta(days=self.r.randrange(0, 13 * 365 + 150))
        self._staff: dict[str, Person] = {}
        self.known: list[tuple[str, str, str]] = []  # the patient's identifiers: (label, as written, value)

    # ---- randomness ----
    def ch(self, seq):
        return seq[self.r.randrange(len(seq))]

    def p(self, prob: float) -> bool:
        return self.r.random() < prob

    def ri(self, a: int, b: int) -> int:
        return self.r.randint(a, b)

    def gid(self) -> int:
        self._gid += 1
        return self._gid

    def pick(self, *options):
        """Pick one of several alternatives (strings or zero-arg callables)."""
        o = self.ch(options)
        return o() if callable(o) else o

    # ---- headings ----
    def h(self, title: str) -> str:
        if self.hstyle == 0:
            return title.upper()
        if self.hstyle == 1:
            return title.upper() + " :"
        if self.hstyle == 2:
            return "— " + title.upper() + " —"
        return title[0].upper() + title[1:].lower() + " :"

    # ---- names ----
    def surname(self) -> str:
        for _ in range(30):
            x = self.r.random()
            if x < 0.20:
                s = self.ch(WORD_SURNAMES)
            elif x < 0.30:
                s = self.ch(COMPOUND_SURNAMES)
            elif x < 0.34:
                a, b = self.ch(SURNAMES), self.ch(SURNAMES)
                if " " in a + b or "'" in a + b or a == b:
                    continue
                s = f"{a}-{b}"
            else:
                s = self.ch(SURNAMES)
            if s not in self._used_last:
                self._used_last.append(s)
                return s
        return s

    def person(self, sex: str | None = None, last: str | None = None) -> Person:
        sex = sex or self.ch("FM")
        first = self.ch(FIRST[sex])
        self.first_names.append(first)
        return Person(first, last or self.surname(), sex, strip_upper=self.p(0.3))

    def civ(self, p: Person, young: bool = False) -> str:
        if p.fem:
            return self.ch(["Mme"] * 7 + ["Madame"] * 2 + (["Mlle"] * 2 if young else []))
        return self.ch(["M."] * 7 + ["Monsieur"] * 2 + ["Mr"])

    def drt(self, senior: bool = False) -> str:
        return self.ch(["Dr"] * 6 + ["Docteur", "Dr."] + (["Pr", "Professeur"] if senior else []))

    def child(self, p: Person) -> bool:
        return p is getattr(self, "pat", None) and self.age < 15

    def cn(self, p: Person, forms, upper: bool = False) -> str:
        """Civility + name ('Mme Claire FOURNIER'); children get no civility."""
        if self.child(p):
            return self.nm(p, forms)
        t = self.civ(p, p is getattr(self, "pat", None) and self.young)
        return self.nm(p, forms, t.upper() if upper else t)

    @staticmethod
    def poss(rel: str, fem: bool) -> str:
        return "son" if (not fem or rel[0] in "aeiouéèêh") else "sa"

    def nm(self, p: Person, forms, title: str | None = None) -> str:
        f = forms if isinstance(forms, str) else self.ch(forms)
        return (title + " " if title else "") + mk("PERSON", p.form(f))

    def staff(self, role: str, sex: str | None = None) -> Person:
        if role not in self._staff:
            self._staff[role] = self.person(sex)
        return self._staff[role]

    def dr(self, role: str, forms=("FLU", "FL", "L", "LU", "IL", "FLU", "L"), senior=False, title=True) -> str:
        p = self.staff(role)
        t = self.drt(senior) if title is True else (title or None)
        return self.nm(p, forms, t)

    # ---- patient helpers (set up by setup_patient) ----
    def P(self) -> str:
        """Short mention of the patient, with a title."""
        p = self.pat
        if self.child(p):
            return self.nm(p, self.ch(["F", "FL", "FLU"]))
        return self.nm(p, self.ch(["L", "L", "LU", "L", "FL", "FLU"]), self.civ(p, self.young))

    def Pfull(self) -> str:
        p = self.pat
        return self.cn(p, self.ch(["FLU", "FL", "LUF", "FLU", "LF"]))

    def Pbare(self) -> str:
        return self.nm(self.pat, self.ch(["LU", "L", "LUF", "LIm", "LI"]))

    @property
    def age_s(self) -> str:
        if self.age == 0:
            return f"{(self.today - self.pat.dob).days // 30} mois"
        return "1 an" if self.age == 1 else f"{self.age} ans"

    @property
    def e(self) -> str:
        return "e" if self.pat.fem else ""

    @property
    def il(self) -> str:
        return "elle" if self.pat.fem else "il"

    @property
    def le_pat(self) -> str:
        return "la patiente" if self.pat.fem else "le patient"

    # ---- the clinical case of the document (set by setup) ----
    def motif(self, bare: bool = False, cap: bool = False) -> str:
        m = self.case["motif"]
        if bare:
            m = re.sub(r"^(une |un |le |la |les |des |l')", "", m)
        return self.fmt_cap(m) if cap else self.fmt(m)

    def hist(self) -> str:
        return self.fmt(self.case["hist"])

    def exam(self) -> str:
        return self.fmt(self.case["exam"])

    def concl(self, lc: bool = False) -> str:
        return self.fmt_lc(self.case["concl"]) if lc else self.fmt_cap(self.case["concl"])

    def fmt_lc(self, s: str) -> str:
        """fmt() with the first letter lower-cased (applied before markup is added)."""
        i = 2 if s.startswith("[[") else 0
        return self.fmt(s[:i] + s[i].lower() + s[i + 1:])

    def fmt_cap(self, s: str) -> str:
        i = 2 if s.startswith("[[") else 0
        return self.fmt(s[:i] + s[i].upper() + s[i + 1:])

    def year(self) -> int:
        """A past year compatible with the patient's age."""
        hi = self.today.year - 1
        lo = min(hi, self.pat.dob.year + (5 if self.age >= 10 else 0))
        return self.ri(max(lo, hi - 40), hi)

    def fmt(self, s: str) -> str:
        """Fill {P} {e} {il} {Il} in a content string and turn [[...]] into KEEP spans."""
        if getattr(self, "pat", None) is not None and self.pat.dob is not None:
            s = re.sub(r"\b(19|20)\d\d\b", lambda m: str(self.year()), s)
        s = re.sub(r"([.!?] )\[\[(\w)", lambda m: m.group(1) + "[[" + m.group(2).upper(), s)
        s = kp(s)
        if "{P}" in s:
            s = s.replace("{P}", self.P())
        return s.replace("{e}", self.e).replace("{il}", self.il).replace("{Il}", self.il.capitalize())

    # ---- dates ----
    @staticmethod
    def day(d: dt.date) -> str:
        return "1er" if d.day == 1 else str(d.day)

    def dstr(self, d: dt.date, style: str | None = None) -> str:
        if style is None:
            style = self.ch(["num"] * 9 + ["d/m/yyyy", "dd/mm/yy", "dd-mm-yy", "dd-mm-yyyy", "dd.mm.yyyy", "iso"]
                            + ["long"] * 6 + ["longU", "abbr", "abbr"])
        if style == "num":
            return f"{d.day:02d}/{d.month:02d}/{d.year}"
        if style == "d/m/yyyy":
            return f"{d.day}/{d.month}/{d.year}"
        if style == "dd/mm/yy":
            return f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}"
        if style == "dd-mm-yy":
            return f"{d.day:02d}-{d.month:02d}-{d.year % 100:02d}"
        if style == "dd-mm-yyyy":
            return f"{d.day:02d}-{d.month:02d}-{d.year}"
        if style == "dd.mm.yyyy":
            return f"{d.day:02d}.{d.month:02d}.{d.year}"
        if style == "iso":
            return d.isoformat()
        if style == "long":
            return f"{self.day(d)} {MONTHS[d.month - 1]} {d.year}"
        if style == "longU":
            return f"{self.day(d)} {MONTHS[d.month - 1]} {d.year}".upper()
        if style == "abbr":
            return f"{self.day(d)} {MONTHS_ABBR[d.month - 1]} {d.year}"
        if style == "noyear":
            return f"{self.day(d)} {MONTHS[d.month - 1]}"
        if style == "dm":
            return f"{d.day:02d}/{d.month:02d}" if self.p(0.7) else f"{d.day}/{d.month:02d}"
        if style == "my":
            return f"{MONTHS[d.month - 1]} {d.year}"
        if style == "m/y":
            return f"{d.month:02d}/{d.year}"
        raise ValueError(style)

    def D(self, d: dt.date, style: str | None = None) -> str:
        return mk("DATE", self.dstr(d, style))

    def Dw(self, d: dt.date, cap: bool = False) -> str:
        """Weekday + date; the weekday stays outside the DATE span."""
        w = WEEKDAYS[d.weekday()]
        if cap:
            w = w.capitalize()
        return f"{w} " + self.D(d, self.ch(["long", "long", "long", "num", "noyear"]))

    def Drange(self, d1: dt.date, d2: dt.date) -> str:
        """'du 3 au 15 mars 2013' (one span) or 'du 03/03/2013 au 15/03/2013' (two spans)."""
        if d1.year == d2.year and self.p(0.55):
            if d1.month == d2.month:
                s = f"{self.day(d1)} au {self.day(d2)} {MONTHS[d2.month - 1]} {d2.year}"
            else:
                s = f"{self.day(d1)} {MONTHS[d1.month - 1]} au {self.day(d2)} {MONTHS[d2.month - 1]} {d2.year}"
            return "du " + mk("DATE", s)
        style = self.ch(["num", "num", "long", "dd.mm.yyyy", "dd/mm/yy"])
        return f"du {self.D(d1, style)} au {self.D(d2, style)}"

    def before(self, d: dt.date, lo: int, hi: int) -> dt.date:
        return d - dt.timedelta(days=self.ri(lo, hi))

    def after(self, d: dt.date, lo: int, hi: int) -> dt.date:
        return d + dt.timedelta(days=self.ri(lo, hi))

    def past_date(self, years_back=(1, 15)) -> dt.date:
        d = self.before(self.today, 365 * years_back[0], 365 * years_back[1])
        pat = getattr(self, "pat", None)
        if pat is not None and pat.dob is not None and d <= pat.dob + dt.timedelta(days=60):
            span = (self.today - pat.dob).days
            d = pat.dob + dt.timedelta(days=self.ri(span // 3, max(span // 3, span - 1)))
        return d

    def hist_date(self) -> str:
        """A date of a past event, in a vaguer form: 'mars 2013', '03/2013', '12 mars 2013'."""
        d = self.past_date((1, 12))
        return self.D(d, self.ch(["my", "my", "m/y", "m/y", "long", "num"]))

    # ---- identifiers ----
    def phone(self, kind: str = "mobile", zip_code: str | None = None, own: bool = False) -> str:
        if kind == "mobile":
            pre = self.ch(["06", "06", "07"])
        else:
            dep = int(zip_code[:2]) if zip_code and zip_code[:2].isdigit() else self.ri(1, 95)
            if zip_code and zip_code.startswith("97"):
                pre = {"97400": "02", "97410": "02", "97430": "02"}.get(zip_code, "05")
            elif dep in (75, 77, 78, 91, 92, 93, 94, 95):
                pre = "01"
            elif dep in (14, 22, 27, 28, 29, 35, 36, 37, 41, 44, 45, 49, 50, 53, 56, 61, 72, 76, 85, 18):
                pre = "02"
            elif dep in (2, 8, 10, 21, 25, 39, 51, 52, 54, 55, 57, 58, 59, 60, 62, 67, 68, 70, 71, 80, 88, 89, 90):
                pre = "03"
            elif dep in (1, 3, 4, 5, 6, 7, 11, 13, 15, 20, 26, 30, 34, 38, 42, 43, 48, 63, 66, 69, 73, 74, 83, 84):
                pre = "04"
            else:
                pre = "05"
            if kind == "box":
                pre = "09"
        digits = pre + "".join(str(self.ri(0, 9)) for _ in range(8))
        pairs = [digits[i:i + 2] for i in range(0, 10, 2)]
        style = self.ch(["sp"] * 8 + ["dot"] * 3 + ["compact"] * 2 + ["dash"] * 2 + ["intl"] * 2 + ["intl0", "intlc", "00"])
        if style == "sp":
            s = " ".join(pairs)
        elif style == "dot":
            s = ".".join(pairs)
        elif style == "compact":
            s = digits
        elif style == "dash":
            s = "-".join(pairs)
        elif style == "intl":
            s = "+33 " + digits[1] + " " + " ".join(pairs[1:])
        elif style == "intl0":
            s = "+33 (0)" + digits[1] + " " + " ".join(pairs[1:])
        elif style == "intlc":
            s = "+33" + digits[1:]
        else:
            s = "0033 " + digits[1] + " " + " ".join(pairs[1:])
        if own:  # the patient's own number
            self.known.append(("PHONE", s, digits))
        return mk("PHONE", s)

    def nir_parts(self, p: Person, birth: tuple) -> tuple[str, str, bool]:
        sex = "2" if p.fem else "1"
        d = p.dob
        yy, mm = f"{d.year % 100:02d}", f"{d.month:02d}"
        kind, code = birth
        if kind == "fr":
            if code.startswith("97"):
                dep, com = code[:3], f"{self.ri(1, 34):02d}"
            elif code.startswith("20"):
                dep, com = ("2A" if code[2] in "01" else "2B"), f"{self.ri(1, 366):03d}"
            else:
                dep, com = code[:2], f"{self.ri(1, 650):03d}"
        else:
            dep, com = "99", COUNTRY_CODES.get(code, "352")
        first13 = sex + yy + mm + dep + com + f"{self.ri(1, 999):03d}"
        key = nir_key(first13)
        valid = True
        if self.p(0.12):  # deliberate wrong key (typo in the source document)
            key = (key + self.ri(1, 95) - 1) % 97 + 1
            valid = False
        return first13, f"{key:02d}", valid

    def nir(self, p: Person, birth: tuple, wrap: bool = False) -> str:
        first13, key, valid = self.nir_parts(p, birth)
        self.nir_stats.append(valid)
        style = self.ch(["sp", "sp", "sp", "compact", "13k"])
        if style == "sp":
            g = [first13[0], first13[1:3], first13[3:5], first13[5:7], first13[7:10], first13[10:13], key]
            s = " ".join(g)
        elif style == "compact":
            s = first13 + key
        else:
            s = first13 + " " + key
        if p is getattr(self, "pat", None):
            self.known.append(("FR_NIR", s, first13 + key))
        return self.wrapped("FR_NIR", s) if wrap else mk("FR_NIR", s)

    def wrapped(self, label: str, s: str, indent: str | None = None) -> str:
        """An identifier broken over two lines (BRAT discontinuous span)."""
        cuts = [i for i, c in enumerate(s) if c == " "]
        if cuts:
            i = self.ch(cuts[1:-1] or cuts)
            a, b = s[:i], s[i + 1:]
        else:
            i = self.ri(4, len(s) - 3)
            a, b = s[:i], s[i:]
        g = self.gid()
        ind = indent if indent is not None else self.ch(["", "  ", "    ", "\t"])
        self.wraps += 1
        return mk(label, a, g) + "\n" + ind + mk(label, b, g)

    def rpps(self) -> str:
        payload = "10" + "".join(str(self.ri(0, 9)) for _ in range(8))
        s = payload + luhn_digit(payload)
        assert luhn_ok(s) and len(s) == 11
        return mk("RPPS", s)

    def finess(self, zip_code: str | None = None) -> str:
        dep = zip_code[:2] if zip_code and zip_code[:2].isdigit() and not zip_code.startswith("20") else f"{self.ri(1, 95):02d}"
        payload = dep + f"{self.ri(0, 9)}" + "".join(str(self.ri(0, 9)) for _ in range(5))
        s = payload + luhn_digit(payload)
        assert luhn_ok(s) and len(s) == 9
        return mk("FINESS", s)

    def iban(self, wrap: bool = False) -> str:
        bank = self.ch(["30004", "30003", "30002", "10278", "20041", "17515", "16606", "13335", "11315", "18206", "30066", "10907"])
        branch = f"{self.ri(0, 99999):05d}"
        acc = "".join(str(self.ri(0, 9)) for _ in range(11))
        if self.p(0.15):
            pos = self.ri(0, 10)
            acc = acc[:pos] + self.ch("ABCDEFGHJKLMNPRSTUVWXYZ") + acc[pos + 1:]
        bban = bank + branch + acc + rib_key(bank, branch, acc)
        iban = "FR" + iban_check("FR", bban) + bban
        assert iban_ok(iban) and len(iban) == 27
        s = " ".join(iban[i:i + 4] for i in range(0, 27, 4)) if self.p(0.7) else iban
        return self.wrapped("IBAN", s) if wrap else mk("IBAN", s)

    def hid(self, kind: str) -> str:
        y = str(self.today.year)
        n = lambda k: "".join(str(self.ri(0, 9)) for _ in range(k))
        if kind == "ipp":
            s = self.ch([lambda: self.ch("123456789") + n(self.ri(6, 9)), lambda: "00" + n(7), lambda: n(8),
                         lambda: n(10)])()
        elif kind == "nda":
            s = self.ch([lambda: y + n(6), lambda: y[2:] + n(7), lambda: n(9), lambda: y + "-" + n(5)])()
        elif kind == "dossier":
            s = self.ch([lambda: n(6), lambda: n(8), lambda: "D-" + y + "-" + n(5), lambda: y[2:] + "/" + n(5)])()
        elif kind == "sejour":
            s = self.ch([lambda: n(9), lambda: y + n(5), lambda: "S" + n(8)])()
        elif kind == "examen":
            s = self.ch([lambda: n(8), lambda: "RX" + y[2:] + "-" + n(6), lambda: "A" + y + n(6), lambda: "IRM" + n(7)])()
        elif kind == "demande":
            s = self.ch([lambda: y[2:] + f"{self.today.month:02d}{self.today.day:02d}" + n(4), lambda: y[2:] + "B" + n(6), lambda: n(10)])()
        elif kind == "ref":
            s = self.ch([lambda: "CR-" + y + "-" + n(6), lambda: "CRO/" + y + "/" + n(4), lambda: "LL" + n(7)])()
        elif kind == "essai":
            s = f"{self.ri(1, 45):03d}-{self.ri(1, 180):04d}"
        elif kind == "prelevement":
            s = self.ch([lambda: "P" + n(10), lambda: y[2:] + "-" + n(7)])()
        else:
            raise ValueError(kind)
        if kind == "ipp":  # always the patient's
            self.known.append(("HOSPITAL_ID", s, s))
        return mk("HOSPITAL_ID", s)

    def email(self, p: Person, pro: str | None = None) -> str:
        f, l = slug(p.first), slug(p.last, "")
        if pro:
            s = self.ch([f"{f}.{slug(p.last, '-')}@{pro}", f"{f[0]}.{l}@{pro}", f"{l}.{f}@{pro}", f"{f[0]}{l}@{pro}"])
        else:
            yr = f"{p.dob.year % 100:02d}" if p.dob else str(self.ri(1, 99))
            s = self.ch([f"{f}.{l}@", f"{f}.{l}{yr}@", f"{l}.{f}@", f"{f[0]}{l}@", f"{f}_{l}@", f"{f}{l}{self.ri(1, 999)}@",
                         f"{l}-{f}@"]) + self.ch(EMAIL_DOMAINS)
        if p is getattr(self, "pat", None) and not pro:
            self.known.append(("EMAIL", s, s))
        return mk("EMAIL", s)

    def url(self, p: Person | None = None, kind: str = "perso", job: str | None = None) -> str:
        if kind == "hosp":
            s = self.ch(["https://www.", "http://www.", "www."]) + self.est_slug + self.ch([".fr", ".fr", ".org", ".com"])
            if self.p(0.3):
                s += "/" + self.ch(["services/", "consultations/", "prendre-rdv/"]) + slug(self.est_service, "-")
            return mk("URL", s)
        f, l = slug(p.first, "-"), slug(p.last, "-")
        c = slug(self.est_zc[1].split(" Cedex")[0].split(" CEDEX")[0], "-") if job else slug(self.pat_city, "-")
        s = self.ch([
            f"https://www.facebook.com/{f}.{l.replace('-', '.')}.{self.ri(1, 99)}",
            f"https://www.linkedin.com/in/{f}-{l}-{self.ri(100, 999)}",
            f"https://www.doctolib.fr/{slug(job or self.ch(['medecin generaliste', 'infirmier', 'masseur kinesitherapeute', 'psychologue']), '-')}/{c}/{f}-{l}",
            f"http://{f}-{l}.over-blog.com",
            f"https://{l}{f}.wordpress.com",
            f"www.cabinet-{l}.fr",
            f"https://www.instagram.com/{f}_{l.replace('-', '_')}",
            f"https://sites.google.com/view/{f}-{l}",
            f"www.{f}-{l}-osteopathe.fr",
        ])
        return mk("URL", s)

    # ---- places ----
    def street(self, upper: bool = False) -> str:
        x = self.r.random()
        if x < 0.05:
            s = "lieu-dit " + self.ch(LIEUX_DITS) if self.p(0.7) else "Lieu-dit " + self.ch(LIEUX_DITS)
        elif x < 0.07:
            s = "hameau " + self.ch(LIEUX_DITS)
        else:
            num = str(self.ri(1, 180) if self.p(0.8) else self.ri(180, 1450))
            if self.p(0.15):
                num += " " + self.ch(NUM_SUFFIX) if self.p(0.85) else self.ch(["bis", "ter", "B"])
            sep = ", " if self.p(0.15) else " "
            s = f"{num}{sep}{self.ch(STREET_TYPES)} {self.ch(STREETS)}"
        return s.upper() if upper else s

    def zip_city(self, cedex: bool = False, upper: bool = False, city: tuple | None = None) -> tuple[str, str]:
        z, c = city or self.ch(CITIES)
        zz = z
        if cedex:
            zz = z[:3] + f"{self.ri(0, 99):02d}" if self.p(0.6) else z
        cc = c.upper() if upper or self.p(0.2) else c
        if cedex:
            cc += self.ch([" Cedex", " CEDEX", " Cedex", f" Cedex {self.ri(1, 9)}", f" Cedex {self.ri(1, 16):02d}"])
        return zz, cc

    def ZC(self, zc: tuple[str, str]) -> str:
        return mk("ZIP_CITY", f"{zc[0]} {zc[1]}")

    def city_for_prep(self) -> str:
        while True:
            c = self.ch(CITIES)[1]
            if not c.startswith(("Le ", "Les ")):
                return c

    @staticmethod
    def de(city: str) -> str:
        return ("d'" if city[0] in "AEIOUÉÈÊÂÎÔYaeiouh" else "de ")

    # ---- medicine ----
    def drug_line(self, group: str | None = None, bullet: str = "- ") -> str:
        name, pos = self.ch(DRUGS[group or self.spec["drugs"]])
        sep = self.ch([" : ", " – ", ", ", " "])
        return f"{bullet}{mk('KEEP', name)}{sep}{self.ch(pos)}"

    def lab_value(self, key: str) -> tuple[str, str, str, str]:
        long, short, unit, lo, hi, dec, ref = LABS[key]
        v = self.r.uniform(lo, hi) if self.p(0.5) else self.r.uniform(lo, lo + (hi - lo) * 0.25)
        return long, short, fr_num(v, dec), unit

    def lab_prose(self, key: str) -> str:
        long, short, v, unit = self.lab_value(key)
        txt = f"{short} {v}" + (f" {unit}" if unit else "")
        if short[0].islower() and self.p(0.3):
            txt = f"{short} à {v}" + (f" {unit}" if unit else "")
        return mk("KEEP", txt)

    def vitals(self) -> str:
        parts = []
        sys_ = self.ri(95, 185)
        dia = self.ri(50, min(105, sys_ - 35))
        if self.p(0.25):
            parts.append(mk("KEEP", f"TA {sys_ // 10}/{dia // 10}"))
        else:
            parts.append(mk("KEEP", f"TA {sys_}/{dia} mmHg"))
        parts.append(mk("KEEP", f"FC {self.ri(48, 138)}/min"))
        if self.p(0.7):
            parts.append(mk("KEEP", f"SpO2 {self.ri(86, 100)} %") + self.ch([" en air ambiant", "", " sous 2 L/min"]))
        if self.p(0.6):
            parts.append(mk("KEEP", f"T {fr_num(self.r.uniform(36.1, 40.2), 1)} °C"))
        if self.p(0.4):
            parts.append(mk("KEEP", f"EVA {self.ri(0, 9)}/10"))
        if self.p(0.3):
            if getattr(self, "age", 30) < 15:
                kg = 3.5 + self.age * 2.6 + self.r.uniform(-1, 2) if self.age else self.r.uniform(3.2, 9.5)
                parts.append(f"poids {fr_num(kg, 1)} kg")
            else:
                parts.append(f"poids {self.ri(38, 128)} kg")
        return ", ".join(parts) + "."


PROFESSIONS = [("ancien boulanger", "ancienne boulangère"), ("boucher retraité", "bouchère retraitée"), ("charpentier", "charpentière"),
               ("berger", "bergère"), ("marin pêcheur", "ancienne marin pêcheur"), ("vigneron", "vigneronne"), ("couturier", "couturière retraitée"),
               ("jardinier municipal", "jardinière municipale"), ("marchand forain", "marchande foraine"), ("cordonnier", "cordonnière"),
               ("menuisier", "menuisière"), ("chauffeur routier", "chauffeuse routière"), ("aide-soignant", "aide-soignante"),
               ("professeur des écoles", "professeure des écoles"), ("comptable", "comptable"), ("agriculteur", "agricultrice"),
               ("infirmier retraité", "infirmière retraitée"), ("ancien ouvrier du textile", "ancienne ouvrière du textile"),
               ("docker retraité", "ancienne docker"), ("maçon", "peintre en bâtiment"), ("employé de mairie", "employée de mairie"),
               ("ingénieur", "ingénieure"), ("caissier", "caissière"), ("étudiant", "étudiante"), ("artisan carreleur", "artisane fleuriste"),
               ("ancien meunier", "ancienne meunière"), ("fleuriste", "fleuriste"), ("chauffeur de taxi", "chauffeuse de taxi"),
               ("agent d'entretien", "agente d'entretien"), ("militaire retraité", "militaire retraitée"), ("mareyeur", "mareyeuse"),
               ("cuisinier", "cuisinière"), ("sans activité professionnelle", "sans activité professionnelle"),
               ("commerçant (petit commerce d'alimentation)", "commerçante (petit commerce d'alimentation)")]
RELS_F = ["fille", "épouse", "sœur", "nièce", "belle-fille", "compagne", "mère", "petite-fille", "voisine", "amie"]
RELS_M = ["fils", "époux", "frère", "neveu", "gendre", "compagnon", "père", "petit-fils", "voisin", "ami"]
SENIOR_TITLES = ["Praticien hospitalier", "PH", "Chef de clinique – Assistant des hôpitaux", "Assistant spécialiste",
                 "Médecin des hôpitaux", "Praticien contractuel", "Docteur junior"]
NEG_FILLERS = [  # ordinary words that look like names or numbers that look like identifiers: never annotated
    "Petit épanchement pleural droit, non ponctionnable.", "Langue blanche évoquant un muguet, traité localement.",
    "Teint rose, bien coloré{e}, anictérique.", "Chambre 214, lit B. Isolement contact levé.", "UF 4521 – lits portes.",
    "Globules blancs dans les urines à la BU, nitrites négatifs.", "Marche avec un déambulateur, petit périmètre.",
    "Repas mixé, eau gélifiée. Régime sans sel strict.", "Pansement refait à J3 : cicatrice propre, aspect rosé.",
    "Code CCAM : NEKA020. Codage CIM-10 : I50.1.", "Lot n° 2K47B (vaccin antigrippal), traçabilité assurée.",
    "Le berger allemand de la famille a été confié aux voisins pendant l'hospitalisation.",
    "Visite du marchand de journaux de l'hôpital appréciée.", "Petit déjeuner pris en totalité.",
    "Pas de contage tuberculeux connu. Vaccin BCG fait dans l'enfance.", "Douleur cotée à 3 sur l'échelle numérique.",
]


def setup(d: Doc, spec_keys=None, surgical: bool = False):
    d.nir_stats, d.wraps = [], 0
    d.spec_key = d.ch(spec_keys or SPEC_KEYS)
    d.spec = SPECIALTIES[d.spec_key]
    cases = d.spec["cases"]
    if surgical:
        cases = [c for c in cases if c.get("proc")]
    d.case = d.ch(cases)
    d.est_name = d.ch(ESTABLISHMENTS)
    d.est_slug = slug(d.est_name.replace("Centre hospitalier", "ch").replace("Hôpital", "hopital").replace("Clinique", "clinique"), "-")[:32].strip("-")
    d.est_service = d.ch(d.spec["service"])
    d.est_city = d.ch(CITIES)
    if d.p(0.2):
        d.est_street = d.ch([f"BP {d.ri(1, 260)}", f"CS {d.ri(1, 9)}{d.ri(0, 9999):04d}", f"B.P. {d.ri(10, 999)}"])
        d.est_zc = d.zip_city(cedex=True, city=d.est_city)
    else:
        d.est_street = d.street()
        d.est_zc = d.zip_city(cedex=d.p(0.15), city=d.est_city)
    # patient
    if "age" in d.case:
        age = d.ri(*d.case["age"])
    elif d.spec_key == "pedia":
        age = d.ri(0, 15)
    elif d.spec_key == "gyneco":
        age = d.ri(17, 46)
    elif d.spec_key == "geria":
        age = d.ri(74, 101)
    else:
        age = d.ri(18, 96)
    sex = "F" if d.spec_key == "gyneco" else d.ch("FM")
    d.pat = d.person(sex)
    d.pat.dob = d.today - dt.timedelta(days=age * 365 + d.ri(10, 360))
    d.age = age
    d.young = age < 28
    if sex == "F" and age > 25 and d.p(0.3):
        d.pat.birth_last = d.surname()
    if d.p(0.7):
        x = d.r.random()
        pool = ([c for c in CITIES if c[0].startswith("20")] if x < 0.10 else
                [c for c in CITIES if c[0].startswith("97")] if x < 0.16 else CITIES)
        z, c = d.ch(pool)
        d.birth = ("fr", z)
        d.birth_city = c if not c.startswith(("Le ", "Les ")) else d.city_for_prep()
    else:
        c, country = d.ch(FOREIGN)
        d.birth = ("foreign", country)
        d.birth_city, d.birth_country = c, country
    d.pat_zc_raw = d.ch(CITIES)
    d.pat_city = d.pat_zc_raw[1]
    d.pat_street = d.street()
    d.pat_zc = d.zip_city(city=d.pat_zc_raw)
    d.hid_kinds = [d.ch(["ipp", "ipp", "dossier"]), d.ch(["nda", "sejour", "nda"])]


def born(d: Doc) -> str:
    return "née" if d.pat.fem else "né"


def birthplace(d: Doc) -> str:
    s = mk("CITY", d.birth_city)
    if d.birth[0] == "foreign" and d.p(0.7):
        s += f" ({d.birth_country})"
    return s


def header(d: Doc) -> str:
    est, svc = d.est_name, d.est_service
    street, zc = mk("ADDRESS", d.est_street), d.ZC(d.est_zc)
    v = d.ri(0, 7)
    tel = d.phone("fixe", d.est_zc[0])
    if v == 0:
        s = f"{est.upper()}\n{svc.upper()}\n{street}\n{zc}\nTél. : {tel} – Fax : {d.phone('fixe', d.est_zc[0])}"
    elif v == 1:
        s = f"{est} – {svc}\n{street}, {zc} – Secrétariat : {tel}"
    elif v == 2:
        s = f"{est.upper()} | {svc} | FINESS {d.finess(d.est_zc[0])}\n{street} | {zc} | {tel}"
    elif v == 3:
        chef = d.staff("chef")
        s = (f"{est}\nPôle {d.ch(['médecine', 'chirurgie', 'femme-mère-enfant', 'spécialités médicales', 'gériatrie', 'cancérologie'])}\n"
             f"{svc}\nChef de service : {d.ch(['Pr', 'Dr', 'Professeur'])} {d.nm(chef, ['FLU', 'FL', 'IL'])}\n"
             f"Secrétariat : {tel} – {mk('EMAIL', 'secretariat.' + slug(svc.split(' – ')[0].split()[-1], '') + '@' + d.est_slug + '.fr')}")
    elif v == 4:
        s = f"{est}\n{street} – {zc}\nStandard : {tel}\n{d.url(kind='hosp')}"
    elif v == 5:
        s = f"{svc} – {est}\nUF {d.ri(1000, 9999)} – Hospitalisation complète\nTél. secrétariat {tel}"
    elif v == 6:
        docs = [d.staff(f"hdr{i}") for i in range(d.ri(2, 4))]
        lst = "\n".join(f"{d.ch(['Dr', 'Dr', 'Pr'])} {d.nm(x, ['FLU', 'IL', 'FL'])}" + (f" – RPPS {d.rpps()}" if d.p(0.3) else "")
                        for x in docs)
        s = f"{est.upper()}\n{svc}\n{lst}\n{street}, {zc}\nTél. {tel}"
    else:
        s = f"{est} (FINESS {d.finess(d.est_zc[0])})\n{svc}\n{street}\n{zc}\nRendez-vous : {tel}"
    return s


def identity(d: Doc, rich: int = 2) -> str:
    p = d.pat
    dob = d.D(p.dob, d.ch(["num"] * 6 + ["long", "dd.mm.yyyy", "dd-mm-yyyy", "d/m/yyyy"]))
    ne = "Née" if p.fem else "Né"
    v = d.ri(0, 8)
    lines = []
    if v == 0:
        lines += [f"Nom : {mk('PERSON', p.LAST)}", f"Prénom : {mk('PERSON', p.first)}", f"{d.ch([ne, 'Né(e)'])} le : {dob}"]
        if p.birth_last:
            lines.insert(1, f"Nom de naissance : {mk('PERSON', p.up(p.birth_last))}")
    elif v == 1:
        lines.append(f"{'Patiente' if p.fem else 'Patient'} : {d.cn(p, ['LUF', 'FLU', 'LUF'])}, {ne.lower()} le {dob} ({d.age_s})")
    elif v == 2:
        lines.append(f"Nom : {mk('PERSON', p.LAST)}   Prénom : {mk('PERSON', p.first)}   Date de naissance : {dob}   Sexe : {'F' if p.fem else 'M'}")
    elif v == 3:
        lines.append(f"NOM / Prénom : {d.nm(p, 'LUF')} | DDN : {dob} | IPP : {d.hid('ipp')}")
    elif v == 4:
        lines.append(f"Identité : {d.cn(p, ['FLU', 'LUFU'])}")
        if p.birth_last:
            lines.append(f"Nom de naissance : {mk('PERSON', p.up(p.birth_last))}")
        lines.append(f"Date et lieu de naissance : {dob} à {birthplace(d)}")
    elif v == 5:
        lines.append("Nom\tPrénom\tDDN\tSexe")
        lines.append(f"{mk('PERSON', p.LAST)}\t{mk('PERSON', p.first)}\t{dob}\t{'F' if p.fem else 'M'}")
    elif v == 6:
        if p.birth_last and p.fem:
            lines.append(f"Concerne : {d.cn(p, ['FL', 'FLU'])} née {mk('PERSON', p.up(p.birth_last))} – DDN {dob}")
        else:
            lines.append(f"Concerne : {d.cn(p, ['FL', 'FLU'])} – DDN {dob}")
    elif v == 7:
        if p.birth_last and p.fem:
            lines.append(f"{d.civ(p)} {mk('PERSON', p.first + ' ' + p.up(p.birth_last))} épouse {mk('PERSON', p.LAST)}, {d.ch([ne, 'Né(e)']).lower()} le {dob}")
        else:
            lines.append(f"{d.nm(p, 'LUFU')}  –  Né(e) le {dob}")
    else:
        lines.append(f"Patient(e) : {d.nm(p, ['LUF', 'LF'])} – {ne} le {dob} à {birthplace(d)}")
    if rich >= 1:
        opts = []
        if d.p(0.6):
            if d.p(0.5):
                opts.append(f"Adresse : {mk('ADDRESS', d.pat_street)}, {d.ZC(d.pat_zc)}")
            else:
                opts.append(f"Adresse : {mk('ADDRESS', d.pat_street)}\n{d.ch(['', '          '])}{d.ZC(d.pat_zc)}")
        if d.p(0.55):
            t = d.ch(["Tél. : ", "Tél : ", "Téléphone : ", "Portable : ", "Tel. "])
            opts.append(t + d.phone("mobile", own=True) + (f" / {d.phone('fixe', d.pat_zc[0], own=True)}" if d.p(0.3) else ""))
        if d.p(0.45):
            lab = d.ch(["N° de sécurité sociale : ", "N° SS : ", "NIR : ", "N° INSEE : ", "N° d'immatriculation : ", "Sécu : "])
            opts.append(lab + d.nir(p, d.birth))
        if rich >= 2 and d.p(0.7):
            k1, k2 = d.hid_kinds
            lab1 = {"ipp": "IPP", "dossier": "N° de dossier"}[k1]
            lab2 = {"nda": "NDA", "sejour": "N° de séjour"}[k2]
            opts.append(d.ch([f"{lab1} : {d.hid(k1)} – {lab2} : {d.hid(k2)}", f"{lab1} {d.hid(k1)} | {lab2} {d.hid(k2)}",
                              f"{lab1} : {d.hid(k1)}\n{lab2} : {d.hid(k2)}"]))
        if d.p(0.3):
            opts.append(f"Médecin traitant : {d.dr('gp', ['FLU', 'FL', 'L', 'IL'])}")
        if d.p(0.15):
            opts.append(f"Courriel : {d.email(p)}")
        lines += opts
    return "\n".join(lines)


def signature(d: Doc) -> str:
    a = d.staff("author")
    v = d.ri(0, 8)
    t = d.drt()
    if v == 0:
        return f"{t} {d.nm(a, ['FLU', 'FL'])}\n{d.ch(SENIOR_TITLES)} – {d.est_service}"
    if v == 1:
        return f"{t} {d.nm(a, ['FLU', 'FL', 'IL'])}, {d.ch(['PH', 'CCA', d.spec['spec'], 'praticien hospitalier'])}"
    if v == 2:
        return (f"Signé électroniquement par le {t} {d.nm(a, ['FLU', 'FL'])} le {d.D(d.today, d.ch(['num', 'num', 'long']))} "
                f"à {d.ri(7, 20):02d}:{d.ri(0, 59):02d}.")
    if v == 3:
        return f"Le médecin : {t} {d.nm(a, ['LU', 'L', 'LI'])}"
    if v == 4:
        i = d.staff("intern")
        return (f"Rédigé par {d.nm(i, ['ILm', 'FI', 'FL', 'IL'])}, interne, validé par le {t} {d.nm(a, ['LI', 'LU', 'LIm', 'FLU'])}, "
                f"{d.ch(['chef de clinique', 'PH', 'praticien hospitalier', d.spec['spec']])}.")
    if v == 5:
        return f"{t} {d.nm(a, ['FLU', 'FL'])} (RPPS {d.rpps()})"
    if v == 6:
        return f"{d.ch(['Pr', 'Professeur'])} {d.nm(a, ['FLU', 'FL'])}\nChef de service"
    if v == 7:
        s = d.staff("secretary", "F")
        return (f"{t} {d.nm(a, ['FLU', 'FL', 'IL'])}\nDicté le {d.D(d.today, 'num')}, frappé le "
                f"{d.D(d.after(d.today, 1, 4), 'num')} par {d.nm(s, ['FI', 'F', 'FL'])} (secrétariat)")
    return f"{t} {d.nm(a, ['FLU', 'FL'])}\n{d.spec['spec'].capitalize()}\n{d.email(a, pro=d.est_slug + '.fr')}"


def copies(d: Doc) -> str:
    gp = d.staff("gp")
    o = d.staff("other")
    spec2 = d.ch(["cardiologue", "pneumologue", "néphrologue", "rhumatologue", "endocrinologue", "gériatre", "neurologue", "chirurgien"])
    v = d.ri(0, 6)
    if v == 0:
        return f"Copie : {d.drt()} {d.nm(gp, ['FLU', 'FL', 'L'])} (médecin traitant) – {d.drt()} {d.nm(o, ['FLU', 'L', 'IL'])}, {spec2}"
    if v == 1:
        gz = d.zip_city()
        return (f"Copies :\n- {d.drt()} {d.nm(gp, ['FL', 'FLU'])}, médecin traitant, {mk('ADDRESS', d.street())}, {d.ZC(gz)}\n"
                f"- {'la patiente' if d.pat.fem else 'le patient'}")
    if v == 2:
        return f"CC : Dr {d.nm(gp, ['LU', 'L', 'IL'])} ; Dr {d.nm(o, ['LU', 'L', 'LI'])}"
    if v == 3:
        return (f"Destinataires : {d.drt()} {d.nm(gp, ['FL', 'FLU', 'L'])} (MT), {d.drt()} {d.nm(o, ['FL', 'L'])} ({spec2}), "
                f"{d.cn(d.pat, ['L', 'LU'])}, dossier")
    if v == 4:
        return f"Copie à : {d.cn(d.pat, ['FLU', 'FL'])} – {d.drt()} {d.nm(gp, ['FLU', 'L'])}"
    if v == 5:
        gz = d.zip_city()
        return f"Double adressé au {d.drt()} {d.nm(gp, ['FLU', 'FL'])}, {mk('ADDRESS', d.street())} – {d.ZC(gz)}"
    return f"Copie : {d.drt()} {d.nm(o, ['IL', 'FLU'])}, {spec2} ; {d.drt()} {d.nm(gp, ['L', 'LU'])}, médecin traitant"


def relative(d: Doc) -> tuple[Person, str]:
    sex = d.ch("FM")
    rel = d.ch(RELS_F if sex == "F" else RELS_M)
    same = rel in ("fils", "frère", "père", "petit-fils", "épouse", "époux", "fille", "sœur") and d.p(0.6)
    q = d.person(sex, last=d.pat.last if same else None)
    return q, rel


def life_block(d: Doc) -> str:
    if d.age < 15:
        mother = d.person("F", last=d.pat.last if d.p(0.6) else None)
        father = d.person("M", last=d.pat.last)
        city = d.pat_city
        where = f"à {mk('CITY', city)}" if not city.startswith(("Le ", "Les ")) else f"({mk('CITY', city)})"
        out = [d.ch([f"Vit avec ses parents {where}.", f"Domicile familial {where}, {d.ri(1, 3)} frères et sœurs."]),
               d.ch([f"Mère : {d.cn(mother, ['FL', 'FLU', 'LUF'])}, {d.ch(['tél. ', 'joignable au ', ''])}{d.phone()}.",
                     f"Parents : {d.nm(mother, ['FL', 'F'])} et {d.nm(father, ['FL', 'F'])} {d.ch(['(couple)', '(séparés, garde alternée)'])}."]),
               d.ch(["Mode de garde : crèche.", f"Assistante maternelle : {d.cn(d.staff('nounou', 'F'), ['L', 'FL'])}.", "Scolarisé" + d.e + " en maternelle.",
                     "Vaccinations à jour selon le carnet de santé."])]
        if d.p(0.4):
            out.append(f"Père : {d.cn(father, ['FLU', 'FL'])}, {d.email(father)}")
        return "\n".join(out)
    out = []
    city = mk("CITY", d.pat_city) if not d.pat_city.startswith(("Le ", "Les ")) else None
    prof = d.ch(PROFESSIONS)[1 if d.pat.fem else 0] if d.age >= 16 else "scolarisé" + d.e
    if city:
        out.append(d.ch([f"Vit {d.ch(['seul' + d.e, 'en couple', 'avec son conjoint', 'chez sa fille', 'en EHPAD'])} à {city}.",
                         f"Domicilié{d.e} à {city}, {prof}.", f"Habite à {city} ({prof}).", f"Ville de résidence : {city}"]))
    else:
        out.append(f"Lieu de résidence : {mk('CITY', d.pat_city)}\nProfession : {prof}")
    if d.p(0.5):
        arr = [", arrivé" + d.e + f" en France il y a {d.ri(3, 50)} ans."] if d.birth[0] == "foreign" else []
        out.append(f"{'Née' if d.pat.fem else 'Né'} à {birthplace(d)}" + d.ch([".", f", {prof}."] + arr))
    if d.p(0.7):
        q, rel = relative(d)
        out.append(d.ch([
            f"Personne de confiance : {d.cn(q, ['FL', 'FLU', 'LUF'])} ({rel}), {d.ch(['tél. ', 'joignable au ', ''])}{d.phone()}.",
            f"Sa {rel if q.fem else 'famille'}, {d.cn(q, ['FL', 'FLU'])}, passe chaque jour." if q.fem else
            f"Son {rel}, {d.cn(q, ['FL', 'FLU'])}, est très présent.",
            f"Personne à prévenir : {d.cn(q, ['L', 'FL'])} ({rel}) – {d.phone()}",
            f"Aidant principal : {d.nm(q, ['FL', 'F'])}, {rel}, {d.email(q)}",
        ]))
    if d.p(0.35):
        ide = d.staff("ide_lib", "F" if d.p(0.8) else "M")
        out.append(f"Passage de l'IDE libéral{'e' if ide.fem else ''} ({d.cn(ide, ['L', 'FL'])}, {d.phone()}) {d.ch(['deux fois par jour', 'matin et soir', 'le matin'])}.")
    if d.p(0.25):
        out.append(f"Mesure de protection : {d.ch(['curatelle renforcée', 'tutelle', 'habilitation familiale'])}, "
                   f"{d.ch(['mandataire', 'curateur'])} Me {d.nm(d.staff('mandataire'), ['L', 'FL'])}.")
    return "\n".join(out)


def atcd_block(d: Doc) -> str:
    items = []
    pool = list(d.spec["atcd"])
    n = d.ri(2, 5)
    seen = []
    for _ in range(n):
        a = d.ch(pool)
        if a in seen:
            continue
        seen.append(a)
        s = d.fmt(a)
        if re.search(r"\d{4}", a):
            pass
        elif d.p(0.35):
            s += f" ({d.hist_date()})"
        elif d.p(0.2):
            s += f" en {d.year()}"
        items.append(s)
    if d.age < 15:
        items.append(d.ch(["vaccinations à jour", "développement psychomoteur normal", "pas d'hospitalisation antérieure"]))
    else:
        items.append(d.ch(["appendicectomie dans l'enfance", f"cholécystectomie en {d.year()}", "hernie inguinale droite opérée",
                           "tabagisme actif à 20 PA", f"éthylisme sevré depuis {d.year()}"]))
    b = d.ch(["- ", "• ", "* "])
    return d.h("Antécédents") + "\n" + "\n".join(b + i for i in items)


def labs_prose(d: Doc, n: int | None = None) -> str:
    keys = list(d.spec["labs"])
    d.r.shuffle(keys)
    n = n or d.ri(3, min(6, len(keys)))
    return ", ".join(d.lab_prose(k) for k in keys[:n]) + "."


def drug_list(d: Doc, n: int, bullet: str) -> str:
    """n distinct drug lines; bullet '1) ' gives a numbered list."""
    groups = [d.spec["drugs"]] * 3 + ([] if d.age < 15 else ["geria", "cardio"])
    seen, lines = [], []
    for _ in range(n * 4):
        g = d.ch(groups)
        name, pos = d.ch(DRUGS[g])
        base = name.split()[0]
        if base in seen:
            continue
        seen.append(base)
        b = f"{len(lines) + 1}) " if bullet == "1) " else bullet
        lines.append(f"{b}{mk('KEEP', name)}{d.ch([' : ', ' – ', ', ', ' '])}{d.ch(pos)}")
        if len(lines) >= n:
            break
    return "\n".join(lines)


def drugs_block(d: Doc, title: str = "Traitement de sortie", n: int | None = None) -> str:
    return d.h(title) + "\n" + drug_list(d, n or d.ri(3, 6), d.ch(["- ", "• ", "", "* "]))


def imaging_sentence(d: Doc, when: dt.date | None = None) -> str:
    name, res = d.case["img"]
    w = when or d.before(d.today, 0, 6)
    return d.ch([f"{name} ({d.D(w, d.ch(['num', 'dm', 'noyear']))}) : {kp(res)}",
                 f"{name} du {d.D(w)} : {kp(res)}", f"{name} : {kp(res)}"])


def filler(d: Doc) -> str:
    return d.fmt(d.ch(NEG_FILLERS))


def info_block(d: Doc) -> str:
    if d.age < 15:
        m = d.person("F", last=d.pat.last if d.p(0.6) else None)
        return d.ch([f"{d.h('Information')}\nLe diagnostic et la conduite à tenir ont été expliqués aux parents ({d.cn(m, ['FL', 'FLU'])}, la mère, présente à l'entretien).",
                     f"Consentement parental recueilli le {d.D(d.before(d.today, 0, 5), 'num')} auprès de {d.cn(m, ['FLU', 'L'])}."])
    q, rel = relative(d)
    sa = d.poss(rel, q.fem)
    return d.ch([
        lambda: f"{d.h('Information')}\nLe diagnostic et la conduite à tenir ont été expliqués à {d.P()} et à {sa} {rel}, {d.cn(q, ['FL', 'FLU'])}, présent{'e' if q.fem else ''} à l'entretien.",
        lambda: f"Directives anticipées rédigées le {d.D(d.past_date((1, 6)))}, copie remise au {d.dr('gp', ['FLU', 'L'])}.",
        lambda: f"Personne de confiance désignée : {d.cn(q, ['FLU', 'FL', 'LUF'])} ({rel}), {mk('ADDRESS', d.street())}, {d.ZC(d.zip_city())} – {d.phone()}.",
        lambda: f"Entretien avec la famille le {d.Dw(d.before(d.today, 0, 6))} : {sa} {rel}, {d.cn(q, ['FL', 'L'])}, est informé{'e' if q.fem else ''} de l'évolution et de la limitation des thérapeutiques actives.",
        lambda: f"{d.P()} a été informé{d.e} des résultats ; consentement recueilli pour la suite de la prise en charge.",
        lambda: f"Refus de la transfusion exprimé par {d.Pbare()} ; information tracée dans le dossier le {d.D(d.before(d.today, 0, 5), 'num')}.",
    ])()


def social_block(d: Doc) -> str:
    as_ = d.staff("social", "F" if d.p(0.85) else "M")
    if d.age < 15:
        return d.h("Situation sociale") + "\n" + d.ch([
            f"Suivi par la PMI : puéricultrice {d.cn(as_, ['FL', 'L'])}, {d.phone('fixe', d.pat_zc[0])}.",
            f"Information préoccupante non retenue après évaluation par l'assistante sociale ({d.nm(as_, ['FL', 'FLU'])}).",
            f"Prise en charge à 100 % ; dossier MDPH en cours ({d.cn(as_, ['L', 'FL'])}, assistante sociale)."])
    if d.age < 65:
        return d.h("Situation sociale") + "\n" + d.ch([
            f"Arrêt de travail en cours. Rencontre avec l'assistante sociale ({d.cn(as_, ['L', 'FL'])}, poste {d.ri(2000, 6999)}) pour le maintien dans l'emploi.",
            f"Demande d'aide financière déposée ({d.cn(as_, ['L', 'FL'])}). Versement sur le compte de {d.P()} : IBAN {d.iban()}.",
            f"Sans domicile stable ; hébergement d'urgence trouvé par {d.cn(as_, ['FLU', 'L'])} (assistante sociale), {d.email(as_, pro=d.est_slug + '.fr')}.",
            f"Bénéficie de la CSS. Dossier d'ALD transmis. Assistante sociale : {d.nm(as_, ['FL', 'FLU'])}."])
    return d.h("Situation sociale") + "\n" + d.ch([
        f"Rencontre avec l'assistante sociale ({d.cn(as_, ['L', 'FL', 'FLU'])}, poste {d.ri(2000, 6999)}). Dossier APA en cours, plan d'aide : aide à domicile 2 h par jour, portage de repas.",
        f"Assistante sociale : {d.nm(as_, ['FL', 'FLU'])} – {d.email(as_, pro=d.est_slug + '.fr')}. Demande d'EHPAD déposée ; GIR {d.ri(2, 4)}.",
        f"Vit au {d.ri(1, 6)}e étage sans ascenseur. Bénéficie de la CSS. Mutuelle : non. Suivi par le service social ({d.nm(as_, ['FL'])}).",
        f"Retour à domicile organisé avec l'HAD ; coordination par {d.cn(as_, ['FLU', 'L'])}, {d.phone('fixe', d.est_zc[0])}.",
        f"Demande d'aide financière déposée ({d.cn(as_, ['L', 'FL'])}). Versement sur le compte de {d.P()} : IBAN {d.iban()}.",
        f"Frais de transport remboursés sur le RIB fourni par {d.poss('famille', True)} famille (IBAN {d.iban()}, titulaire {d.cn(relative(d)[0], ['FLU', 'FL'])}).",
    ])


def rdv_block(d: Doc) -> str:
    items = []
    b = d.ch(["- ", "• "])
    for w in sorted(d.after(d.today, 7, 150) for _ in range(d.ri(2, 4))):
        items.append(d.ch([
            f"{b}{d.Dw(w, cap=b == '')} à {d.ri(8, 17)}h{d.ch(['00', '15', '30', '45'])} : consultation avec le {d.dr(d.ch(['author', 'other']), ['FLU', 'L', 'LU'])}",
            f"{b}{d.D(w)} : {d.ch(['IRM', 'scanner', 'échographie', 'EFR', 'coloscopie', 'ETT'])} ({d.ch(['à jeun', 'se munir des anciens examens', 'prévoir 1 heure'])})",
            f"{b}{d.D(w, d.ch(['num', 'dm']))} : bilan biologique au laboratoire de ville",
            f"{b}semaine du {d.D(w, d.ch(['noyear', 'num']))} : hôpital de jour",
        ]))
    return d.h("Rendez-vous") + "\n" + "\n".join(items)


def prior_block(d: Doc) -> str:
    d1 = d.past_date((1, 8))
    d2 = d.after(d1, 2, 15)
    return d.ch([
        f"Hospitalisations antérieures : {d.Drange(d1, d2)} pour {d.fmt(d.ch(d.spec['atcd']))} ; {d.D(d.past_date((1, 10)), 'my')} pour une pneumopathie.",
        f"Précédent séjour dans le service {d.Drange(d1, d2)} (compte rendu n° {d.hid('ref')}).",
        f"Dernière consultation le {d.D(d1)} avec le {d.dr('other', ['FLU', 'L'])}.",
        f"Suivi{d.e} depuis {d.D(d1, d.ch(['my', 'm/y']))} par le {d.dr('other', ['FL', 'FLU', 'L'])} ({d.ch(['cardiologue', 'pneumologue', 'néphrologue', 'dermatologue'])}).",
    ])


def vacc_block(d: Doc) -> str:
    return d.h("Allergies et vaccinations") + "\n" + d.ch(["Pas d'allergie connue.", "Allergie : pénicilline (urticaire).", "Allergie à l'iode.",
                                                            "Intolérance aux AINS."]) + " " + d.ch([
        f"Rappel antitétanique le {d.D(d.past_date((1, 9)), d.ch(['dd.mm.yyyy', 'num', 'long']))}.",
        f"Vaccin antigrippal en {d.D(d.before(d.today, 30, 330), 'my')}.",
        f"Vaccination COVID-19 : 3 doses, la dernière le {d.D(max(d.past_date((0, 3)), dt.date(2021, 9, 1)))}." if d.today.year >= 2022 else "Vaccinations à jour selon le carnet.",
        f"Vaccin pneumococcique le {d.D(d.past_date((1, 5)), 'num')}, rappel prévu en {d.D(d.after(d.today, 200, 900), 'm/y')}.",
    ])


def synth_block(d: Doc) -> str:
    return d.h("Synthèse") + "\n" + d.ch([
        f"Au total, {d.Pbare()}, {d.age_s}, hospitalisé{d.e} pour {d.motif()} : {d.concl(lc=True)}.",
        f"{d.P()} présente {d.motif()}. {d.concl()}. Sortie à domicile.",
        f"En résumé, {d.concl(lc=True)} chez {'une patiente' if d.pat.fem else 'un patient'} de {d.age_s}.",
        f"Évolution favorable ; {d.P()} rentre à domicile avec le traitement ci-dessous.",
    ])


def assemble(d: Doc, blocks, lo: int = 800, hi: int = 4000):
    """blocks: list of (marked text, required). Keep order; fit between lo and hi characters."""
    target = d.ri(max(lo, 1200), 3800)
    sizes = [len(plain(b)) + 2 for b, _ in blocks]
    keep = [req for _, req in blocks]
    total = sum(s for s, k in zip(sizes, keep) if k)
    for i, (b, req) in enumerate(blocks):
        if not req and (total + sizes[i] <= target or total < lo):
            if total + sizes[i] <= hi - 20:
                keep[i] = True
                total += sizes[i]
    if total < lo or total > hi - 10:
        return None
    return "\n\n".join(b.strip("\n") for (b, _), k in zip(blocks, keep) if k and b.strip()) + "\n"


# --------------------------------------------------------------------------------------
# Document kinds. Each returns a list of (block, required) for assemble().
# --------------------------------------------------------------------------------------
def k_crh(d: Doc):
    setup(d)
    adm = d.before(d.today, 2, 25)
    out = d.before(d.today, 0, 1) if d.p(0.5) else d.today
    if out <= adm:
        out = d.after(adm, 3, 12)
    motif = d.motif()
    title = d.ch(["COMPTE RENDU D'HOSPITALISATION", "COMPTE-RENDU D'HOSPITALISATION", "Compte rendu d'hospitalisation",
                  "COMPTE RENDU DE SÉJOUR", f"CRH – {d.est_service.upper()}", "LETTRE DE SORTIE – COMPTE RENDU D'HOSPITALISATION"])
    h = "Hospitalisée" if d.pat.fem else "Hospitalisé"
    stay = d.ch([
        lambda: f"{h} {d.Drange(adm, out)} pour {motif}.",
        lambda: f"Date d'entrée : {d.D(adm)} – Date de sortie : {d.D(out)}\nMotif : {d.motif(bare=True)}",
        lambda: f"Entrée : {d.D(adm, 'dd.mm.yyyy')} | Sortie : {d.D(out, 'dd.mm.yyyy')} | Durée de séjour : {(out - adm).days} jours | Mode d'entrée : {d.ch(['urgences', 'programmé', 'mutation'])}",
        lambda: f"{d.Pfull()}, {d.age_s}, a été {h.lower()} dans notre service {d.Drange(adm, out)} pour {motif}.",
        lambda: f"Motif d'hospitalisation : {d.motif(bare=True)}\nPériode : {d.Drange(adm, out)}",
        lambda: f"Nous avons pris en charge {d.Pfull()} {d.Drange(adm, out)}, {d.ch(['adressé', 'transféré', 'admis'])}{d.e} {d.ch(['par les urgences', 'par son médecin traitant', 'depuis la réanimation'])} pour {motif}.",
        lambda: f"Séjour {d.Drange(adm, out)} – {d.motif(bare=True)}.",
    ])()
    d.staff("author")  # the author is drawn first so that later mentions reuse them
    hist = d.ch([
        f"{d.Pfull()}, {d.age_s}, {d.ch(['aux antécédents résumés ci-dessus', 'sans antécédent notable', 'bien connu' + d.e + ' du service'])}, "
        f"est {d.ch(['adressé', 'hospitalisé', 'admis'])}{d.e} par {d.ch(['le', 'son médecin traitant, le'])} {d.dr('gp', ['FLU', 'L', 'FL'])} pour {motif}. ",
        f"{d.P()}, {d.age_s}, consulte aux urgences le {d.Dw(adm)} pour {motif}. ",
        f"Il s'agit d'{'une patiente' if d.pat.fem else 'un patient'} de {d.age_s}, {d.Pbare()}, {d.ch(['suivi', 'pris en charge'])}{d.e} pour {d.fmt(d.ch(d.spec['atcd']))}. ",
    ]) + d.hist()
    if d.p(0.4):
        hist += " " + d.ch([f"Début des symptômes le {d.D(d.before(adm, 1, 10), d.ch(['noyear', 'num', 'dm']))}.",
                            f"Dernière consultation en {d.D(d.before(adm, 30, 400), 'my')}.",
                            f"Symptômes depuis le {d.Dw(d.before(adm, 1, 6))}."])
    evo = [d.fmt(d.ch([
        "Évolution favorable sous traitement, apyrexie obtenue à J3.",
        "L'évolution est marquée par un épisode de confusion nocturne résolutif.",
        "Amélioration clinique progressive permettant le retour à domicile.",
        "Mobilisation précoce avec le kinésithérapeute, reprise de la marche à J2.",
        "Survenue d'une rétention aiguë d'urine à J4, sondage évacuateur.",
        "Pas de complication hémorragique. Éducation thérapeutique réalisée."]))]
    if d.p(0.6):
        mid = d.after(adm, 1, max(1, (out - adm).days))
        evo.append(d.ch([f"Le {d.D(mid, d.ch(['noyear', 'num', 'dm']))}, diagnostic retenu : {d.concl(lc=True)}.",
                         f"Avis du {d.dr('other', ['FLU', 'L', 'LU'])} ({d.ch(['cardiologue', 'néphrologue', 'infectiologue', 'gériatre'])}) le {d.D(mid)} : poursuite du traitement.",
                         f"Staff pluridisciplinaire du {d.Dw(mid)} : retour à domicile validé avec {d.Pbare()} et sa famille."]))
    if d.p(0.5):
        evo.append(filler(d))
    blocks = [
        (header(d), True),
        (title, True),
        (identity(d) + "\n\n" + stay, True),
        (d.h("Motif d'hospitalisation") + "\n" + d.motif(bare=True, cap=True), False),
        (atcd_block(d), False),
        (vacc_block(d), False),
        (d.h("Mode de vie") + "\n" + life_block(d), False),
        (prior_block(d), False),
        (d.h("Histoire de la maladie") + "\n" + hist, True),
        (d.h("Examen clinique") + "\n" + d.pick("À l'entrée : ", "", "Examen d'entrée : ") + d.vitals() + " " + d.exam(), False),
        (d.h("Examens complémentaires") + "\n" + "Biologie : " + labs_prose(d) + "\n" + imaging_sentence(d, d.after(adm, 0, 2)), False),
        (d.h("Évolution") + "\n" + " ".join(evo), True),
        (d.h("Conclusion") + "\n" + d.concl() + ".", True),
        (synth_block(d), False),
        (info_block(d), False),
        (social_block(d), False),
        (drugs_block(d), False),
        (rdv_block(d), False),
        (d.h("Suivi") + "\n" + d.ch([
            f"Rendez-vous de consultation le {d.Dw(d.after(d.today, 20, 90))} à {d.ri(8, 17)}h{d.ch(['00', '15', '30', '45'])} avec le {d.dr('author', ['L', 'LU', 'FLU'])}.",
            f"Contrôle biologique (NFS, ionogramme) à J8, résultats à adresser au {d.dr('gp', ['FLU', 'L'])}.",
            f"Hôpital de jour prévu en {d.D(d.after(d.today, 40, 120), 'my')}.",
            f"Prochaine consultation le {d.D(d.after(d.today, 20, 90))} ; en cas de problème, joindre le secrétariat au {d.phone('fixe', d.est_zc[0])}."]), False),
        (signature(d), True),
        (copies(d), False),
    ]
    return blocks


def k_lettre(d: Doc):
    setup(d)
    gp = d.staff("gp")
    ecity = d.est_zc[1].replace(" Cedex", "").replace(" CEDEX", "")
    ecity = re.sub(r" \d+$", "", ecity)
    place = (mk("CITY", ecity) + ", le " if not ecity.startswith(("Le ", "Les ", "LE ", "LES ")) and d.p(0.6) else "Le ") + d.D(d.today, d.ch(["long", "long", "num"]))
    gz = d.zip_city(upper=d.p(0.3))
    up = d.p(0.25)
    rec = d.ch([
        lambda: f"{d.drt()} {d.nm(gp, ['FLU', 'FL'])}\n{mk('ADDRESS', d.street(upper=up))}\n{d.ZC(gz)}",
        lambda: f"À l'attention du {d.drt()} {d.nm(gp, ['FLU', 'FL', 'IL'])}\nMédecin généraliste\n{mk('ADDRESS', d.street())} – {d.ZC(gz)}",
        lambda: f"Destinataire : {d.drt()} {d.nm(gp, ['FL', 'FLU'])}, {mk('ADDRESS', d.street())}, {d.ZC(gz)}",
        lambda: f"Docteur {d.nm(gp, ['FL', 'FLU'])}\nCabinet médical\n{mk('ADDRESS', d.street())}\n{d.ZC(gz)}\n{d.email(gp, pro=d.ch(['medecin.mssante.fr', 'cabinet-medical.fr', 'mssante.fr']))}",
        lambda: f"{d.drt()} {d.nm(gp, ['LUF', 'FLU'])}\n{mk('ADDRESS', d.street())}\n{d.ZC(gz)}\nFax : {d.phone('fixe', gz[0])}",
        lambda: f"Docteur {d.nm(gp, ['FLU'])}\n{mk('ADDRESS', 'BP ' + str(d.ri(1, 300)))}\n{d.ZC(d.zip_city(cedex=True))}",
    ])()
    ne = born(d)
    obj = d.ch([f"Objet : {d.Pfull()}, {ne} le {d.D(d.pat.dob)}", f"Concerne : {d.cn(d.pat, ['LUF', 'FLU'])} – DDN {d.D(d.pat.dob, 'num')}",
                f"Objet : lettre de liaison – {d.cn(d.pat, ['FLU', 'FL'])}",
                f"V/Réf : {d.cn(d.pat, ['LU', 'LUF'])}  N/Réf : {d.hid('ref')}",
                f"Objet : sortie d'hospitalisation de {d.Pfull()} ({d.hid(d.hid_kinds[0])})"])
    sal = d.ch(["Cher confrère,", "Chère consœur,", "Cher ami,", "Mon cher confrère,", "Chère collègue,", "Madame, Monsieur, cher confrère,"])
    adm = d.before(d.today, 3, 30)
    out = d.after(adm, 2, 12)
    motif = d.motif()
    body = d.ch([
        lambda: f"Je vous remercie de m'avoir adressé {d.Pfull()}, {d.age_s}, que j'ai vu{d.e} en consultation le {d.Dw(d.before(d.today, 0, 10))} pour {motif}.",
        lambda: f"Votre patient{d.e} {d.Pfull()} a été hospitalisé{d.e} dans notre service {d.Drange(adm, out)} pour {motif}.",
        lambda: f"Je vous adresse ce courrier de liaison concernant {d.Pfull()}, {ne} le {d.D(d.pat.dob)}, sorti{d.e} ce jour de notre unité.",
        lambda: f"Pour faire suite à notre conversation téléphonique du {d.D(d.before(d.today, 1, 7), d.ch(['noyear', 'num']))}, je vous donne des nouvelles de {d.Pfull()}.",
        lambda: f"J'ai eu le plaisir de revoir {d.Pfull()} le {d.D(d.before(d.today, 0, 5))}, {d.ch(['accompagné' + d.e + ' de son épouse', 'seul' + d.e, 'accompagné' + d.e + ' de sa fille'])}.",
        lambda: f"Suite à la sortie de {d.Pfull()} le {d.D(out)}, voici les éléments importants du séjour ({motif}).",
        lambda: f"Vous connaissez bien {d.Pfull()}, {d.age_s}, que nous avons accueilli{d.e} {d.Drange(adm, out)} pour {motif}.",
    ])()
    clin = d.hist() + " " + d.ch(["Sur le plan clinique : ", "À l'examen : ", ""]) + d.vitals() + " " + d.exam()
    bio = d.ch(["Le bilan biologique retrouve : ", "Biologie : ", "Sur le plan biologique, "]) + labs_prose(d)
    concl = d.ch(["Au total, ", "En conclusion, ", "Je retiens le diagnostic de ", "Au terme du bilan : "]) + d.concl(lc=True) + "."
    suivi = d.ch([
        f"Je reverrai {d.P()} le {d.Dw(d.after(d.today, 14, 120))} avec un bilan biologique.",
        f"Un contrôle est prévu en {d.D(d.after(d.today, 60, 200), 'my')}, je vous tiendrai informé.",
        f"{d.P()} reste joignable au {d.phone(own=True)} ; n'hésitez pas à me recontacter au {d.phone('fixe', d.est_zc[0])}.",
        f"Je vous remercie de surveiller la kaliémie à une semaine ; l'IDE {d.nm(d.staff('ide_lib'), ['FL', 'FLU'])} passera à domicile.",
        f"Rendez-vous pris en hôpital de jour le {d.D(d.after(d.today, 10, 60))}."])
    close = d.ch(["Bien confraternellement,", "Je vous prie de croire, cher confrère, en l'expression de mes sentiments confraternels.",
                  "Bien à vous,", "Je reste à votre disposition. Très cordialement,", "Avec mes remerciements, bien confraternellement."])
    blocks = [
        (header(d), True),
        (place, True),
        (rec, True),
        (obj, True),
        (sal + "\n\n" + body, True),
        (d.h("Antécédents") + "\n" + ", ".join(d.fmt(a) for a in d.r.sample(d.spec["atcd"], 2)) + "." if d.p(0.5) else atcd_block(d), False),
        (clin, False),
        (bio, False),
        (imaging_sentence(d), False),
        (concl, True),
        (drugs_block(d, d.ch(["Traitement de sortie", "Traitement actuel", "Ordonnance de sortie"])), False),
        (prior_block(d), False),
        (info_block(d), False),
        (suivi, False),
        (rdv_block(d), False),
        (life_block(d), False),
        (close + "\n\n" + signature(d), True),
        (copies(d), False),
    ]
    return blocks


def k_cro(d: Doc):
    setup(d, ["ortho", "ortho", "gastro", "gyneco", "nephro", "onco", "cardio", "endoc", "pedia", "rhumato", "neuro", "pneumo"], surgical=True)
    op = d.before(d.today, 0, 2)
    proc = d.fmt(d.case["proc"])
    surg, aide, anes = d.staff("author"), d.staff("intern"), d.staff("anesth")
    ibode = d.staff("ibode", "F" if d.p(0.7) else "M")
    v = d.ri(0, 5)
    if v == 0:
        info = (f"Date de l'intervention : {d.D(op)}\nOpérateur : {d.drt()} {d.nm(surg, ['FLU', 'FL', 'IL'])}\n"
                f"Aide opératoire : {d.nm(aide, ['FL', 'ILm', 'FLU'])} (interne)\nAnesthésiste : {d.drt()} {d.nm(anes, ['FLU', 'L', 'LU'])}\n"
                f"IBODE : {d.nm(ibode, ['FI', 'FL'])}")
    elif v == 1:
        info = (f"Intervention du {d.Dw(op)} | Chirurgien : {d.drt()} {d.nm(surg, ['LU', 'FLU'])} | Aide : {d.nm(aide, ['FL', 'FI'])} | "
                f"Anesthésie : {d.drt()} {d.nm(anes, ['L', 'FL'])} ({d.ch(['AG', 'rachianesthésie', 'ALR', 'AG + bloc'])})")
    elif v == 2:
        info = (f"Opéré{d.e} le : {d.D(op, d.ch(['dd.mm.yyyy', 'num']))}\nÉquipe : {d.drt()} {d.nm(surg, ['IL', 'FLU'])}, "
                f"{d.drt()} {d.nm(anes, ['IL', 'FLU'])} (MAR), {d.nm(ibode, ['FL', 'FI'])} (IBODE), {d.nm(aide, ['FL', 'FI'])} (interne)")
    elif v == 3:
        info = (f"Date\tOpérateur\tAnesthésiste\n{d.D(op, 'num')}\t{d.drt()} {d.nm(surg, ['LU', 'IL'])}\t{d.drt()} {d.nm(anes, ['LU', 'IL'])}")
    elif v == 4:
        info = (f"Le {d.D(op, 'long')}, au bloc {d.ri(1, 12)}, sous la responsabilité du {d.drt()} {d.nm(surg, ['FLU', 'FL'])}, "
                f"aidé{'e' if surg.fem else ''} de {d.nm(aide, ['FL', 'FLU'])}.")
    else:
        info = (f"OPÉRATEUR : {d.drt().upper()} {d.nm(surg, ['LU', 'LUFU'])}\nAIDE : {d.nm(aide, ['LU', 'LUFU'])}\n"
                f"ANESTHÉSISTE : {d.drt().upper()} {d.nm(anes, ['LU'])}\nDATE : {d.D(op, d.ch(['num', 'longU']))}")
    ind = d.ch([f"{d.Pfull()}, {d.age_s}, présentant {d.motif()}. ",
                f"Indication posée en consultation le {d.D(d.before(op, 10, 120))} devant {d.motif()}. ",
                f"{d.P()} : {d.motif()}, indication validée en RCP du {d.D(d.before(op, 7, 60))}. "]) + d.hist()
    steps = [d.fmt_cap(d.case["install"]),
             d.ch([f"Antibioprophylaxie par {mk('KEEP', 'Céfazoline 2 g')} IV à l'induction.", "Check-list HAS vérifiée.",
                   "Badigeon à la povidone iodée, champage stérile."]),
             d.fmt_cap(d.case["approach"]),
             d.ch(["Dissection prudente, hémostase à la pince bipolaire.", "Exposition satisfaisante, pas de difficulté particulière.",
                   "Hémostase soigneuse au bistouri électrique.", "Lavage abondant au sérum physiologique."]),
             proc + ".",
             d.ch([f"Mise en place d'un {kp('[[drain de Redon]]')} aspiratif.", f"Drainage par {kp('[[lame de Delbet]]')}.", "Pas de drainage."]),
             d.ch(["Fermeture plan par plan, surjet intradermique.", "Fermeture aponévrotique au fil résorbable, agrafes cutanées.",
                   "Pansement sec. Pertes sanguines estimées à 150 mL."])]
    if d.p(0.5):
        steps.append(d.ch([f"Implant : tige fémorale cimentée taille {d.ri(1, 9)}, lot n° {d.ri(1, 9)}K{d.ri(10, 99)}B.",
                           f"Compte des compresses vérifié. Durée opératoire : {d.ri(0, 2)} h {d.ri(5, 55):02d}.",
                           f"Pièce adressée en anatomopathologie (demande n° {d.hid('examen')})."]))
    suites = d.ch(["Appui complet autorisé d'emblée.", "Lever à J1 avec le kinésithérapeute.", "Sortie prévue à J2 si bonne évolution."]) + " " + \
        d.ch([f"{mk('KEEP', 'Lovenox 4000 UI')} 1 injection SC par jour pendant 35 jours.", f"{mk('KEEP', 'Doliprane 1 g')} toutes les 6 heures.",
              f"{mk('KEEP', 'Tramadol 50 mg')} si EVA > 4."]) + " " + \
        d.ch(["Ablation des fils à J15 par l'IDE à domicile.", f"Consultation de contrôle le {d.Dw(d.after(op, 30, 50))} avec radiographie.",
              f"Revoir en consultation en {d.D(d.after(op, 30, 90), 'my')}.", f"Contrôle le {d.D(d.after(op, 10, 45), 'num')} avec le {d.dr('author', ['L', 'LU'])}."])
    blocks = [
        (header(d), True),
        (d.ch(["COMPTE RENDU OPÉRATOIRE", "Compte rendu opératoire", "CRO", "COMPTE-RENDU OPÉRATOIRE", "COMPTE RENDU OPERATOIRE"]), True),
        (identity(d, rich=d.ri(0, 2)), True),
        (info, True),
        (d.h("Intervention") + "\n" + proc, False),
        (d.h("Indication") + "\n" + ind, True),
        (d.h("Description") + "\n" + "\n".join(steps) if d.p(0.5) else d.h("Compte rendu") + "\n" + " ".join(steps), True),
        (d.h("Suites opératoires") + "\n" + suites, False),
        (d.h("Consignes de sortie") + "\n" + d.ch([f"Pansement tous les 2 jours par l'IDE à domicile ; ablation des fils le {d.D(d.after(op, 12, 16), d.ch(['noyear', 'num', 'dm']))}.",
                                                    f"Arrêt de travail jusqu'au {d.D(d.after(op, 20, 60))}. Pas de port de charge.",
                                                    f"En cas de fièvre ou d'écoulement, appeler le {d.phone('fixe', d.est_zc[0])} (secrétariat) ou le 15."]), False),
        (filler(d), False),
        (rdv_block(d), False),
        (signature(d), True),
        (copies(d), False),
    ]
    return blocks


def k_consult(d: Doc):
    setup(d)
    day = d.before(d.today, 0, 3)
    title = d.ch([f"CONSULTATION DE {DISCIPLINES[d.spec_key].upper()}",
                  "COMPTE RENDU DE CONSULTATION", f"Consultation du {d.Dw(day)}", "CONSULTATION", f"Consultation {d.ch(['de suivi', 'spécialisée', 'de contrôle', 'externe'])}",
                  f"COMPTE RENDU DE CONSULTATION DU {d.D(day, 'num')}"])
    q, rel = relative(d)
    intro = d.ch([
        lambda: f"Je revois ce jour {d.Pfull()}, {d.age_s}, pour le suivi de {d.fmt(d.ch(d.spec['atcd']))}.",
        lambda: f"{d.Pfull()} est venu{d.e} en consultation le {d.Dw(day)}, accompagné{d.e} de {d.poss(rel, q.fem)} {rel}, {d.cn(q, ['FL', 'FLU'])}.",
        lambda: f"Consultation de suivi de {d.Pfull()} ({d.hid(d.hid_kinds[0])}), {d.age_s}.",
        lambda: f"Vu{d.e} ce jour en consultation à la demande du {d.dr('gp', ['FLU', 'L', 'FL'])} : {d.Pfull()}, {d.age_s}, pour {d.motif()}.",
        lambda: f"Première consultation pour {d.Pfull()}, adressé{d.e} par le {d.dr('other', ['FLU', 'L'])}, {d.ch(['cardiologue', 'médecin traitant', 'urgentiste'])}.",
        lambda: f"Téléconsultation avec {d.Pfull()} (lien envoyé à {d.email(d.pat)}), {d.age_s}.",
        lambda: f"{d.P()}, {d.age_s}, suivi{d.e} pour une {kp(d.ch(['[[maladie de Parkinson]]', '[[maladie de Crohn]]', '[[maladie de Horton]]', '[[maladie de Basedow]]', '[[maladie de Paget]]', '[[maladie de Dupuytren]]']))}, "
                f"consulte ce jour pour {d.motif()}.",
    ])()
    cat = d.ch([f"Prochain rendez-vous le {d.Dw(d.after(d.today, 30, 180))}.", f"Revoir dans 3 mois, soit en {d.D(d.after(d.today, 85, 95), 'my')}.",
                f"Bilan à faire avant la prochaine consultation du {d.D(d.after(d.today, 20, 120))}.",
                f"Courrier adressé au {d.dr('gp', ['FLU', 'L'])}. Pas de nouveau rendez-vous programmé.",
                f"RDV : {d.Dw(d.after(d.today, 14, 90))} à {d.ri(8, 17)}h{d.ch(['00', '30'])} – {d.ch(['IRM', 'échographie', 'EFR', 'consultation'])}"])
    blocks = [
        (header(d), d.p(0.7)),
        (title, True),
        (d.ch([f"Date : {d.D(day)}", f"Le {d.D(day, 'long')}", f"Consultation du {d.D(day, 'num')} – {d.dr('author', ['FLU', 'L'])}", ""]), False),
        (intro, True),
        (atcd_block(d), False),
        (d.h("Histoire") + "\n" + d.hist() + (" " + filler(d) if d.p(0.4) else ""), True),
        (d.h("Examen") + "\n" + d.vitals() + " " + d.exam(), False),
        (d.h("Examens complémentaires") + "\n" + imaging_sentence(d, d.before(day, 5, 90)) + "\nBiologie du " + d.D(d.before(day, 2, 30)) + " : " + labs_prose(d), False),
        (d.h("Conclusion") + "\n" + d.concl() + ".", True),
        (vacc_block(d), False),
        (prior_block(d), False),
        (info_block(d), False),
        (d.h("Conduite à tenir") + "\n" + drug_list(d, d.ri(1, 3), "- ") + "\n" + cat, False),
        (life_block(d), False),
        (rdv_block(d), False),
        (signature(d), True),
        (copies(d), False),
    ]
    return blocks


def k_ordo(d: Doc):
    setup(d)
    a = d.staff("author")
    v = d.ri(0, 6)
    tel = d.phone("fixe", d.est_zc[0])
    spec = d.spec["spec"]
    if v == 0:
        presc = (f"{d.drt()} {d.nm(a, ['FLU', 'FL'])}\n{spec.capitalize()}\n{mk('ADDRESS', d.est_street)}\n{d.ZC(d.est_zc)}\n"
                 f"Tél. : {tel}\nN° RPPS : {d.rpps()}")
    elif v == 1:
        presc = (f"{header(d)}\n\nPrescripteur : {d.drt()} {d.nm(a, ['FLU', 'FL'])} – RPPS {d.rpps()}\n"
                 f"Établissement : FINESS {d.finess(d.est_zc[0])}")
    elif v == 2:
        presc = (f"Docteur {d.nm(a, ['FL', 'FLU'])}\nMédecine générale – Conventionné secteur 1\n{mk('ADDRESS', d.street())}\n{d.ZC(d.est_zc)}\n"
                 f"Sur rendez-vous : {tel} ou {d.url(a, job='medecin generaliste')}\nRPPS {d.rpps()}")
    elif v == 3:
        presc = (f"{d.est_name.upper()}\n{d.est_service}\n{d.drt()} {d.nm(a, ['LUF', 'FLU'])} ({d.ch(SENIOR_TITLES)})\nRPPS : {d.rpps()}  –  "
                 f"FINESS : {d.finess(d.est_zc[0])}\n{mk('ADDRESS', d.est_street)} – {d.ZC(d.est_zc)}")
    elif v == 4:
        presc = (f"Dr {d.nm(a, ['FLU'])}\nAncien{'ne' if a.fem else ''} interne des hôpitaux\n{spec.capitalize()}\n"
                 f"{mk('ADDRESS', d.street())} – {d.ZC(d.est_zc)}\n{tel} – {d.email(a, pro=d.ch(['medecin.mssante.fr', 'wanadoo.fr', 'orange.fr']))}")
    elif v == 5:
        presc = f"{d.drt()} {d.nm(a, ['FLU', 'FL'])} | {spec} | RPPS {d.rpps()} | {tel}"
    else:
        presc = (f"Cabinet médical {d.ch(['des Tilleuls', 'du Centre', 'de la Gare', 'du Port'])}\n{d.drt()} {d.nm(a, ['FLU', 'FL'])} – "
                 f"{d.drt()} {d.nm(d.staff('assoc'), ['FLU', 'FL'])}\n{mk('ADDRESS', d.street())}, {d.ZC(d.est_zc)}\nTél. {tel}")
    ecity = re.sub(r" (Cedex|CEDEX)( \d+)?$", "", d.est_zc[1])
    date = (mk("CITY", ecity) + ", le " if d.p(0.5) and not ecity.upper().startswith(("LE ", "LES ")) else "Le ") + d.D(d.today, d.ch(["num", "long", "num"]))
    p = d.pat
    pat = d.ch([
        f"{d.cn(p, ['FLU', 'LUF', 'FL'])}",
        f"Nom : {mk('PERSON', p.LAST)}   Prénom : {mk('PERSON', p.first)}\nÂge : {d.age_s} – Poids : {d.ri(8, 110) if d.spec_key == 'pedia' else d.ri(40, 120)} kg",
        f"Patient{d.e} : {d.cn(p, ['LUF', 'FLU'])}, {born(d)} le {d.D(p.dob, 'num')}",
        f"{d.cn(p, ['LUFU', 'FLU'])} ({d.age_s})\n{mk('ADDRESS', d.pat_street)}, {d.ZC(d.pat_zc)}",
        f"Pour : {d.cn(p, ['FL', 'FLU'])} – NIR {d.nir(p, d.birth)}",
        f"{d.nm(p, ['LU'])} {mk('PERSON', p.first)}" if d.p(0.5) else f"{d.cn(p, ['FLU'])}",
    ])
    title = d.ch(["ORDONNANCE", "Ordonnance", "ORDONNANCE BIZONE", "ORDONNANCE DE SORTIE", "PRESCRIPTION MÉDICALE", "Ordonnance sécurisée"])
    drugs = drug_list(d, d.ri(3, 7), d.ch(["- ", "", "• ", "1) "]))
    if title == "ORDONNANCE BIZONE":
        drugs = ("Prescriptions relatives au traitement de l'affection de longue durée reconnue (liste ou hors liste) :\n" + drugs +
                 "\n\nPrescriptions SANS RAPPORT avec l'affection de longue durée :\n" + d.drug_line("geria"))
    extra = [
        d.ch(["QSP 1 mois, à renouveler 2 fois.", "QSP 3 mois.", "Traitement pour 10 jours.", "Non substituable (en toutes lettres).",
              "Renouvelable 6 mois."]),
        d.ch([f"Bilan biologique à réaliser le {d.D(d.after(d.today, 5, 40))} : NFS, ionogramme, créatinine, {d.ch(['INR', 'TSH', 'HbA1c', 'CRP'])}.",
              f"Soins infirmiers à domicile : injection SC quotidienne, par {d.ch(['Mme', 'M.'])} {d.nm(d.staff('ide_lib'), ['FL', 'L'])}, IDE.",
              "Kinésithérapie : 15 séances de rééducation à domicile.", "Bas de contention classe 2, 2 paires."]),
        d.ch([f"Prochain rendez-vous : {d.Dw(d.after(d.today, 20, 100))}.", f"En cas d'urgence : {d.phone('fixe', d.est_zc[0])}.",
              "Ne pas dépasser les doses prescrites.", f"Contrôle en {d.D(d.after(d.today, 60, 200), 'my')}."]),
    ]
    blocks = [
        (presc, True),
        (date, True),
        (pat, True),
        (title, True),
        (drugs, True),
        (extra[0], False),
        (extra[1], False),
        (extra[2], False),
        (d.h("Recommandations") + "\n" + d.ch(["Régime pauvre en sel.", "Arrêt du tabac conseillé.", "Activité physique adaptée, 30 minutes par jour.",
                                                "Surveillance de la glycémie capillaire matin et soir."]) + " " + filler(d), False),
        (d.ch([f"{d.drt()} {d.nm(a, ['FLU', 'L', 'IL'])}", "Signature :", f"Signature du prescripteur\n{d.drt()} {d.nm(a, ['LU', 'IL'])}"]), True),
        (d.ch([f"Pharmacie : délivré le {d.D(d.after(d.today, 0, 2), 'num')}.", f"Copie : {d.dr('gp', ['L', 'FLU'])}"]), False),
    ]
    return blocks


def k_bio(d: Doc):
    setup(d)
    samp = d.before(d.today, 0, 2)
    bio_p = d.staff("biologist")
    lab = d.ch(LABS_NAMES)
    head = d.ch([
        lambda: f"{lab.upper()}\n{d.est_name}\n{mk('ADDRESS', d.est_street)} – {d.ZC(d.est_zc)}\nTél. : {d.phone('fixe', d.est_zc[0])}\nBiologiste responsable : {d.drt()} {d.nm(bio_p, ['FLU', 'FL'])}",
        lambda: f"{lab} – {d.est_name}\nFINESS {d.finess(d.est_zc[0])} – Accréditation Cofrac n° 8-{d.ri(1000, 4999)}",
        lambda: f"{d.est_name.upper()} | {lab} | {d.phone('fixe', d.est_zc[0])}",
        lambda: f"{lab}\n{mk('ADDRESS', d.est_street)}\n{d.ZC(d.est_zc)}\n{d.url(kind='hosp')}",
        lambda: f"{lab}\nSite {d.est_name}\nSecrétariat : {d.phone('fixe', d.est_zc[0])} – Fax : {d.phone('fixe', d.est_zc[0])}",
        lambda: f"RÉSULTATS D'ANALYSES – {lab.upper()}",
    ])()
    p = d.pat
    ne = "Née" if p.fem else "Né"
    pid = d.ch([
        lambda: f"Patient : {d.nm(p, ['LUF', 'LUFU'])}   {ne} le : {d.D(p.dob, 'num')}   Sexe : {'F' if p.fem else 'M'}",
        lambda: f"Nom : {mk('PERSON', p.LAST)}\nPrénom : {mk('PERSON', p.first)}\nDate de naissance : {d.D(p.dob, d.ch(['num', 'dd.mm.yyyy']))}",
        lambda: identity(d, rich=1),
        lambda: f"{d.cn(p, ['LUFU'], upper=True)} | {d.D(p.dob, 'num')} | {d.age_s}",
        lambda: f"Identité : {d.nm(p, ['LUF'])} – DDN {d.D(p.dob, 'num')} – IPP {d.hid('ipp')}",
    ])()
    presc = d.staff("gp")
    req = d.ch([
        f"N° de demande : {d.hid('demande')}\nPrescripteur : {d.drt()} {d.nm(presc, ['FLU', 'L', 'IL'])}\nPrélèvement du {d.D(samp, 'num')} à {d.ri(6, 11):02d}:{d.ri(0, 59):02d} – Réception le {d.D(samp, 'num')} à {d.ri(11, 14)}h{d.ri(10, 59)}",
        f"Dossier n° {d.hid('dossier')} | Demande n° {d.hid('demande')} | Prescripteur : Dr {d.nm(presc, ['L', 'LU'])} | Préleveur : {d.nm(d.staff('ide'), ['FI', 'FL'])} (IDE)",
        f"Prélevé le {d.Dw(samp)} à {d.ri(6, 11)}h{d.ri(10, 59)} par {d.nm(d.staff('ide'), ['FL', 'FI'])}\nN° de prélèvement : {d.hid('prelevement')}\nMédecin prescripteur : {d.drt()} {d.nm(presc, ['FLU', 'IL'])}",
        f"Demande {d.hid('demande')} du {d.D(samp, d.ch(['num', 'dd.mm.yyyy', 'iso']))}\nService demandeur : {d.est_service}\nPrescripteur : {d.drt()} {d.nm(presc, ['LI', 'LU', 'FLU'])}",
    ])
    style = d.ch(["pipe", "tab", "dots", "pipe"])
    prev = d.before(samp, 20, 400)

    def row(key):
        long, short, v, unit = d.lab_value(key)
        ref = LABS[key][6]
        ante = ""
        if d.p(0.25):
            ante = f" | {d.lab_value(key)[2]} ({d.D(prev, d.ch(['num', 'dd/mm/yy']))})" if style == "pipe" else (
                f"\t{d.lab_value(key)[2]}" if style == "tab" else f"   [antériorité : {d.lab_value(key)[2]} le {d.D(prev, 'num')}]")
        if style == "pipe":
            val = mk("KEEP", f"{v} {unit}".strip())
            return f"{long} | {val} | {ref}{ante}"
        if style == "tab":
            return f"{long}\t{mk('KEEP', v)}\t{unit}\t{ref}{ante}"
        dots = "." * max(3, 32 - len(long))
        return f"{long} {dots} {mk('KEEP', (v + ' ' + unit).strip())}  ({ref}){ante}"

    keys = list(d.spec["labs"]) + ["hb", "leuco", "plq", "na", "k", "creat", "crp"] + d.r.sample(["uree", "alb", "ca", "asat", "alat", "ggt", "tp", "ferr", "vitd", "tsh", "ck", "gly"], d.ri(1, 5))
    uniq = []
    for k in keys:
        if k not in uniq:
            uniq.append(k)
    d.r.shuffle(uniq)
    groups = [("HÉMATOLOGIE", [k for k in uniq if k in ("hb", "leuco", "plq", "pnn", "vs")]),
              ("HÉMOSTASE", [k for k in uniq if k in ("inr", "tp", "ddim")]),
              ("BIOCHIMIE", [k for k in uniq if k not in ("hb", "leuco", "plq", "pnn", "vs", "inr", "tp", "ddim")])]
    tables = []
    for g, ks in groups:
        if not ks:
            continue
        hdr = {"pipe": "Analyse | Résultat | Valeurs de référence" + (" | Antériorité" if d.p(0.3) else ""),
               "tab": "Analyse\tRésultat\tUnité\tRéférences", "dots": ""}[style]
        tables.append(f"{g}\n" + (hdr + "\n" if hdr else "") + "\n".join(row(k) for k in ks))
    val = d.ch([f"Validé par {d.nm(bio_p, ['IL', 'ILm', 'FLU'])}, biologiste, le {d.D(samp, 'num')} à {d.ri(12, 18)}h{d.ri(10, 59)}.",
                f"Biologiste : {d.nm(bio_p, ['IL', 'ILm'])}", f"Compte rendu validé biologiquement par le {d.drt()} {d.nm(bio_p, ['FLU', 'LU'])}",
                f"Validation : {d.drt()} {d.nm(bio_p, ['LI', 'LIm'])} – {d.D(samp, 'dd.mm.yyyy')}"])
    comm = d.ch([f"Commentaire : résultat contrôlé sur un second prélèvement. Résultat critique téléphoné au {d.drt()} {d.nm(d.staff('author'), ['L', 'FLU'])} le {d.D(samp, 'num')} à {d.ri(9, 19)}h{d.ri(10, 59)}.",
                 "Commentaire : hémolyse légère, interpréter la kaliémie avec prudence.",
                 f"Commentaire : à comparer au bilan du {d.D(prev)}.", "Échantillon reçu hors délai pour la glycémie.",
                 f"Résultats transmis par messagerie sécurisée à {d.email(presc, pro='medecin.mssante.fr')}."])
    micro = d.ch([
        f"BACTÉRIOLOGIE\nECBU (prélèvement n° {d.hid('prelevement')}) : leucocytes {d.ri(1, 900)}/mm³, hématies {d.ri(1, 200)}/mm³. "
        f"Culture : {d.ch(['stérile', 'Escherichia coli 10^5 UFC/mL, sensible à la fosfomycine', 'flore polymorphe, contamination probable'])}.",
        f"SÉROLOGIES\nVHB : Ag HBs négatif, Ac anti-HBs {mk('KEEP', str(d.ri(2, 900)) + ' mUI/mL')}. VHC négatif. VIH 1/2 négatif.",
        f"HÉMOCULTURES (2 paires prélevées le {d.D(samp, 'num')} à {d.ri(0, 23)}h{d.ri(10, 59)}) : négatives à 48 heures, résultat définitif à J5.",
        f"GAZOMÉTRIE ARTÉRIELLE (air ambiant)\n{mk('KEEP', 'pH ' + fr_num(d.r.uniform(7.25, 7.48), 2))} | {mk('KEEP', 'PaO2 ' + str(d.ri(52, 98)) + ' mmHg')} | {mk('KEEP', 'PaCO2 ' + str(d.ri(30, 62)) + ' mmHg')} | {mk('KEEP', 'HCO3- ' + str(d.ri(18, 34)) + ' mmol/L')}",
    ])
    blocks = [
        (head, True),
        (d.ch(["COMPTE RENDU D'ANALYSES", "BILAN BIOLOGIQUE", "Résultats", "RÉSULTATS DE BIOLOGIE MÉDICALE", "BILAN SANGUIN", "Compte rendu de biologie"]), True),
        (pid, True),
        (req, True),
    ] + [(t, i < 2) for i, t in enumerate(tables)] + [
        (micro, False),
        (comm, False),
        (val, True),
    ]
    return blocks


IMAGING_NORMAL = {
    "thorax": ["Pas d'épanchement pleural ni péricardique.", "Parenchyme pulmonaire sans nodule suspect.", "Pas d'adénopathie médiastinale.",
               "Silhouette cardiaque de taille normale.", "Trachée et bronches souches libres.", "Pas de pneumothorax."],
    "abdomen": ["Foie de taille normale, homogène.", "Rate homogène de 11 cm.", "Reins de taille normale, sans dilatation des cavités pyélocalicielles.",
                "Pas d'adénopathie rétropéritonéale.", "Vessie en réplétion, à paroi fine.", "Aorte abdominale de calibre normal.",
                "Pancréas sans anomalie.", "Vésicule biliaire alithiasique.", "Surrénales fines.", "Pas de pneumopéritoine.",
                "Petit kyste biliaire hépatique de 8 mm, sans caractère suspect."],
    "brain": ["Ligne médiane en place, pas d'effet de masse.", "Système ventriculaire de taille normale.", "Pas de saignement intra- ou extra-axial.",
              "Quelques hypersignaux FLAIR punctiformes de la substance blanche.", "Sinus de la face bien aérés."],
    "osteo": ["Pas de lésion osseuse lytique ou condensante suspecte.", "Petit épanchement articulaire.", "Arthrose interapophysaire postérieure étagée.",
              "Minéralisation osseuse diminuée.", "Parties molles sans anomalie."],
}


def imaging_region(name: str, res: str) -> str | None:
    t = (name + " " + res).lower()
    for key, words in (("brain", ("cérébra", "crâne", "encéphal")), ("thorax", ("thorac", "pulmon", "mammo", "sein")),
                       ("osteo", ("rachis", "genou", "hanche", "bassin", "poignet", "mains", "pieds", "os ")),
                       ("abdomen", ("abdom", "rénal", "uro", "pelv", "vésic", "surrénal", "entéro", "prostat", "hépat"))):
        if any(w in t for w in words):
            return key
    return None


def is_imaging(name: str) -> bool:
    return any(k in name for k in ("IRM", "canner", "Échographie", "Radiographie", "TEP", "Mammographie", "Scintigraphie"))


def imaging_technique(d: Doc, name: str) -> str:
    if "IRM" in name:
        return ("Séquences T1, T2, FLAIR, diffusion et T1 après injection de " + mk("KEEP", f"Dotarem {d.ri(8, 18)} mL") + "."
                if d.p(0.7) else "Examen réalisé sans injection de gadolinium (grossesse non exclue).")
    if "canner" in name or "TEP" in name:
        return d.ch(["Acquisition hélicoïdale sans puis avec injection de produit de contraste iodé (" + mk("KEEP", f"Iomeron 350 : {d.ri(60, 110)} mL") + ").",
                     "Examen réalisé sans injection (clairance de la créatinine à 28 mL/min)."]) + f" PDL : {d.ri(120, 980)} mGy.cm."
    if "Échographie" in name:
        return d.ch(["Sonde convexe et linéaire, Doppler couleur.", "Examen réalisé à jeun, conditions d'examen satisfaisantes.",
                     "Examen gêné par les gaz digestifs."])
    if "Scintigraphie" in name:
        return f"Injection de {d.ri(80, 200)} MBq de pertechnétate de technétium 99m, images à 20 minutes."
    return d.ch(["Clichés de face et de profil.", "Cliché de face en inspiration.", "Incidences de face, profil et trois quarts."])


IMAGING_EXAMS = ["IRM", "Scanner", "Échographie", "Radiographie", "TEP-scanner", "Angioscanner", "Mammographie", "Arthro-IRM"]


def k_imaging(d: Doc):
    setup(d)
    if not is_imaging(d.case["img"][0]):
        alt = [c for c in d.spec["cases"] if is_imaging(c["img"][0])]
        if alt:
            d.case = d.ch(alt)
    exam_name, result = d.case["img"]
    if not is_imaging(exam_name):
        exam_name, result = "Radiographie thoracique de face", "pas d'anomalie pleuro-parenchymateuse évolutive."
    day = d.before(d.today, 0, 2)
    rad = d.staff("author")
    ask = d.staff("other")
    head = d.ch([
        f"SERVICE D'IMAGERIE MÉDICALE\n{d.est_name}\n{mk('ADDRESS', d.est_street)} – {d.ZC(d.est_zc)}\nSecrétariat : {d.phone('fixe', d.est_zc[0])}",
        f"Centre d'imagerie {d.ch(['du Parc', 'des Lices', 'Saint-Roch', 'de la Gare', 'Atlantique'])} – {d.ZC(d.est_zc)}",
        f"{d.est_name.upper()} – RADIOLOGIE ET IMAGERIE MÉDICALE\nDr {d.nm(rad, ['FLU', 'IL'])} – Dr {d.nm(d.staff('rad2'), ['FLU', 'IL'])}",
        f"IMAGERIE MÉDICALE | {d.est_name} | FINESS {d.finess(d.est_zc[0])}",
        f"Cabinet de radiologie\n{mk('ADDRESS', d.est_street)}\n{d.ZC(d.est_zc)}\n{d.url(kind='hosp')}",
        header(d),
    ])
    p = d.pat
    info = d.ch([
        f"Examen : {exam_name}\nDate : {d.D(day)}\nN° d'examen : {d.hid('examen')}\nDemandeur : {d.drt()} {d.nm(ask, ['FLU', 'L', 'IL'])}",
        f"{d.nm(p, ['LUFU', 'LUF'])} – {born(d)} le {d.D(p.dob, 'num')} – {exam_name} du {d.D(day, 'num')} – N° d'accession : {d.hid('examen')}",
        f"Patient : {d.cn(p, ['FLU', 'LUF'])}\nDate de l'examen : {d.Dw(day)}\nMédecin demandeur : {d.drt()} {d.nm(ask, ['LU', 'FLU'])}",
        f"PATIENT : {d.nm(p, ['LUFU'])}\nMÉDECIN : DR {d.nm(ask, ['LU'])}\nEXAMEN : {exam_name}\nDATE : {d.D(day, d.ch(['num', 'longU']))}",
        f"Examen réalisé le {d.D(day, d.ch(['iso', 'num']))} à {d.ri(7, 19):02d}:{d.ri(0, 59):02d}\n{exam_name}\nRéf. : {d.hid('ref')}",
        f"{exam_name.upper()}\n{d.cn(p, ['FLU'])} ({d.age_s}) | IPP {d.hid('ipp')} | Demande du {d.D(d.before(day, 1, 30), 'num')}",
    ])
    ident = identity(d, rich=0) if "Patient" not in plain(info) and "PATIENT" not in plain(info) and "–" not in plain(info)[:60] else ""
    ind = d.ch([f"{d.motif(bare=True, cap=True)}.", f"Bilan : {d.motif(bare=True)}.",
                f"Suivi de {d.fmt(d.ch(d.spec['atcd']))}.", f"{d.P()}, {d.age_s} : {d.hist()}"])
    tech = imaging_technique(d, exam_name)
    reg = imaging_region(exam_name, result)
    normal = " ".join(d.r.sample(IMAGING_NORMAL[reg], d.ri(2, 4))) if reg else ""
    comp = d.ch([f"Comparaison avec l'examen du {d.D(d.before(day, 60, 900))} : {d.ch(['stabilité', 'majoration', 'régression partielle'])} des lésions.",
                 "Pas d'examen antérieur disponible pour comparaison.",
                 f"Par rapport à l'examen de {d.D(d.before(day, 60, 900), 'my')}, aspect superposable."])
    concl = d.ch([d.fmt_cap(result), f"{d.concl()} probable.", f"Aspect compatible avec {d.motif()}."])
    sig = d.ch([f"{d.drt()} {d.nm(rad, ['FLU', 'FL'])}, radiologue", f"Compte rendu validé électroniquement par le {d.drt()} {d.nm(rad, ['FLU', 'LU'])} le {d.D(day, 'num')} à {d.ri(8, 19)}:{d.ri(10, 59)}",
                f"Interprétation : {d.drt()} {d.nm(rad, ['IL', 'LI'])}\nCopie : {d.drt()} {d.nm(ask, ['FLU', 'L'])}", signature(d)])
    blocks = [
        (head, True),
        (d.ch(["COMPTE RENDU D'IMAGERIE", "COMPTE RENDU D'EXAMEN", f"{exam_name.upper()}", "Compte rendu radiologique", "RÉSULTAT D'EXAMEN", ""]), False),
        (info, True),
        (ident, bool(ident)),
        (d.h("Renseignements cliniques") + "\n" + d.ch(["Antécédents : ", "ATCD : "]) + ", ".join(d.fmt(a) for a in d.r.sample(d.spec["atcd"], 2)) + ". "
         + d.hist(), False),
        (d.h("Indication") + "\n" + ind, True),
        (d.h("Technique") + "\n" + tech, False),
        (d.h("Résultats") + "\n" + d.fmt_cap(result) + ("\n" + normal if normal else ""), True),
        (comp, False),
        (d.h("Conclusion") + "\n" + concl, True),
        (sig, True),
        (d.ch([f"Rendez-vous de contrôle le {d.Dw(d.after(d.today, 30, 200))}.", f"Images disponibles sur le portail patient : {mk('URL', 'https://imagerie.' + d.est_slug + '.fr/patient/' + slug(p.last, '-') + '-' + slug(p.first, '-') + '-' + str(d.ri(1000, 9999)))}",
               f"Résultats adressés au {d.dr('gp', ['FLU', 'L'])} par messagerie sécurisée."]), False),
    ]
    return blocks


TRIALS = ["CARDIO-STOP", "PREVENT-AF", "NEURO-PARK 2", "ARTHRO-BIO", "DIAB-REAL", "ONCO-MAINT", "PNEUMO-SEC", "HORTON-TOCI",
          "GERI-FALL", "REIN-PROTECT", "IMMUNO-LYMPH", "ESCAPE-BPCO"]


def k_trial(d: Doc):
    setup(d, ["onco", "cardio", "neuro", "rhumato", "endoc", "pneumo", "geria", "nephro"])
    p = d.pat
    acr = d.ch(TRIALS)
    pi, arc = d.staff("author"), d.staff("arc", "F" if d.p(0.7) else "M")
    cons = d.before(d.today, 0, 20)
    rando = d.after(cons, 0, 14)
    head = d.ch([
        f"FICHE D'INCLUSION – ÉTUDE {acr}\nN° EudraCT : {d.today.year - d.ri(1, 3)}-{d.ri(0, 4):06d}-{d.ri(10, 99)}\nPromoteur : {d.est_name}",
        f"ESSAI CLINIQUE {acr} (NCT0{d.ri(1000000, 6999999)})\nFiche de pré-inclusion – document source – centre {d.ri(1, 45):03d}",
        f"Étude {acr} – Fiche d'inclusion\nVersion {d.ri(1, 5)}.{d.ri(0, 3)} du {d.D(d.before(d.today, 200, 900), 'num')}\nPromoteur : {d.est_name} – Délégation à la recherche clinique",
        f"RECHERCHE IMPLIQUANT LA PERSONNE HUMAINE – CATÉGORIE {d.ch(['1', '2'])}\nProtocole {acr}\nFICHE PATIENT",
        f"{d.est_name.upper()} – UNITÉ DE RECHERCHE CLINIQUE\nÉtude {acr} | Centre n° {d.ri(1, 45):03d} | {d.est_service}",
        f"Fiche d'inclusion {acr}\nInvestigateur principal : {d.ch(['Pr', 'Dr'])} {d.nm(pi, ['FLU', 'FL'])}",
    ])
    w = d.p(0.5)  # identifiers wrapped over two lines in this form
    wrapped_nir = d.nir(p, d.birth, wrap=w)
    idb = d.ch([
        f"Nom : {mk('PERSON', p.LAST)}\nPrénom : {mk('PERSON', p.first)}\nDate de naissance : {d.D(p.dob, 'num')}\nN° de sécurité sociale : {wrapped_nir}",
        f"Nom : {mk('PERSON', p.LAST)}   Prénom : {mk('PERSON', p.first)}   Sexe : {'F' if p.fem else 'M'}\n"
        f"Né(e) le : {d.D(p.dob, 'num')} à {birthplace(d)}\nN° SS : {wrapped_nir}",
        f"Identité du participant : {d.cn(p, ['FLU', 'LUF'])}\nDDN : {d.D(p.dob, d.ch(['num', 'dd.mm.yyyy']))}\nNIR : {wrapped_nir}\n"
        f"Adresse : {mk('ADDRESS', d.pat_street)}\n{d.ZC(d.pat_zc)}",
        f"PARTICIPANT\nNom | Prénom | Date de naissance\n{mk('PERSON', p.LAST)} | {mk('PERSON', p.first)} | {d.D(p.dob, 'num')}\nImmatriculation : {wrapped_nir}",
    ])
    num = f"N° patient dans l'étude : {d.hid('essai')}" + d.ch(["", f"   IPP : {d.hid('ipp')}", f"\nN° de dossier hospitalier : {d.hid('dossier')}"])
    crit = ["[x] Âge ≥ 18 ans", f"[x] {d.concl()}", "[x] Consentement éclairé signé",
            d.ch(["[ ] Grossesse en cours", "[ ] Insuffisance hépatique sévère", "[ ] Participation à un autre essai"]),
            d.ch([f"[x] {d.lab_prose('creat')}", f"[x] {d.lab_prose('hb')}", "[x] Score OMS ≤ 2"])]
    dates = (f"Date de signature du consentement : {d.D(cons, d.ch(['num', 'long']))}\nDate de randomisation : {d.D(rando, 'num')}\n"
             f"Bras : {d.ch(['A (expérimental)', 'B (contrôle)', 'A', 'B'])}")
    visits = "Visite | Date prévue | Fenêtre\n" + "\n".join(
        f"V{i} | {d.D(d.after(rando, 28 * i - 3, 28 * i + 3), 'num')} | ± 3 j" for i in range(1, d.ri(3, 5)))
    contact = d.ch([
        f"ARC : {d.cn(arc, ['FL', 'FLU'])} – {d.phone('fixe', d.est_zc[0])} – {d.email(arc, pro=d.est_slug + '.fr')}",
        f"Attaché{'e' if arc.fem else ''} de recherche clinique : {d.nm(arc, ['FLU', 'FI'])} ({d.phone()})",
        f"Coordination : {d.nm(arc, ['FL'])}, TEC – {d.email(arc, pro='drci-' + d.est_slug + '.fr')}",
    ])
    pay = (f"Indemnisation des frais de déplacement\nTitulaire du compte : {d.cn(p, ['FLU', 'LUF'])}\n"
           f"IBAN : {d.iban(wrap=d.p(0.5))}\nBIC : {d.ch(['AGRIFRPP', 'CCBPFRPP', 'SOGEFRPP', 'BNPAFRPP', 'CMCIFRPP'])}")
    pat_contact = f"Téléphone du participant : {d.phone(own=True)}" + (f"\nCourriel : {d.email(p)}" if d.p(0.6) else "")
    sign = d.ch([f"Investigateur : {d.drt()} {d.nm(pi, ['FLU', 'FL'])} – le {d.D(rando, 'num')} – signature :",
                 f"Nom et signature de l'investigateur : {d.drt()} {d.nm(pi, ['LU', 'LUF'])}\nDate : {d.D(cons, 'num')}",
                 f"Fiche complétée par {d.nm(arc, ['FL', 'FI'])} le {d.D(rando)}, vérifiée par le {d.drt()} {d.nm(pi, ['LU', 'L'])}"])
    blocks = [
        (head, True),
        (d.h("Identification du centre") + f"\nCentre {d.ri(1, 45):03d} – {d.est_name}, {d.est_service}\n{mk('ADDRESS', d.est_street)}, {d.ZC(d.est_zc)}\nFINESS : {d.finess(d.est_zc[0])}", False),
        (d.h("Participant") + "\n" + idb + "\n" + num, True),
        (pat_contact, False),
        (d.h("Critères d'éligibilité") + "\n" + "\n".join(crit), True),
        (dates, True),
        (visits, False),
        (d.h("Traitements concomitants") + "\n" + drugs_block(d, "Traitements", n=d.ri(2, 4)).split("\n", 1)[1], False),
        (d.h("Antécédents") + "\n" + ", ".join(d.fmt(a) for a in d.r.sample(d.spec["atcd"], d.ri(2, 3))) + ".", False),
        (d.h("Bilan de sélection") + f" (prélevé le {d.D(d.before(rando, 1, 10), 'num')})\n" + labs_prose(d), False),
        (contact, False),
        (pay, w or d.p(0.4)),
        (sign, True),
    ]
    return blocks


def k_transm(d: Doc):
    setup(d)
    p = d.pat
    day = d.before(d.today, 0, 3)
    ide1, ide2, as1 = d.staff("ide", "F" if d.p(0.75) else "M"), d.staff("ide2"), d.staff("as")
    head = d.ch([
        f"TRANSMISSIONS INFIRMIÈRES – {d.est_service.upper()}",
        f"Dossier de soins – Transmissions ciblées\n{d.est_name} – {d.est_service}",
        f"TRANSMISSIONS {d.ch(['DE NUIT', 'DE JOUR', 'ÉQUIPE DU MATIN', 'ÉQUIPE D APRÈS-MIDI'])} – {d.D(day, 'num')}",
        f"Transmissions – {d.est_service} – chambre {d.ri(1, 40)}{d.ch(['', ' A', ' B', ' porte'])}",
        f"Fiche de transmissions | {d.est_service} | {d.D(day, d.ch(['num', 'dd.mm.yyyy']))}",
        f"{d.est_name.upper()}\nSUIVI INFIRMIER",
    ])
    pat = d.ch([f"{d.cn(p, ['LUF', 'LUFU'])} – {d.age_s} – IPP {d.hid('ipp')}", f"Patient{d.e} : {d.nm(p, ['LUF'])} ({born(d)} le {d.D(p.dob, 'num')})",
                f"Chambre {d.ri(100, 450)} – {d.cn(p, ['FLU', 'LU'])} – {d.motif(bare=True)}",
                f"{d.nm(p, ['LUFU'])} | {d.D(p.dob, 'num')} | Allergies : {d.ch(['aucune connue', 'pénicilline', 'iode', 'latex'])}"])
    q, rel = relative(d)
    entries = []
    t0 = d.ri(6, 8)
    cibles = [
        lambda: f"Cible : douleur\nD : {mk('KEEP', 'EVA ' + str(d.ri(5, 9)) + '/10')} à l'effort\nA : {mk('KEEP', d.ch(['Paracétamol 1 g', 'Acupan 20 mg', 'Tramadol 50 mg', 'Oxynorm 5 mg']))} {d.ch(['IV', 'PO'])} à {d.ri(8, 22)}h\nR : {mk('KEEP', 'EVA ' + str(d.ri(0, 3)) + '/10')} à 1 h",
        lambda: f"Cible : risque de chute\nD : {d.P()} s'est levé{d.e} seul{d.e} cette nuit, désorienté{d.e}\nA : barrières, sonnette à portée de main, lit en position basse\nR : pas de chute",
        lambda: f"Cible : alimentation\nD : mange un tiers du plateau\nA : compléments oraux, aide au repas\nR : à réévaluer, pesée le {d.D(d.after(day, 1, 4), d.ch(['noyear', 'dm', 'num']))}",
        lambda: f"Cible : anxiété\nD : {d.Pbare()} pleure, inquiet{'e' if p.fem else ''} pour son retour à domicile\nA : écoute, appel de {d.poss(rel, q.fem)} {rel}\nR : apaisé{d.e}",
        lambda: f"Cible : surveillance\nD : {d.vitals()}\nA : glycémie capillaire {mk('KEEP', fr_num(d.r.uniform(0.7, 3.2), 2) + ' g/L')}, {d.drug_line(bullet='')}\nR : RAS",
    ]
    for i in range(d.ri(3, 5)):
        h_ = f"{(t0 + 3 * i) % 24:02d}h{d.ch(['00', '15', '30', '45'])}"
        body = d.ch(cibles)()
        entries.append(d.ch([f"{h_} – {body}", f"[{h_}] {body}", f"{d.D(day, d.ch(['num', 'dm']))} {h_} : {body}"]))
    free = [
        f"Nuit calme. {d.P()} a dormi de 23h à 6h. Diurèse {d.ri(400, 2200)} mL, glycémie capillaire {mk('KEEP', fr_num(d.r.uniform(0.7, 3.2), 2) + ' g/L')}.",
        f"Appel de {d.poss(rel, q.fem)} {rel} ({d.cn(q, ['FL', 'L', 'FLU'])}) à {d.ri(14, 20)}h, informé{'e' if q.fem else ''} de l'évolution ; joignable au {d.phone()}.",
        f"Vu avec {d.ch(['mme', 'Mme'] if p.fem else ['mr', 'M.'])} {d.nm(p, ['low', 'L'])} ce matin : {d.vitals()} Pansement refait, cicatrice propre.",
        f"Visite du {d.dr('author', ['L', 'LU'])} : {d.ch(['arrêt de la perfusion', 'ablation de la sonde urinaire', 'sortie prévue demain', 'bilan sanguin demain matin'])}.",
        f"Bonjour {d.nm(ide2, 'F')},\nPeux-tu passer voir {d.P()} en chambre {d.ri(1, 40)} ? {d.ch(['Hyperthermie à 39,2 °C, hémocultures prélevées.', 'Douleur non calmée.', 'Perfusion à changer.'])}\nMerci, {d.nm(ide1, 'F')}",
        f"Kinésithérapeute ({d.nm(d.staff('kine'), ['FL', 'FI'])}) passé : lever au fauteuil, marche 10 mètres avec déambulateur.",
        filler(d),
        f"Sortie prévue le {d.Dw(d.after(day, 1, 5))} ; transport VSL réservé ({d.phone('fixe', d.pat_zc[0])}).",
    ]
    d.r.shuffle(free)
    sig = d.ch([f"IDE : {d.nm(ide1, ['FI', 'F', 'FL'])} / AS : {d.nm(as1, ['F', 'FI'])}", f"IDE jour : {d.nm(ide1, ['FL', 'FI'])} | IDE nuit : {d.nm(ide2, ['FL', 'FI'])} | Interne : {d.nm(d.staff('intern'), ['FL', 'FI'])}",
                f"{d.nm(ide1, ['FI', 'FL'])}, IDE", f"Équipe : {d.nm(ide1, 'F')} (IDE), {d.nm(as1, 'F')} (AS)"])
    blocks = [(head, True), (pat, True)] + [(e, i < 2) for i, e in enumerate(entries)] + [(f, i < 1) for i, f in enumerate(free)] + [(sig, True)]
    return blocks


def k_certif(d: Doc):
    setup(d)
    p = d.pat
    a = d.staff("author")
    kind = d.ri(0, 6)
    titles = ["CERTIFICAT MÉDICAL", "CERTIFICAT MÉDICAL INITIAL", "CERTIFICAT DE NON CONTRE-INDICATION À LA PRATIQUE SPORTIVE",
              "CERTIFICAT D'HOSPITALISATION", "CERTIFICAT MÉDICAL – DEMANDE MDPH", "CERTIFICAT MÉDICAL D'ARRÊT DE TRAVAIL", "ATTESTATION DE PRÉSENCE"]
    sous = "soussignée" if a.fem else "soussigné"
    ne = born(d)
    demeur = f"demeurant {mk('ADDRESS', d.pat_street)}, {d.ZC(d.pat_zc)}"
    opening = d.ch([
        f"Je {sous}, {d.drt()} {d.nm(a, ['FL', 'FLU'])}, {d.spec['spec']}, certifie avoir examiné ce jour {d.cn(p, ['FLU', 'FL'])}, {ne} le {d.D(p.dob)} à {birthplace(d)}, {demeur}.",
        f"Je {sous}, Docteur {d.nm(a, ['FLU'])}, certifie que {d.cn(p, ['FLU', 'FL'])}, {ne} le {d.D(p.dob)}, a été hospitalisé{d.e} dans le service {d.est_service.lower().replace('service ', '')} {d.Drange(d.before(d.today, 5, 30), d.before(d.today, 0, 4))}.",
        f"Je {sous}, {d.drt()} {d.nm(a, ['FL', 'FLU'])}, RPPS {d.rpps()}, certifie avoir examiné le {d.Dw(d.today)} {d.cn(p, ['FLU', 'LUF'])} ({ne} le {d.D(p.dob, 'num')}).",
        f"{d.drt()} {d.nm(a, ['FLU'])} certifie avoir reçu en consultation {d.cn(p, ['FL', 'FLU'])}, {d.age_s}, {demeur}.",
        f"Certificat concernant {d.cn(p, ['LUF', 'FLU'])}, {ne} le {d.D(p.dob, 'num')} à {birthplace(d)}.",
        f"Je {sous}, {d.drt()} {d.nm(a, ['FL'])}, atteste que {d.cn(p, ['FLU', 'FL'])} présente ce jour les éléments suivants.",
    ])
    body = [
        f"{d.P()} déclare avoir été victime d'une agression le {d.Dw(d.before(d.today, 0, 2))} vers {d.ri(8, 23)}h. Examen : ecchymose périorbitaire gauche de 3 cm, dermabrasion du coude droit. "
        f"Incapacité totale de travail (ITT) de {d.ri(1, 10)} jours, sous réserve de complications.",
        f"Absence de contre-indication à la pratique du {d.ch(['football', 'judo', 'tennis', 'cyclisme', 'rugby', 'handball'])} en compétition. ECG de repos normal. {d.vitals()}",
        f"Pour servir à la demande de prestation auprès de la MDPH. Pathologie principale : {d.concl()}. Retentissement : périmètre de marche 50 mètres, aide humaine pour la toilette.",
        f"Arrêt de travail du {d.D(d.today, 'num')} au {d.D(d.after(d.today, 5, 30), 'num')} inclus, sorties autorisées de 10h à 12h et de 16h à 18h.",
        f"{d.hist()} {d.exam()}",
        f"L'état de santé de {d.P()} nécessite la présence de sa {d.ch(['fille', 'mère', 'épouse'])} auprès d'{'elle' if p.fem else 'lui'}.",
    ]
    main_body = {0: 4, 1: 0, 2: 1, 3: 4, 4: 2, 5: 3, 6: 5}[kind]
    body_sel = [body[main_body]]
    if main_body != 4 and kind != 6 and d.p(0.5):
        body_sel.append(body[4])
    fait_city = re.sub(r" (Cedex|CEDEX)( \d+)?$", "", d.est_zc[1])
    fait = d.ch([f"Certificat établi à la demande de l'intéressé{d.e} et remis en main propre pour servir et valoir ce que de droit.",
                 "Certificat établi à la demande du patient, pour faire valoir ce que de droit.", "Remis en main propre.",
                 f"Certificat établi à la demande de {d.cn(p, ['L', 'LU'])} et remis en main propre."])
    where = (f"Fait à {mk('CITY', fait_city)}, le {d.D(d.today, d.ch(['num', 'long']))}" if not fait_city.upper().startswith(("LE ", "LES ")) else
             f"Fait le {d.D(d.today, d.ch(['num', 'long']))}")
    sig = d.ch([f"{d.drt()} {d.nm(a, ['FLU', 'FL'])}\nRPPS : {d.rpps()}", f"{d.drt()} {d.nm(a, ['FLU'])}", f"Signature et cachet\n{d.drt()} {d.nm(a, ['LU', 'FLU'])} – {d.spec['spec']}",
                signature(d)])
    gp_head = (f"{d.drt()} {d.nm(a, ['FLU', 'FL'])}\n{d.spec['spec'].capitalize()}\n{mk('ADDRESS', d.est_street)}\n{d.ZC(d.est_zc)}\nTél. : {d.phone('fixe', d.est_zc[0])}"
               + (f"\n{d.url(a, job=d.spec['spec'])}" if d.p(0.3) else "") + (f"\nFINESS : {d.finess(d.est_zc[0])}" if d.p(0.2) else ""))
    blocks = [
        (d.ch([header(d), gp_head]), True),
        (titles[kind], True),
        (opening, True),
        ("\n".join(body_sel), True),
        (d.ch([atcd_block(d), life_block(d), "Examen : " + d.vitals()]), False),
        (d.ch([f"Doléances : {d.P()} rapporte {d.ch(['des céphalées', 'des douleurs cervicales', 'une gêne à la marche', 'des troubles du sommeil'])} depuis le {d.D(d.before(d.today, 1, 10), d.ch(['noyear', 'num']))}.",
               f"{d.P()} est accompagné{d.e} de {d.ch(['son fils', 'sa fille', 'son épouse', 'son mari'])}, {d.nm(relative(d)[0], ['FL', 'FLU'])}.",
               f"Pièces présentées : ordonnance du {d.dr('gp', ['FLU', 'L'])} datée du {d.D(d.before(d.today, 2, 40), 'num')}."]), False),
        (d.ch([f"Prochain contrôle le {d.D(d.after(d.today, 7, 60))}.", f"Traitement prescrit : {d.drug_line(bullet='')}.", "Pas de contre-indication à la reprise du travail à l'issue de l'arrêt."]), False),
        (fait, True),
        (where, True),
        (sig, True),
    ]
    return blocks


KINDS = [
    ("crh", "compte rendu d'hospitalisation", k_crh),
    ("lettre", "lettre de liaison", k_lettre),
    ("cro", "compte rendu opératoire", k_cro),
    ("consultation", "compte rendu de consultation", k_consult),
    ("ordonnance", "ordonnance", k_ordo),
    ("biologie", "bilan biologique", k_bio),
    ("imagerie", "compte rendu d'imagerie", k_imaging),
    ("essai", "fiche d'inclusion d'essai clinique", k_trial),
    ("transmission", "transmissions infirmières", k_transm),
    ("certificat", "certificat médical", k_certif),
]


# --------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------
def check_spans(text: str, spans) -> None:
    flat = []
    for label, frags in spans:
        assert label in LABELS, label
        for s, e in frags:
            frag = text[s:e]
            assert frag and "\n" not in frag and frag == frag.strip(), (label, frag)
            flat.append((s, e))
    flat.sort()
    for (s1, e1), (s2, e2) in zip(flat, flat[1:]):
        assert e1 <= s2, ("overlap", text[s1:e1], text[s2:e2])


def build_doc(seed: int, idx: int, kind_fn):
    for attempt in range(60):
        d = Doc(seed, idx * 1000 + attempt, kind_fn.__name__)
        marked = assemble(d, kind_fn(d))
        if marked is None:
            continue
        text, spans = render(marked)
        check_spans(text, spans)
        return d, text, spans
    raise RuntimeError(f"could not build document {idx}")


def ann_lines(text: str, spans) -> str:
    out = []
    for i, (label, frags) in enumerate(spans, 1):
        offs = ";".join(f"{s} {e}" for s, e in frags)
        out.append(f"T{i}\t{label} {offs}\t{' '.join(text[s:e] for s, e in frags)}")
    return "\n".join(out) + ("\n" if out else "")


def known_record(d: Doc, name: str, text: str, spans) -> dict:
    """The patient's record (--known). An identifier generated for the patient counts only if it is
    written in the final document (unchosen alternatives and dropped blocks are left out)."""
    squeeze = lambda s: re.sub(r"\s+", "", s)  # a wrapped span is joined with a space in the .ann
    written: dict[tuple[str, str], int] = {}
    for lab, fr in spans:
        written.setdefault((lab, squeeze(" ".join(text[s:e] for s, e in fr))), len(written))

    def shown(label: str) -> list[str]:  # values in order of first appearance
        hits = sorted((written[(lab, squeeze(s))], v) for lab, s, v in d.known if lab == label and (lab, squeeze(s)) in written)
        return list(dict.fromkeys(v for _, v in hits))

    p = d.pat
    ipp, nir = shown("HOSPITAL_ID"), shown("FR_NIR")
    return {"file": f"{name}.txt", "patient_id": ipp[0] if ipp else "P-" + name[4:],
            "last_names": [p.last] + ([p.birth_last] if p.birth_last else []), "first_names": [p.first],
            "birth_date": p.dob.isoformat(), "nir": nir[0] if nir else None, "address": d.pat_street,
            "postcode": d.pat_zc_raw[0], "city": d.pat_zc_raw[1], "phones": shown("PHONE"), "emails": shown("EMAIL")}


def nir_valid(s: str) -> bool:
    s = s.replace(" ", "")
    return len(s) == 15 and nir_key(s[:13]) == int(s[13:])


def lexicon_names() -> list[str] | None:
    if not LEXICON.exists():
        return None
    out = []
    with open(LEXICON, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            out.append(line.split("\t")[0].strip())
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--out", default=str(HERE / "corpus"))
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--known", action="store_true", help="also write <split>/known.jsonl (the patients' records)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    splits = ("train", "dev", "test")
    for sp in splits:
        (out / sp).mkdir(parents=True, exist_ok=True)
        for f in sorted((out / sp).glob("doc_*.*")):
            if f.suffix in (".txt", ".ann"):
                f.unlink()

    ids = list(range(1, args.n + 1))
    # Seeded shuffle, stratified by document kind: each kind is split 50/25/25.
    srng = random.Random(f"deident-eval-split:{args.seed}")
    split_of = {}
    for k in range(len(KINDS)):
        members = [i for i in ids if (i - 1) % len(KINDS) == k]
        srng.shuffle(members)
        n_train, n_dev = round(len(members) / 2), round(len(members) / 4)
        for j, i in enumerate(members):
            split_of[i] = "train" if j < n_train else ("dev" if j < n_train + n_dev else "test")

    counts = {sp: {lab: 0 for lab in LABELS} for sp in splits}
    kinds = {sp: {k[0]: 0 for k in KINDS} for sp in splits}
    used_first: list[str] = []
    nir_ok = nir_bad = discont = 0
    lengths = []
    manifest = ["doc\tsplit\tkind\tspecialty\tchars"]
    known = {sp: [] for sp in splits}
    for i in ids:
        kname, _, fn = KINDS[(i - 1) % len(KINDS)]
        d, text, spans = build_doc(args.seed, i, fn)
        sp = split_of[i]
        name = f"doc_{i:04d}"
        with open(out / sp / f"{name}.txt", "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        with open(out / sp / f"{name}.ann", "w", encoding="utf-8", newline="\n") as f:
            f.write(ann_lines(text, spans))
        manifest.append(f"{name}\t{sp}\t{kname}\t{d.spec_key}\t{len(text)}")
        known[sp].append(json.dumps(known_record(d, name, text, spans), ensure_ascii=False))
        kinds[sp][kname] += 1
        lengths.append(len(text))
        person_texts = [" ".join(text[s:e] for s, e in fr) for lab, fr in spans if lab == "PERSON"]
        for lab, fr in spans:
            counts[sp][lab] += 1
            if len(fr) > 1:
                discont += 1
            if lab == "FR_NIR":
                if nir_valid("".join(text[s:e] for s, e in fr)):
                    nir_ok += 1
                else:
                    nir_bad += 1
        for fn_ in d.first_names:
            if fn_ not in used_first and any(re.search(r"(?<!\w)" + re.escape(fn_) + r"(?!\w)", t, re.I) for t in person_texts):
                used_first.append(fn_)
    with open(out / "manifest.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(manifest) + "\n")
    if args.known:
        for sp in splits:
            with open(out / sp / "known.jsonl", "w", encoding="utf-8", newline="\n") as f:
                f.write("".join(line + "\n" for line in known[sp]))

    # ---- report ----
    print(f"Wrote {args.n} documents to {out} (seed {args.seed}).")
    print("Split sizes: " + ", ".join(f"{sp} {sum(kinds[sp].values())}" for sp in splits))
    print(f"Document length: min {min(lengths)}, mean {sum(lengths) // len(lengths)}, max {max(lengths)} characters")
    w = max(len(l) for l in LABELS)
    print("\nLabel counts per split:")
    print(f"  {'label':<{w}}  " + "  ".join(f"{sp:>6}" for sp in splits) + "   total")
    for lab in LABELS:
        row = [counts[sp][lab] for sp in splits]
        print(f"  {lab:<{w}}  " + "  ".join(f"{c:>6}" for c in row) + f"  {sum(row):>6}")
    print("\nDocument kinds per split:")
    for k in KINDS:
        print(f"  {k[0]:<13} " + "  ".join(f"{kinds[sp][k[0]]:>4}" for sp in splits) + f"   ({k[1]})")
    print(f"\nFR_NIR with a valid key: {nir_ok}, with a wrong key: {nir_bad}; discontinuous (wrapped) spans: {discont}")
    lex = lexicon_names()
    distinct = sorted(set(used_first))
    if lex is None:
        print(f"Distinct first names in PERSON spans: {len(distinct)} (lexicon {LEXICON} not found: overlap not computed)")
    else:
        lexf = set(fold(x) for x in lex)
        inlex = [x for x in distinct if fold(x) in lexf]
        pct = 100.0 * len(inlex) / len(distinct)
        print(f"First names: {len(distinct)} distinct in PERSON spans; {len(inlex)} in models/lexicons/first_names.tsv "
              f"(overlap {pct:.1f} %, i.e. {100 - pct:.1f} % not in the lexicon; accent- and case-insensitive)")
    print(f"Name lists: {len(SURNAMES)} surnames, {len(set(FIRST['F'] + FIRST['M']))} first names, "
          f"{len(set(c for _, c in CITIES))} cities (+{len(FOREIGN)} abroad), {len(STREETS)} street names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
