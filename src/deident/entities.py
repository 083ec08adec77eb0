"""Entity types and the immutable span the pipeline passes along."""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "PERSON"
FR_NIR = "FR_NIR"
PHONE = "PHONE"
EMAIL = "EMAIL"
URL = "URL"
DATE = "DATE"
ADDRESS = "ADDRESS"
ZIP_CITY = "ZIP_CITY"
CITY = "CITY"
HOSPITAL_ID = "HOSPITAL_ID"
RPPS = "RPPS"
FINESS = "FINESS"
IBAN = "IBAN"
HOSPITAL = "HOSPITAL"  # a named hospital, clinic or care home
VEHICLE_PLATE = "VEHICLE_PLATE"
PAYMENT_CARD = "PAYMENT_CARD"

ENTITY_TYPES: tuple[str, ...] = (
    PERSON, FR_NIR, PHONE, EMAIL, URL, DATE, ADDRESS, ZIP_CITY, CITY,
    HOSPITAL_ID, RPPS, FINESS, IBAN, HOSPITAL, VEHICLE_PLATE, PAYMENT_CARD,
)

# spaCy's own labels, kept apart from the rule-based ones until cleaned: Presidio drops
# any result contained in a same-typed one, and spaCy's spans are often too long.
NER_PERSON = "NER_PERSON"
NER_LOCATION = "NER_LOCATION"


@dataclass(frozen=True, order=True, slots=True)  # no __dict__: tables make millions
class Entity:
    """One detected identifier: where it is, what it is, how sure we are.

    It holds no text on purpose, so printing or logging it cannot leak a value.
    `hint` carries a recognizer's clue for the surrogate (e.g. "first_name").
    """

    start: int
    end: int
    type: str
    score: float
    hint: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start
