"""Open data: W3C Web Annotation conformance, ClaimReview, the Atom feed, canonical links."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import collectionpages
import extruct
import feedparser
import jsonschema
import pytest
import yaml
from conftest import MKDOCS_YML, REFERENCE, REPO, Site, annotation, annotations_file, content_pages, shared
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from factmark import cli, export, pagetext, settings
from factmark.project import Project

SITE_URL = "https://factmark.example/"
BASE = "https://w3c-annotation-tests.invalid/"  # one flat namespace, as the suite's relative $refs expect


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site


@pytest.fixture(scope="module")
def project() -> Project:
    proj = Project(settings.load(REPO / "mkdocs.yml"))
    assert proj.load() == []
    return proj


ANNOTATIONS = REFERENCE
TOTAL = sum(len(v) for v in ANNOTATIONS.values())


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def collections(site: Path) -> list[dict[str, Any]]:
    paths = [site / "annotations.jsonld"] + [site / d.removesuffix(".md") / "annotations.jsonld" for d in ANNOTATIONS]
    return [load_json(p) for p in paths]


# --- W3C Web Annotation Data Model -------------------------------------------------------------


def w3c_suite() -> tuple[Registry, Path]:
    root = shared("conformance/w3c-web-annotation-tests")
    registry: Registry = Registry()
    folders = ("annotations", "collections", "definitions")  # tools/samples holds deliberately broken JSON
    for path in [p for folder in folders for p in (root / folder).rglob("*.json")]:
        schema = load_json(path)
        if isinstance(schema, dict) and "$schema" in schema:
            schema["id"] = BASE + path.name
            registry = registry.with_resource(BASE + path.name, Resource(schema, specification=DRAFT4))
    return registry.crawl(), root  # crawled once: each $ref is then a lookup, not a search


def assertions(root: Path, test_file: str) -> list[dict[str, Any]]:
    listed = load_json(root / test_file)["assertions"]
    return [load_json(root / rel) for rel in listed]


FORMATS = jsonschema.Draft4Validator.FORMAT_CHECKER  # `uri` needs rfc3986-validator, `date-time` rfc3339-validator


class Assertions:
    """Compiled assertion schemas of one .test file, each with its expected result, checking formats."""

    def __init__(self, registry: Registry, schemas: list[dict[str, Any]]) -> None:
        # draft 4 ignores the siblings of a top-level $ref, `id` included: wrap each so relative $refs have a base
        self.checks = [(s["id"], s["expectedResult"] == "valid",
                        jsonschema.Draft4Validator({"id": BASE + "assertion-" + s["id"], "allOf": [s]},
                                                   registry=registry, format_checker=FORMATS)) for s in schemas]

    def failed(self, instance: Any) -> list[str]:
        return [name for name, expected, validator in self.checks if validator.is_valid(instance) != expected]


def suite(test_file: str) -> Assertions:
    registry, root = w3c_suite()
    return Assertions(registry, assertions(root, test_file))


def test_the_format_checker_checks_uris_and_dates() -> None:
    """Guard: without its optional packages jsonschema passes every `format` silently."""
    assert {"uri", "date-time"} <= set(FORMATS.checkers)
    assert not FORMATS.conforms("https://kampuspedia.com/es/Niño_Guerrero", "uri")
    assert FORMATS.conforms("https://kampuspedia.com/es/Ni%C3%B1o_Guerrero", "uri")
    assert not FORMATS.conforms("2025-02-31T00:00:00Z", "date-time")
    assert not FORMATS.conforms("2025-01-03\nT00:00:00Z", "date-time")
    assert FORMATS.conforms("2025-01-03T00:00:00Z", "date-time")


def test_every_exported_annotation_passes_the_w3c_musts(site: Path) -> None:
    musts = suite("annotations/annotationMusts.test")
    assert len(musts.checks) == 54
    site_wide, *per_text = collections(site)
    items = collectionpages.items(site)
    assert len(items) == TOTAL == site_wide["total"]
    assert [i for c in per_text for i in c["items"]] == items  # the texts' own files are the site's pages, in order
    failures = {item["id"]: musts.failed(item) for item in items}
    assert {k: v for k, v in failures.items() if v} == {}


def test_every_collection_and_page_passes_the_w3c_musts(site: Path) -> None:
    collection_musts = suite("collections/collectionMusts.test")
    page_musts = suite("collections/pages/pageMusts.test")
    assert (len(collection_musts.checks), len(page_musts.checks)) == (10, 15)
    site_wide, *per_text = collections(site)
    assert collection_musts.failed(site_wide) == []
    for data in per_text:
        assert page_musts.failed(data) == [], data["id"]
    assert len(collectionpages.pages(site)) == len(per_text)


def test_the_suite_rejects_a_broken_annotation() -> None:
    """Guard: the harness must be able to fail (a missing target breaks a MUST)."""
    broken = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://x.example/a", "type": "Annotation"}
    assert "3.1-targetKeyFound.json" in suite("annotations/annotationMusts.test").failed(broken)


def test_the_suite_rejects_a_broken_page(site: Path) -> None:
    """Guard: the page assertions look at the page (its items, and partOf, which describes the collection)."""
    page = collections(site)[1]
    musts = suite("collections/pages/pageMusts.test")
    assert "5.2-pageItemsValidated.json" in musts.failed({**page, "items": [{"type": "Note"}]})
    assert "5.2-pageTotalValidated.json" in musts.failed({**page, "partOf": {**page["partOf"], "total": -1}})
    assert "3.3.1-pageModifiedValidated.json" in musts.failed(
        {**page, "partOf": {**page["partOf"], "modified": "2025-02-31T00:00:00Z"}})


NINO = "https://kampuspedia.com/es/Niño_Guerrero"


def test_non_ascii_addresses_pass_the_w3c_musts_as_uris(tmp_path: Path) -> None:
    project = Site(tmp_path / "project")
    project.write("mkdocs.yml", MKDOCS_YML.replace("site_name: test\n",
                                                        "site_name: test\nsite_url: https://ejemplo.example/año/\n"))
    project.doc("Guerrero was born in a town.\n", name="niño.md")
    source = annotation("born in a town").replace("https://example.org/report", NINO)
    project.write("annotations/nino.yaml", annotations_file(source, document="niño.md"))
    out = tmp_path / "out"
    assert cli.main(["-f", str(project.root / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    musts = suite("annotations/annotationMusts.test")
    assert suite("collections/collectionMusts.test").failed(load_json(out / "annotations.jsonld")) == []
    data = load_json(out / "niño" / "annotations.jsonld")
    assert suite("collections/pages/pageMusts.test").failed(data) == []
    assert collectionpages.pages(out) == [data]
    (item,) = data["items"]
    assert item["id"] == "https://ejemplo.example/a%C3%B1o/ni%C3%B1o/#fm-a1"
    assert item["body"][-1]["source"] == "https://kampuspedia.com/es/Ni%C3%B1o_Guerrero"
    assert musts.failed(item) == []
    as_written = {**item, "body": [*item["body"][:-1], {**item["body"][-1], "source": NINO}]}
    assert musts.failed(as_written) != []  # what the format checker would have refused


def test_collections_cover_every_annotation_once(site: Path) -> None:
    site_wide, *per_document = collections(site)
    assert site_wide["total"] == TOTAL
    ids = [i["id"] for c in per_document for i in c["items"]]
    assert sorted(ids) == sorted(i["id"] for i in collectionpages.items(site)) and len(set(ids)) == TOTAL


def test_selectors_name_the_text_container_of_the_page(site: Path) -> None:
    """Each target: the page's text container (CssSelector) refined by a quote and a position of one passage."""
    for data in collections(site)[1:]:
        for item in data["items"]:
            page = site / item["target"]["source"].removeprefix(SITE_URL) / "index.html"
            html = page.read_text(encoding="utf-8")
            assert html.count(f'id="{pagetext.CONTAINER_ID}"') == 1
            css = item["target"]["selector"]
            assert [s["type"] for s in css] == ["CssSelector", "CssSelector"]
            assert {s["value"] for s in css} == {pagetext.CONTAINER}
            quote, position = (s["refinedBy"] for s in css)
            assert (quote["type"], position["type"]) == ("TextQuoteSelector", "TextPositionSelector")
            assert position["end"] - position["start"] == len(quote["exact"]) > 0
            ident = item["id"].split("#fm-")[1]
            path = item["target"]["source"].removeprefix(SITE_URL).removesuffix("/") + ".md"
            assert ident in {a["id"] for a in ANNOTATIONS[path]}


def test_dates_come_from_the_annotation_files(site: Path) -> None:
    reviewed = {f"{a['id']}": a["reviewed"] for anns in ANNOTATIONS.values() for a in anns}
    for item in collectionpages.items(site):
        ident = item["id"].split("#fm-")[1]
        assert item["created"] == f"{reviewed[ident]}T00:00:00Z"


# --- ClaimReview --------------------------------------------------------------------------------


@pytest.mark.parametrize("document", sorted(ANNOTATIONS))
def test_claim_reviews_extracted_by_extruct(site: Path, document: str) -> None:
    html = (site / document.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    page_url = SITE_URL + document.removesuffix(".md") + "/"
    found = extruct.extract(html, base_url=page_url, syntaxes=["json-ld"])["json-ld"]
    reviews = [r for block in found for r in (block if isinstance(block, list) else [block])
               if r.get("@type") == "ClaimReview"]
    assert len(reviews) == len(ANNOTATIONS[document])
    labels = {"Documented", "Disputed", "Uncorroborated"}
    meta = yaml.safe_load(html and (REPO / "content" / document).read_text(encoding="utf-8").split("---")[1])
    for review in reviews:
        # Google's required properties
        assert review["url"].startswith(page_url + "#fm-")
        assert f'id="{review["url"].split("#")[1]}"' in html
        assert 0 < len(review["claimReviewed"]) <= 75
        assert not any(label.lower() in review["claimReviewed"].lower() for label in labels)
        assert review["reviewRating"]["@type"] == "Rating"
        assert review["reviewRating"]["alternateName"] in labels
        # recommended
        assert review["author"]["@type"] == "Organization" and review["author"]["name"]
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim"
        assert claim["author"]["name"] == meta["author"]
        assert claim["datePublished"] == meta["date"]
        if "appearance" in meta:
            assert claim["appearance"]["url"] == meta["appearance"]


# --- Atom feed, canonical and Open Graph tags ----------------------------------------------------


def test_feed_parses_with_one_entry_per_annotation_newest_first(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert len(feed.entries) == min(TOTAL, export.FEED_ENTRIES)
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    reviewed = {a["reviewed"] for anns in ANNOTATIONS.values() for a in anns}
    assert {u[:10] for u in updated} <= reviewed
    assert all(e.link.startswith(SITE_URL) and "#fm-" in e.link for e in feed.entries)


@pytest.mark.parametrize("page", content_pages())
def test_canonical_and_open_graph(site: Path, page: str) -> None:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}{page}">' in html
    assert f'<meta property="og:url" content="{SITE_URL}{page}">' in html
    assert '<meta property="og:title" content="' in html


def test_feed_keeps_only_the_newest_entries() -> None:
    entries = [{"id": f"https://x.org/p/#fm-a{i}", "updated": f"2025-01-01T00:00:{i % 60:02d}Z", "title": f"t{i}",
                "summary": "s", "status": "documented", "label": "Documented"} for i in range(export.FEED_ENTRIES + 30)]
    feed = feedparser.parse(export.atom_feed("x", "https://x.org/", "https://x.org/feed.xml", entries))
    newest = sorted(entries, key=lambda e: (e["updated"], e["id"]), reverse=True)[:export.FEED_ENTRIES]
    assert [e.id for e in feed.entries] == [e["id"] for e in newest]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_each_text_collection_lies_beside_its_page(tmp_path: Path, directory_urls: bool) -> None:
    """With file URLs (``news/x.html``) the text's collection cannot be a folder of that name; a text at the
    site's root keeps its own collection apart from the site's."""
    project = Site(tmp_path / "project")
    project.write("mkdocs.yml", MKDOCS_YML.replace("site_name: test\n", "site_name: test\nsite_url: https://e.example/\n"
                                                   f"use_directory_urls: {str(directory_urls).lower()}\n"))
    project.doc("The budget grew in 2024.\n", name="news/x.md")
    project.doc("The home page grew too.\n", name="index.md")
    project.write("annotations/x.yaml", annotations_file(annotation("budget grew"), document="news/x.md"))
    project.write("annotations/home.yaml", annotations_file(annotation("page grew"), document="index.md"))
    out = tmp_path / "out"
    assert cli.main(["-f", str(project.root / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    text = "news/x/annotations.jsonld" if directory_urls else "news/x.annotations.jsonld"
    expected = {"annotations.jsonld": 2, text: 1, "index.annotations.jsonld": 1}
    counts = {str(p.relative_to(out)): load_json(p) for p in out.rglob("*.jsonld")}
    assert {k: v["total"] if k == "annotations.jsonld" else len(v["items"]) for k, v in counts.items()} == expected
    for name in expected:
        assert load_json(out / name)["id"] == f"https://e.example/{name}"
    assert (out / ("news/x/index.html" if directory_urls else "news/x.html")).is_file()
