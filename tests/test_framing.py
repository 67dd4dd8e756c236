"""A text's page says first what it is: this site's fact-check of a text, with its verdicts; its sources read well.

Synthetic sites, each built once: an English one with a text whose headline is itself annotated, sources in
two languages, one with a translation, one read at a mirror and one without a title; and a Spanish one
(``theme.locale: es``) whose interface and default verdicts read Spanish.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, Site
from playwright.sync_api import Browser

from factmark import cli, strings

HEADLINE = "Leaders Admit Everything"
LONG = ("Officials of the Northern Province Agree That the Reservoir Was Empty for Nine Consecutive Summers "
        "and Say So")
FRONT = """\
---
title: "{title}"
kind: news article
author: Unsigned
date: "2025-12"
language: en
publication: Example Post
appearance: "https://post.example/story/1"
provenance:
  - text: Published on Example Post.
    url: "https://post.example/story/1"
---

# {title}

"""
BODY = "Prices fell in May. Wages rose in June. Rents held in July. Taxes rose in 2024.\n"


def source(publisher: str, *, title: str | None = None, extra: str = "") -> str:
    return (f'      - url: "https://{publisher.lower().replace(" ", "")}.example/report"\n'
            + (f'        title: "{title}"\n' if title else "")
            + f'        publisher: "{publisher}"\n        date: "2025-01-02"\n'
            + '        excerpt: "The passage."\n' + extra)


def entry(ident: str, quote: str, status: str, *sources: str) -> str:
    return (f'  - id: {ident}\n    quote: "{quote}"\n    status: {status}\n    summary: "Summary of {ident}."\n'
            f'    sources:\n{"".join(sources)}    reviewed: "2025-12-09"\n')


ENTRIES = (
    entry("headline", HEADLINE, "disputed", source("Wire Agency", title="What they said")),
    entry("prices", "Prices fell in May", "documented",
          source("Diario Nacional", title="Los precios bajaron",
                 extra='        language: es\n        translation: "Prices went down."\n'),
          source("Statistics Office")),
    entry("wages", "Wages rose in June", "uncorroborated",
          source("Daily Record", title="Pay", extra='        via: "https://mirror.example/copy"\n')),
    entry("rents", "Rents held in July", "disputed", source("Housing Board", title="Rents")),
)
STATUSES = {"headline": "disputed", "prices": "documented", "wages": "uncorroborated", "rents": "disputed"}


def write_site(root: Path, mkdocs: str) -> Site:
    site = Site(root)
    site.write("mkdocs.yml", mkdocs)
    site.write("content/index.md", "---\ntitle: Home\ntemplate: home.html\n---\n\n# Texts\n")
    site.write("content/claims.md", "---\ntitle: Claims\ntemplate: claims.html\n---\n\n# All claims\n")
    site.write("content/news.md", FRONT.format(title=HEADLINE) + BODY)
    site.write("content/long.md", FRONT.format(title=LONG) + "Nothing checked yet.\n")
    site.write("annotations/news.yaml", "document: news.md\nannotations:\n" + "".join(ENTRIES))
    assert cli.main(["-f", str(root / "mkdocs.yml"), "build", "-d", str(root / "site")]) == 0
    return site


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mkdocs = MKDOCS_YML.replace("site_name: test\n", "site_name: Desk\nsite_url: https://desk.example/\n")
    return write_site(tmp_path_factory.mktemp("framing-en"), mkdocs).root / "site"


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mkdocs = (MKDOCS_YML.replace("  custom_dir: templates\n", "  custom_dir: templates\n  locale: es\n")
              .replace("  - factmark\n", "  - factmark:\n      statuses:\n        documented: {}\n"
                       "        disputed: {label: Falso}\n        uncorroborated: {}\n"))
    return write_site(tmp_path_factory.mktemp("framing-es"), mkdocs).root / "site"


class Page(HTMLParser):
    """The parts of a built page these tests read: elements by class, with their attributes and text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []  # (tag, attributes, text inside)
        self.open: list[list[str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link", "input", "br", "img"):
            self.elements.append((tag, {k: v or "" for k, v in attrs}, []))
            return
        text: list[str] = []
        self.elements.append((tag, {k: v or "" for k, v in attrs}, text))
        self.open.append(text)

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for text in self.open:
            text.append(data)

    def find(self, tag: str, cls: str | None = None, **attrs: str) -> list[tuple[dict[str, str], str]]:
        return [(a, "".join(t)) for name, a, t in self.elements if name == tag
                and (cls is None or cls in a.get("class", "").split()) and all(a.get(k) == v for k, v in attrs.items())]

    def meta(self, prop: str) -> str:
        return next(a["content"] for a, _ in self.find("meta") if prop in (a.get("property"), a.get("name")))


def read(site: Path, url: str) -> Page:
    return Page((site / url / "index.html").read_text(encoding="utf-8"))


def test_title_and_open_graph_say_it_is_a_fact_check_with_its_verdicts(english: Path) -> None:
    page = read(english, "news")
    verdicts = "2 disputed, 1 uncorroborated, 1 documented"  # the problems first, as on the page
    title = f"Fact-check: “{HEADLINE}” — {verdicts}"
    assert page.find("title")[0][1] == f"{title} · Desk"
    assert page.meta("og:title") == title
    framing = "Fact-check by Desk of a news article published by Example Post at post.example, December 2025."
    assert page.meta("og:description") == page.meta("description") == f"{framing} {verdicts}."
    assert page.meta("og:type") == "article"
    kicker = page.find("p", "doc-kicker")[0][1]
    assert kicker.startswith(framing) and "Author: Unsigned." in kicker
    long = read(english, "long")  # a long headline is cut at a word in the title, in full in the h1
    shown = re.fullmatch(r"Fact-check: “(.*)…” · Desk", long.find("title")[0][1])
    assert shown and LONG.startswith(shown[1]) and len(shown[1]) <= strings.TITLE_LIMIT and not shown[1].endswith(" ")
    assert long.find("h1")[0][1] == f"Fact-check: “{LONG}”"
    assert long.meta("og:description").endswith("December 2025.")  # no verdicts yet: none claimed


def test_the_framing_comes_before_the_text_and_the_headline_is_the_texts(english: Path) -> None:
    page = read(english, "news")
    (h1, h1_text), = page.find("h1")  # one h1, the site's own, with no marker in it
    assert h1_text == f"Fact-check: “{HEADLINE}”" and "fm-framing-title" in h1["class"]
    html = page.html
    assert html.index('class="fm-framing"') < html.index("fm-under-review-label") < html.index('id="fm--text"')
    assert html.index('class="doc-counts"') < html.index('id="fm--text"')  # the counts, before the text
    inside = html[html.index('id="fm--text"'):html.index('id="fm-annotations"')]
    assert re.search(r'<h2 id="[^"]+"><mark id="fm-headline--text"[^>]*>' + HEADLINE + "</mark>", inside)
    assert "<h1" not in inside  # the headline, and its marker, head the text under review
    assert page.find("div", "fm-text")[0][0]["lang"] == "en"


def test_every_excerpt_has_its_language_and_a_translation_has_the_sites(english: Path) -> None:
    page = read(english, "news")
    langs = [a.get("lang") for a, _ in page.find("blockquote", "fm-excerpt")]
    assert len(langs) == 5 and None not in langs
    assert langs.count("es") == 1 and langs.count("en") == 4  # the Spanish source's; the others, the text's
    html = page.html
    excerpt = html.index('lang="es"><p>The passage.</p></blockquote>')
    (translation, text), = page.find("div", "fm-translation")
    assert translation["lang"] == page.find("html")[0][0]["lang"] == "en"
    assert text == "Translation: Prices went down."
    assert excerpt < html.index('class="fm-translation"') < html.index("</li>", excerpt)  # beside its excerpt


def test_source_links_read_publisher_and_title_and_name_the_copy_read(english: Path) -> None:
    page = read(english, "news")
    links = [text for _, text in page.find("a", "fm-source-link")]
    assert len(links) == 5 and not [t for t in links if "://" in t]
    assert "Diario Nacional: Los precios bajaron" in links and "Statistics Office" in links  # no title: publisher
    (via, via_text), = page.find("a", "fm-via")
    assert via_text == "read at mirror.example" and via["href"].startswith("https://mirror.example/copy#:~:text=")
    assert [t for _, t in page.find("span", "fm-print-url")].count("https://dailyrecord.example/report") == 1


def test_claims_page_puts_problems_first_with_jump_links_and_the_texts_numbers(english: Path) -> None:
    claims = read(english, "claims")
    sections = [a["aria-labelledby"] for a, _ in claims.find("section", "claims-group")]
    assert sections == ["claims-disputed", "claims-uncorroborated", "claims-documented"]
    jumps = [(a["href"], text) for a, text in claims.find("a") if a.get("href", "").startswith("#claims-")]
    assert [href for href, _ in jumps] == [f"#{s}" for s in sections]
    assert [re.search(r"\((\d+)\)", text)[1] for _, text in jumps] == ["2", "1", "1"]  # type: ignore[index]
    text_page = read(english, "news")
    markers = {a["data-fm"]: a["data-n"] for a, _ in text_page.find("a", "fm-marker")}
    assert sorted(markers.values()) == ["1", "2", "3", "4"]
    html = claims.html
    listed = re.findall(r'<a class="claims-quote" href="../news/#fm-([\w-]+)"><q>([^<]+)</q></a> '
                        r'<span class="claims-source">claim (\d+) in Fact-check: “' + HEADLINE + "”</span>", html)
    assert [ident for ident, _, _ in listed] == ["headline", "rents", "wages", "prices"]
    assert all(markers[ident] == number for ident, _, number in listed)  # the number its marker shows
    assert all(quote in BODY or quote == HEADLINE for _, quote, _ in listed)  # the link says the claim
    assert html.index('id="claims-disputed"') < html.index('id="claims-documented"')


def test_home_table_names_each_text_as_a_fact_check(english: Path) -> None:
    home = read(english, ".")
    assert f"Fact-check: “{HEADLINE}”" in [text for a, text in home.find("a") if a.get("href") == "news/"]
    assert home.meta("og:title") == "Home"


def test_a_spanish_site_speaks_spanish(spanish: Path) -> None:
    page = read(spanish, "news")
    assert page.find("html")[0][0]["lang"] == "es"
    assert page.find("div", "fm-text")[0][0]["lang"] == "en"  # the text keeps its own language
    verdicts = "falso: 2, sin corroborar: 1, documentado: 1"  # the site's own label kept, the defaults in Spanish
    assert page.find("title")[0][1] == f"Verificación: “{HEADLINE}” — {verdicts} · test"
    assert page.find("p", "doc-kicker")[0][1].startswith(
        "Verificación de test de un texto (news article) publicado por Example Post en post.example, "
        "diciembre de 2025. Autoría: Unsigned.")
    assert page.find("h2", id="fm-annotations-title")[0][1] == "Anotaciones"
    assert [t for _, t in page.find("a", "fm-back")] == ["↩ Volver al texto"] * 4
    assert page.find("div", "fm-translation")[0][1] == "Traducción: Prices went down."
    assert page.find("div", "fm-translation")[0][0]["lang"] == "es"
    assert "✓ Documentado" in [t.strip() for _, t in page.find("mark", "fm-hl")]  # the legend's default label
    assert "2 January 2025" not in page.html and "2 de enero de 2025" in page.html
    english_words = ("Annotations", "Back to the text", "Skip to the text", "What the highlights mean",
                     "The text under review", "Highlight", "Reviewed", "Documented")
    assert [w for w in english_words if w in page.html] == []
    claims = read(spanish, "claims")
    assert "afirmación 1 en Verificación: “" in claims.html and claims.find("html")[0][0]["lang"] == "es"


@pytest.mark.parametrize(("value", "finding"), [
    ("spanish", "FM260 annotations[0].sources[0].language 'spanish' is not a BCP 47 language tag"),
    ("es_ES", "FM260 annotations[0].sources[0].language 'es_ES' is not a BCP 47 language tag"),
    ('" "', "FM205 annotations[0].sources[0].language is empty; it needs text"),
])
def test_a_malformed_language_tag_is_refused(site: Site, capsys: pytest.CaptureFixture[str], value: str,
                                             finding: str) -> None:
    site.doc("Prices fell in May.\n")
    text = "document: speech.md\nannotations:\n" + entry(
        "a1", "Prices fell", "documented", source("Agency", extra=f"        language: {value}\n"))
    site.write("annotations/speech.yaml", text)
    code, lines = site.check(capsys)
    assert code == 1
    assert [line.split(": ", 1)[1].split(" (hint")[0] for line in lines] == [finding]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "language:" in row)
    assert lines[0].startswith(f"annotations/speech.yaml:{line}:19: ")  # at the value


@pytest.mark.parametrize("tag", ["es", "pt-BR", "zh-Hant-TW", "sr-Latn", "es-419", "de-CH-1996", "x-klingon"])
def test_well_formed_language_tags_pass(tag: str) -> None:
    from factmark.validate import LANGUAGE_TAG
    assert LANGUAGE_TAG.fullmatch(tag)


def test_dates_read_as_readers_write_them() -> None:
    en, es = strings.Strings("en"), strings.Strings("es-ES")
    assert (en.date("2025-12-08"), en.date("2025-12"), en.date("2025")) == ("8 December 2025", "December 2025", "2025")
    assert es.date("2025-01-02") == "2 de enero de 2025" and es("entries") == "Anotaciones"
    assert strings.Strings("fr")("entries") == "Annotations"  # a language without a table reads English


def test_the_h1_is_read_without_a_marker_and_the_framing_is_on_screen_first(browser: Browser, english: Path) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto((english / "news" / "index.html").as_uri())
    assert page.get_by_role("heading", level=1).all_inner_texts() == [f"Fact-check: “{HEADLINE}”"]
    name = page.evaluate("() => document.querySelector('h1').textContent")
    assert "annotation" not in name
    framing = page.locator(".fm-framing .doc-kicker").bounding_box()
    text = page.locator("#fm--text").bounding_box()
    assert framing and text and framing["y"] + framing["height"] <= text["y"] and framing["y"] < 800
    page.close()


def test_a_locale_without_translations_is_refused_at_its_line(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  custom_dir: templates\n", "  custom_dir: templates\n  locale: fr\n"))
    site.doc("Prices fell in May.\n")
    code, lines = site.check(capsys)
    assert code == 1
    assert [line.split(" (hint")[0] for line in lines] == [
        "mkdocs.yml:6:11: FM261 theme.locale 'fr' is a language the theme has no translations for; "
        "MkDocs' strict build stops on it"]
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(site.root / "site")]) == 1
    out = capsys.readouterr()
    assert "FM261" in out.out + out.err and not (site.root / "site").exists()
    site.write("templates/locales/fr/LC_MESSAGES/messages.mo", (
        site.root / "templates/locales/es/LC_MESSAGES/messages.mo").read_bytes())  # a site's own catalog
    assert site.check(capsys)[0] == 0
