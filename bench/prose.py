"""Seeded, varied prose for the benchmark: news-like English sentences and Spanish source excerpts.

Real annotations are long (notes of several hundred characters of Markdown, several sources with
excerpts, some in Spanish) and real texts are thousands of words of varied sentences; a benchmark of
one-line synthetic annotations hid a 2x slowdown and a 124 MB search index (issue 16). The words come
from small vocabularies combined by a few sentence shapes, so the output is deterministic for a seed,
varied enough that a 6-30-word quote is almost always unique, and needs no corpus on disk.
"""

from __future__ import annotations

import random

SUBJECTS = (
    "the ministry", "the council", "a former official", "the prosecutor's office", "the central bank",
    "the opposition coalition", "the defence minister", "a regional governor", "the electoral board",
    "the treasury", "an army general", "the national assembly", "the port authority", "a state oil company",
    "the supreme court", "a trade union", "the foreign ministry", "a mining cooperative", "the police chief",
    "the customs agency", "an independent auditor", "the interior minister", "a human rights group",
    "the attorney general", "the city mayor", "a shipping firm", "the health ministry", "a senior diplomat",
)
VERBS = (
    "announced", "denied", "confirmed", "reported", "approved", "rejected", "investigated", "published",
    "disputed", "signed", "suspended", "reviewed", "financed", "ordered", "questioned", "defended",
    "postponed", "documented", "challenged", "acknowledged", "audited", "transferred", "seized", "renewed",
)
OBJECTS = (
    "a contract for new rail lines", "the sale of state gold reserves", "an agreement on fuel imports",
    "the budget for regional hospitals", "a decree on currency controls", "the results of the census",
    "a plan to rebuild the refinery", "the transfer of prisoners", "an inquiry into the mining concessions",
    "the accounts of the pension fund", "a loan from a foreign bank", "the list of sanctioned officials",
    "a shipment of military equipment", "new rules for the election observers", "the audit of the water utility",
    "a report on border crossings", "the extradition request", "the licence of a broadcaster",
    "an order freezing several bank accounts", "the timetable for the municipal elections",
    "a tender for the airport terminal", "the release of two detained journalists", "the electricity tariff",
)
TIMES = (
    "in March", "last year", "in the second quarter", "before the elections", "after a long delay",
    "in a televised address", "on Tuesday", "during the summer", "at the end of the session",
    "in a written statement", "within three weeks", "in 2019", "in 2021", "in early 2024", "by decree",
)
CLAUSES = (
    "according to documents seen by reporters", "although no figures were given", "citing security concerns",
    "despite objections from the auditors", "as the court had requested", "without consulting the assembly",
    "after months of negotiation", "in line with an earlier ruling", "which critics called unlawful",
    "while the investigation continued", "as several newspapers reported at the time",
    "amid protests in the capital", "following a complaint by the opposition",
)
FIGURES = ("12", "27", "40", "150", "300", "1,200", "4.5 million", "18 percent", "two thirds", "nine")
NOUNS = ("officials", "companies", "accounts", "contracts", "tonnes", "barrels", "workers", "voters", "cases")
TITLES = (
    "Inquiry finds gaps in the accounts", "Court rules on disputed contract", "Officials deny the report",
    "What the documents show", "Sanctions list updated", "Audit questions spending", "A timeline of the case",
    "Election board publishes results", "The deal explained", "Prosecutors file new charges",
)
PUBLISHERS = (
    "Reuters", "Associated Press", "El País", "BBC News", "Agence France-Presse", "The Guardian",
    "U.S. Department of the Treasury", "U.S. Department of Justice", "Federal Register", "EFE",
    "El Nacional (Venezuela)", "InSight Crime", "Efecto Cocuyo", "The New York Times", "Deutsche Welle",
)
ES_SUBJECTS = ("el ministerio", "la fiscalía", "el consejo electoral", "un exfuncionario", "el tribunal supremo",
               "la asamblea nacional", "el banco central", "un general retirado", "la contraloría")
ES_VERBS = ("anunció", "negó", "confirmó", "informó", "aprobó", "rechazó", "investigó", "publicó", "ordenó")
ES_OBJECTS = ("un contrato de obras públicas", "la venta de reservas de oro", "un acuerdo de importación",
              "el presupuesto de los hospitales", "un decreto sobre el control de cambios",
              "la lista de funcionarios sancionados", "la auditoría de la empresa estatal")
ES_TIMES = ("en marzo", "el año pasado", "antes de las elecciones", "en un comunicado", "en 2021", "por decreto")


def sentence(rng: random.Random) -> str:
    """One English sentence of 10-35 words, in one of a few shapes."""
    shape = rng.randrange(4)
    subject, verb, obj, when = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TIMES)
    if shape == 0:
        text = f"{subject} {verb} {obj} {when}"
    elif shape == 1:
        text = f"{subject} {verb} {obj} {when}, {rng.choice(CLAUSES)}"
    elif shape == 2:
        text = (f"{when.capitalize()}, {subject} {verb} {obj}, and {rng.choice(SUBJECTS)} "
                f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}")
    else:
        text = f"{subject} said that {rng.choice(FIGURES)} {rng.choice(NOUNS)} were affected by {obj}"
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: tuple[int, int] = (3, 7)) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def spanish_sentence(rng: random.Random) -> str:
    text = f"{rng.choice(ES_SUBJECTS)} {rng.choice(ES_VERBS)} {rng.choice(ES_OBJECTS)} {rng.choice(ES_TIMES)}"
    return text[0].upper() + text[1:] + "."


def excerpt(rng: random.Random, spanish: bool) -> str:
    """A source passage of 100-300 characters."""
    make = spanish_sentence if spanish else sentence
    text = make(rng)
    while len(text) < 100:
        text += " " + make(rng)
    return text[:300].rsplit(" ", 1)[0] if len(text) > 300 else text


def note(rng: random.Random) -> str:
    """A note of 300-800 characters of Markdown: emphasis, a link, sometimes a second paragraph or a list."""
    parts = [sentence(rng), f"**{sentence(rng)[:-1]}**, {rng.choice(CLAUSES)}.",
             f"[{rng.choice(TITLES)}](https://example.org/note/{rng.randrange(10**6)}) {sentence(rng).lower()}"]
    text, size = " ".join(parts), rng.randint(300, 800)
    if rng.random() < 0.4:
        text += "\n\n" + "\n".join(f"- {sentence(rng)}" for _ in range(2))
    while len(text) < size:
        text += " " + sentence(rng)
    if len(text) > 800:  # end on a whole sentence within the bound
        cut = text.rfind(". ", 300, 800)
        text = text[:cut + 1] if cut > 0 else text[:800]
    return text


def title(rng: random.Random) -> str:
    return rng.choice(TITLES)


def publisher(rng: random.Random) -> str:
    return rng.choice(PUBLISHERS)
