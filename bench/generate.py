"""Deterministic synthetic sites for the benchmark, shaped like real ones: N texts x K annotations, seeded.

Each text has 1,500-4,000 words of varied prose in paragraphs under headings (``prose.py``). Each
annotation quotes 6-30 consecutive words of one paragraph, found exactly once in its text (about one in
eight crosses the quote before it), and carries what real ones carry: a one-sentence summary, a note of
300-800 characters of Markdown, and 2-4 sources with title, publisher, date, kind and a 100-300-character
excerpt, about a third of them in Spanish. Statuses are mixed as on a real site (half documented).
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import prose

REPO = Path(__file__).resolve().parent.parent
STATUSES = ("documented", "disputed", "uncorroborated")
WEIGHTS = (5, 3, 2)
KINDS = ("primary", "news", "other")


def _text(rng: random.Random) -> tuple[list[str], list[str]]:
    """Paragraphs of 1,500-4,000 words, and the body's blocks: the paragraphs with a heading every few."""
    target, words, paragraphs = rng.randint(1500, 4000), 0, []
    while words < target:
        paragraphs.append(prose.paragraph(rng))
        words += len(paragraphs[-1].split())
    blocks = []
    for i, text in enumerate(paragraphs):
        if i and i % 6 == 0:
            blocks.append(f"## {prose.title(rng)} ({i // 6})")
        blocks.append(text)
    return paragraphs, blocks


def _quotes(rng: random.Random, paragraphs: list[str], blocks: list[str], count: int) -> list[str]:
    """``count`` quotes of 6-30 words, each occurring once in the text; some cross the one before.

    The check finds a quote in the text with whitespace folded, across block ends too (it then refuses
    it), so uniqueness is judged on the blocks as a reader sees them (a heading without its ``##``), joined
    by a space."""
    whole = " ".join(block.removeprefix("## ") for block in blocks)
    quotes: list[str] = []
    previous: tuple[int, int, int] | None = None  # paragraph, start word, end word of the last quote
    while len(quotes) < count:
        if previous and rng.random() < 0.125:  # start inside the previous quote and run past it
            p, first, last = previous
            start = rng.randint(first + 1, max(first + 1, last - 1))
        else:
            p, start = rng.randrange(len(paragraphs)), None
        words = paragraphs[p].split()
        length = rng.randint(6, 30)
        start = rng.randrange(max(1, len(words) - length)) if start is None else start
        quote = " ".join(words[start:start + length])
        if len(quote.split()) >= 6 and whole.count(quote) == 1 and quote not in quotes:
            quotes.append(quote)
            previous = (p, start, start + length)
    return quotes


def _source(rng: random.Random, ident: str, n: int) -> dict[str, object]:
    publisher = prose.publisher(rng)
    source: dict[str, object] = {
        "url": f"https://example.org/{publisher.lower().replace(' ', '-').replace('.', '')}/{ident}-{n}",
        "title": prose.title(rng), "publisher": publisher,
        "date": f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "kind": rng.choice(KINDS), "excerpt": prose.excerpt(rng, spanish=rng.random() < 0.33)}
    if rng.random() < 0.15:
        source["via"] = f"https://archive.example.org/copy/{ident}-{n}"
    return source


def _annotation(rng: random.Random, ident: str, quote: str, status: str) -> dict[str, object]:
    return {"id": ident, "quote": quote, "status": status, "summary": prose.sentence(rng), "note": prose.note(rng),
            "sources": [_source(rng, ident, n) for n in range(rng.randint(2, 4))], "reviewed": "2025-12-09"}


def _emit(document: str, entries: list[dict[str, object]]) -> str:
    """The file in the canonical layout, as editors write it (notes as block scalars), without a YAML library:
    ruamel.yaml's dump takes a third of a second per file of this size, a quarter of an hour for 3,000 texts.
    Every other value is a JSON string, which is a valid YAML double-quoted scalar."""
    lines = [f"document: {json.dumps(document)}", "annotations:"]
    for entry in entries:
        for n, (key, value) in enumerate(entry.items()):
            lead = "  - " if n == 0 else "    "
            if key == "note":
                lines += [f"{lead}note: |", *(f"      {line}" if line else "" for line in str(value).split("\n"))]
            elif key == "sources":
                lines.append(f"{lead}sources:")
                for source in value:  # type: ignore[attr-defined]
                    lines += [f"{'      - ' if i == 0 else '        '}{k}: {json.dumps(v, ensure_ascii=False)}"
                              for i, (k, v) in enumerate(source.items())]
            else:
                lines.append(f"{lead}{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def generate(root: Path, documents: int, annotations: int, seed: int = 1) -> Path:
    """Write content/, annotations/, mkdocs.yml (factmark), mkdocs-plain.yml and its theme into ``root``."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    (root / "content" / "texts").mkdir(parents=True)
    (root / "annotations").mkdir()
    # the home and claims pages of a real site: a table of every text, a list of every claim
    (root / "content" / "index.md").write_text("---\ntitle: Home\ntemplate: home.html\n---\n\n# Benchmark\n",
                                                encoding="utf-8")
    (root / "content" / "claims.md").write_text("---\ntitle: Claims\ntemplate: claims.html\n---\n\n# Claims\n",
                                                 encoding="utf-8")
    for d in range(documents):
        name = f"text-{d:05d}"
        paragraphs, blocks = _text(rng)
        entries = [_annotation(rng, f"a{k}", quote, rng.choices(STATUSES, WEIGHTS)[0])
                   for k, quote in enumerate(_quotes(rng, paragraphs, blocks, annotations))]
        body = "\n\n".join(blocks)
        entries[0].update(status="documented", summary="Synthetic verdict a0.")  # what the preview timing edits
        front = (f'---\ntitle: "Synthetic text {d}"\nkind: news article\nauthor: Bench\ndate: "2025-12-08"\n'
                 f"language: en\nprovenance:\n  - text: Generated for the benchmark.\n---\n\n")
        (root / "content" / "texts" / f"{name}.md").write_text(front + f"# Synthetic text {d}\n\n{body}\n",
                                                                encoding="utf-8")
        text = _emit(f"texts/{name}.md", entries)  # no modeline: the generated site has no editor schema
        (root / "annotations" / f"{name}.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")  # a theme outside the project is refused (FM405)
    (root / "mkdocs.yml").write_text(
        "site_name: bench\nsite_url: https://bench.example/\ndocs_dir: content\nuse_directory_urls: true\n"
        "theme:\n  name: null\n  custom_dir: templates\n  static_templates: [404.html, search.html]\n"
        "plugins:\n  - search\n  - factmark\n", encoding="utf-8")
    # plain MkDocs renders those two pages with its default theme's page template
    (root / "plain-theme").mkdir()
    for name in ("home.html", "claims.html"):
        (root / "plain-theme" / name).write_text('{% extends "main.html" %}\n', encoding="utf-8")
    (root / "mkdocs-plain.yml").write_text(
        "site_name: bench\nsite_url: https://bench.example/\ndocs_dir: content\nuse_directory_urls: true\n"
        "theme:\n  name: mkdocs\n  custom_dir: plain-theme\nplugins:\n  - search\n", encoding="utf-8")
    return root
