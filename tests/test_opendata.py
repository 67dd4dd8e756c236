"""Open data: W3C Web Annotation conformance, ClaimReview, the Atom feed, canonical links."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import extruct
import feedparser
import jsonschema
import pytest
import yaml
from conftest import REPO, shared
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from factmark import export, settings
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


def annotation_files() -> dict[str, list[dict[str, Any]]]:
    out = {}
    for path in sorted((REPO / "annotations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["document"]] = data["annotations"]
    return out


ANNOTATIONS = annotation_files()
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
    return registry, root


def assertions(root: Path, test_file: str) -> list[dict[str, Any]]:
    listed = load_json(root / test_file)["assertions"]
    return [load_json(root / rel) for rel in listed]


class Assertions:
    """Compiled assertion schemas of one .test file, each with its expected result."""

    def __init__(self, registry: Registry, schemas: list[dict[str, Any]]) -> None:
        # draft 4 ignores the siblings of a top-level $ref, `id` included: wrap each so relative $refs have a base
        self.checks = [(s["id"], s["expectedResult"] == "valid",
                        jsonschema.Draft4Validator({"id": BASE + "assertion-" + s["id"], "allOf": [s]},
                                                   registry=registry)) for s in schemas]

    def failed(self, instance: Any) -> list[str]:
        return [name for name, expected, validator in self.checks if validator.is_valid(instance) != expected]


def suite(test_file: str) -> Assertions:
    registry, root = w3c_suite()
    return Assertions(registry, assertions(root, test_file))


def test_every_exported_annotation_passes_the_w3c_musts(site: Path) -> None:
    musts = suite("annotations/annotationMusts.test")
    assert len(musts.checks) == 54
    items = load_json(site / "annotations.jsonld")["first"]["items"]
    assert len(items) == TOTAL
    failures = {item["id"]: musts.failed(item) for item in items}
    assert {k: v for k, v in failures.items() if v} == {}


def test_every_collection_and_page_passes_the_w3c_musts(site: Path) -> None:
    collection_musts = suite("collections/collectionMusts.test")
    page_musts = suite("collections/pages/pageMusts.test")
    assert (len(collection_musts.checks), len(page_musts.checks)) == (10, 15)
    for data in collections(site):
        assert collection_musts.failed(data) == [], data["id"]
        assert page_musts.failed(data) == [], data["id"]  # the page is embedded as `first`


def test_the_suite_rejects_a_broken_annotation() -> None:
    """Guard: the harness must be able to fail (a missing target breaks a MUST)."""
    broken = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://x.example/a", "type": "Annotation"}
    assert "3.1-targetKeyFound.json" in suite("annotations/annotationMusts.test").failed(broken)


def test_collections_cover_every_annotation_once(site: Path) -> None:
    site_wide, *per_document = collections(site)
    assert site_wide["total"] == TOTAL
    assert sorted(i["id"] for c in per_document for i in c["first"]["items"]) == sorted(
        i["id"] for i in site_wide["first"]["items"])


def test_selectors_re_anchor_to_the_same_text(site: Path, project: Project) -> None:
    for data in collections(site)[1:]:
        for item in data["first"]["items"]:
            quote, position = item["target"]["selector"]
            path = item["target"]["source"].removeprefix(SITE_URL) + ".md"
            path = path.replace("/.md", ".md")
            text = project.documents[path].text.text
            exact, prefix, suffix = quote["exact"], quote["prefix"], quote["suffix"]
            hits = [i for i in range(len(text)) if text.startswith(exact, i)
                    and text[:i].endswith(prefix) and text[i + len(exact):].startswith(suffix)]
            assert hits == [position["start"]], item["id"]
            assert text[position["start"]:position["end"]] == exact
            ident = item["id"].split("#fm-")[1]
            assert ident in {a["id"] for a in ANNOTATIONS[path]}


def test_dates_come_from_the_annotation_files(site: Path) -> None:
    reviewed = {f"{a['id']}": a["reviewed"] for anns in ANNOTATIONS.values() for a in anns}
    for item in load_json(site / "annotations.jsonld")["first"]["items"]:
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


@pytest.mark.parametrize("page", ["", "news/venezuelan-regime-leaders-admit/", "method/"])
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
