"""The interface's words in the site's language (``theme.locale``): English and Spanish.

Every string a reader sees around the texts comes from here, so a Spanish newsroom's site reads
Spanish throughout, with ``<html lang>`` to match; the texts and annotations keep their own words.
Templates call ``t("key", name=value)``; a language without a table (or a key missing from one)
reads English, so a site never shows a bare key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .settings import DEFAULT_STATUSES, Status

EN: dict[str, str] = {
    "skip": "Skip to the text",
    "site_nav": "Site",
    "search": "Search",
    "search_go": "Go",
    "search_label": "Search the texts and verdicts",
    "search_placeholder": "Search the texts",
    "footer": "Built with factmark. Every highlighted passage links to its verdict and sources.",
    "factcheck_title": "Fact-check: {title}",
    "framing": "Fact-check by {site} of {what}{published}{where}{when}.",
    "framing_what": "{article} {kind}",
    "framing_published": " published by {publisher}",
    "framing_where": " at {host}",
    "framing_when": ", {date}",
    "framing_author": "Author: {author}.",
    "framing_details": "Where it was published",
    "under_review": "The text under review",
    "no_annotations": "No annotations yet.",
    "annotations_one": "{n} annotation",
    "annotations_other": "{n} annotations",
    "verdict_count": "{n} {label}",
    "filter": "Highlight",
    "filter_all": "All",
    "filter_only": "Only {label}",
    "about_text": "About this text",
    "provenance": "Where it was published",
    "editorial_notes": "How it was transcribed",
    "legend": "What the highlights mean",
    "home_texts": "Annotated texts",
    "home_caption_one": "1 text, {total} annotations",
    "home_caption_other": "{n} texts, {total} annotations",
    "home_text": "Text",
    "home_kind": "Kind",
    "home_date": "Date",
    "home_checked": "Checked",
    "home_checked_title": "Share of the text's sentences touched by an annotation",
    "home_sentences": "{touched} of {sentences} sentences",
    "home_none": "No texts yet.",
    "home_verdicts": "The three verdicts",
    "claims_jump": "Verdicts",
    "claims_range": "Claims {first} to {last} of {total}",
    "claims_none": "None.",
    "claims_claim": "claim {n} in {document}",
    "claims_pages": "{label} claims, pages",
    "claims_page": "Page {n} of {last}",
    "claims_page_count": ": {shown} of {total} claims",
    "claims_previous": "← Previous",
    "claims_next": "Next →",
    "claims_listing_title": "{label} claims, page {n} of {last}",
    "method_verdicts": "The verdicts",
    "corrections": "Corrections",
    "corrections_changed": "The verdict changed from {before} to {after}.",
    "corrections_none": "No published verdict has been changed so far. Every future change will be listed here, "
                        "with its date, and noted in the annotation itself.",
    "not_found": "Page not found",
    "not_found_text": "There is no page at this address. Every annotated text is listed on the",
    "not_found_home": "home page",
    "entries": "Annotations",
    "entry_back": "↩ Back to the text",
    "entry_permalink": "Permalink: #{id}",
    "primary": "primary document",
    "read_at": "read at {host}",
    "translation": "Translation",
    "corrected": "Corrected",
    "earlier_verdict": "(earlier verdict: {status})",
    "reviewed": "Reviewed",
    "as_of": "as of",
    "months": "January February March April May June July August September October November December",
    "date_month": "{month} {year}",
    "date_day": "{day} {month} {year}",
}

ES: dict[str, str] = {
    "skip": "Ir al texto",
    "site_nav": "Sitio",
    "search": "Buscar",
    "search_go": "Ir",
    "search_label": "Buscar en los textos y los veredictos",
    "search_placeholder": "Buscar en los textos",
    "footer": "Hecho con factmark. Cada pasaje resaltado lleva a su veredicto y sus fuentes.",
    "factcheck_title": "Verificación: {title}",
    "framing": "Verificación de {site} de un texto ({what}){published}{where}{when}.",
    "framing_what": "{kind}",
    "framing_published": " publicado por {publisher}",
    "framing_where": " en {host}",
    "framing_when": ", {date}",
    "framing_author": "Autoría: {author}.",
    "framing_details": "Dónde se publicó",
    "under_review": "El texto verificado",
    "no_annotations": "Todavía no hay anotaciones.",
    "annotations_one": "{n} anotación",
    "annotations_other": "{n} anotaciones",
    "verdict_count": "{label}: {n}",
    "filter": "Resaltar",
    "filter_all": "Todo",
    "filter_only": "Solo {label}",
    "about_text": "Sobre este texto",
    "provenance": "Dónde se publicó",
    "editorial_notes": "Cómo se transcribió",
    "legend": "Qué significan los resaltados",
    "home_texts": "Textos verificados",
    "home_caption_one": "1 texto, {total} anotaciones",
    "home_caption_other": "{n} textos, {total} anotaciones",
    "home_text": "Texto",
    "home_kind": "Tipo",
    "home_date": "Fecha",
    "home_checked": "Verificado",
    "home_checked_title": "Parte de las oraciones del texto que toca una anotación",
    "home_sentences": "{touched} de {sentences} oraciones",
    "home_none": "Todavía no hay textos.",
    "home_verdicts": "Los tres veredictos",
    "claims_jump": "Veredictos",
    "claims_range": "Afirmaciones {first} a {last} de {total}",
    "claims_none": "Ninguna.",
    "claims_claim": "afirmación {n} en {document}",
    "claims_pages": "Afirmaciones: {label}, páginas",
    "claims_page": "Página {n} de {last}",
    "claims_page_count": ": {shown} de {total} afirmaciones",
    "claims_previous": "← Anterior",
    "claims_next": "Siguiente →",
    "claims_listing_title": "Afirmaciones: {label}, página {n} de {last}",
    "method_verdicts": "Los veredictos",
    "corrections": "Correcciones",
    "corrections_changed": "El veredicto cambió de {before} a {after}.",
    "corrections_none": "Hasta ahora no se ha cambiado ningún veredicto publicado. Cada cambio futuro se indicará "
                        "aquí, con su fecha, y en la propia anotación.",
    "not_found": "Página no encontrada",
    "not_found_text": "No hay ninguna página en esta dirección. Todos los textos anotados están en la",
    "not_found_home": "página de inicio",
    "entries": "Anotaciones",
    "entry_back": "↩ Volver al texto",
    "entry_permalink": "Enlace permanente: #{id}",
    "primary": "documento original",
    "read_at": "leído en {host}",
    "translation": "Traducción",
    "corrected": "Corregido el",
    "earlier_verdict": "(veredicto anterior: {status})",
    "reviewed": "Revisado el",
    "as_of": "a fecha de",
    "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "date_month": "{month} de {year}",
    "date_day": "{day} de {month} de {year}",
}

TABLES: dict[str, dict[str, str]] = {"en": EN, "es": ES}

# the default verdicts' words where a site does not set its own (settings.DEFAULT_STATUSES are English)
STATUS_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "es": {
        "documented": ("Documentado", "Fuentes fiables muestran que la afirmación es exacta tal como está escrita."),
        "disputed": ("Cuestionado", "Fuentes fiables contradicen la afirmación, o está en disputa y el texto no "
                                    "lo dice."),
        "uncorroborated": ("Sin corroborar", "Ninguna fuente fiable confirma la afirmación; se basa en la palabra "
                                             "del autor."),
    },
}

_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?\Z")
TITLE_LIMIT = 72  # characters of a headline in <title> and og:title before it is cut at a word


def language_tag(locale: Any) -> str:
    """``theme.locale`` (MkDocs' ``Locale``, ``es_ES``) as the BCP 47 tag ``<html lang>`` takes (``es-ES``)."""
    return str(locale or "en").replace("_", "-")


def localized_statuses(statuses: Sequence[Status], tag: str) -> tuple[Status, ...]:
    """The statuses with each label and description left at factmark's English default in the site's language.

    A site that writes its own label keeps it; one that relies on the defaults reads them in its language.
    """
    words = STATUS_WORDS.get(tag.split("-")[0].lower(), {})
    defaults = {s.key: s for s in DEFAULT_STATUSES}
    out = []
    for s in statuses:
        base, local = defaults.get(s.key), words.get(s.key)
        if base is None or local is None:
            out.append(s)
            continue
        out.append(Status(s.key, local[0] if s.label == base.label else s.label,
                          local[1] if s.description == base.description else s.description, s.colour, s.symbol))
    return tuple(out)


class Strings:
    """One language's interface strings; called as ``t(key, **values)`` from the templates."""

    def __init__(self, tag: str) -> None:
        self.lang = tag
        self.table = TABLES.get(tag.split("-")[0].lower(), EN)

    def __call__(self, key: str, **values: Any) -> str:
        return self.table.get(key, EN[key]).format(**values)

    def plural(self, key: str, n: int, **values: Any) -> str:
        """``key_one`` for one, ``key_other`` otherwise (the rule of both languages here)."""
        return self(f"{key}_{'one' if n == 1 else 'other'}", n=n, **values)

    def date(self, value: str | None) -> str:
        """``2025-12-08`` as a reader writes it (``8 December 2025``); a month alone, ``December 2025``."""
        match = _DATE.match(value or "")
        if match is None:
            return value or ""
        year, month, day = match.groups()
        if month is None:
            return year
        name = self("months").split()[int(month) - 1]
        if day is None:
            return self("date_month", month=name, year=year)
        return self("date_day", day=int(day), month=name, year=year)

    def verdicts(self, counts: Mapping[str, int], statuses: Sequence[Mapping[str, str]]) -> str:
        """``3 disputed, 2 uncorroborated, 16 documented``: each verdict given, in the order of ``statuses``."""
        return ", ".join(self("verdict_count", n=counts[s["key"]], label=s["label"].lower())
                         for s in statuses if counts.get(s["key"]))

    def headline(self, title: str, quoted: bool, limit: int | None = None) -> str:
        """The fact-check's title for a text: ``Fact-check: “Headline”``, cut at a word past ``limit``.

        A text's own headline (``quoted``) is quoted, so it never reads as the site's own statement.
        """
        if limit is not None and len(title) > limit:
            title = title[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
        return self("factcheck_title", title=f"“{title}”" if quoted else title)

    def framing(self, meta: Mapping[str, Any], site: str, host: str | None) -> str:
        """What the page is, first: ``Fact-check by <site> of a news article published by <whom>, at <where>,
        <when>.`` from the front matter (``kind``, ``publication``, ``appearance``'s host, ``date``)."""
        kind = str(meta.get("kind") or "")
        article = "an" if kind[:1].lower() in "aeiou" and kind else "a"
        publisher = meta.get("publication")
        return self("framing", site=site, what=self("framing_what", article=article, kind=kind),
                    published=self("framing_published", publisher=publisher) if publisher else "",
                    where=self("framing_where", host=host) if host else "",
                    when=self("framing_when", date=self.date(meta.get("date"))) if meta.get("date") else "")
