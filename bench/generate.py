"""Deterministic synthetic sites for the benchmark: N texts x K annotations, seeded.

Texts are assembled from the seed paragraphs in content/ plus one numbered
sentence per annotation, so every quote is unique; annotations cycle through the
three statuses and every fifth overlaps the one before it.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from factmark import roundtrip

REPO = Path(__file__).resolve().parent.parent
STATUSES = ("documented", "disputed", "uncorroborated")


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted((REPO / "content").rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        paragraphs += [p.strip() for p in body.split("\n\n") if len(p.strip()) > 80 and not p.startswith("#")]
    return paragraphs


def _annotation(ident: str, quote: str, status: str) -> dict[str, object]:
    return {"id": ident, "quote": quote, "status": status, "summary": f"Synthetic verdict {ident}.",
            "sources": [{"url": f"https://example.org/source/{ident}", "title": f"Source {ident}",
                         "publisher": "Example Agency", "date": "2025-01-02",
                         "excerpt": f"Passage supporting {ident}."}],
            "reviewed": "2025-12-09"}


def generate(root: Path, documents: int, annotations: int, seed: int = 1) -> Path:
    """Write content/, annotations/, mkdocs.yml (factmark), mkdocs-plain.yml and its theme into ``root``."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    pool = seed_paragraphs()
    (root / "content" / "texts").mkdir(parents=True)
    (root / "annotations").mkdir()
    # the home and claims pages of a real site: a table of every text, a list of every claim
    (root / "content" / "index.md").write_text("---\ntitle: Home\ntemplate: home.html\n---\n\n# Benchmark\n",
                                                encoding="utf-8")
    (root / "content" / "claims.md").write_text("---\ntitle: Claims\ntemplate: claims.html\n---\n\n# Claims\n",
                                                 encoding="utf-8")
    for d in range(documents):
        name = f"text-{d:05d}"
        paragraphs = []
        entries = []
        previous = ""
        figures = rng.sample(range(1000, 9999), annotations)  # distinct, so every quote is unique
        for k in range(annotations):
            figure = f"figure {figures[k]} for region {k % 7}"
            sentence = f"Claim {d}-{k} states {figure}."
            paragraphs.append(f"{rng.choice(pool)} {sentence}" if k % 4 == 0 else sentence)
            # every fifth annotation overlaps the one before it, on the previous sentence's "figure ..."
            quote = previous if k % 5 == 0 and previous else f"Claim {d}-{k} states figure"
            entries.append(_annotation(f"a{k}", quote, STATUSES[k % 3]))
            previous = figure
        body = "\n\n".join(" ".join(paragraphs[i:i + 3]) for i in range(0, len(paragraphs), 3))
        front = (f'---\ntitle: "Synthetic text {d}"\nkind: news article\nauthor: Bench\ndate: "2025-12-08"\n'
                 f"language: en\nprovenance:\n  - text: Generated for the benchmark.\n---\n\n")
        (root / "content" / "texts" / f"{name}.md").write_text(front + f"# Synthetic text {d}\n\n{body}\n",
                                                                encoding="utf-8")
        # one dump per file (a round trip per file made 3,000 texts take a quarter of an hour to generate)
        text = roundtrip.dump({"document": f"texts/{name}.md", "annotations": entries})
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
