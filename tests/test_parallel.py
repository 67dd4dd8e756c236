"""Large projects load in forked workers: the result is the same as loading in one process."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from factmark import project, settings

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402


def summary(p: project.Project) -> dict[str, object]:
    return {
        "findings": [f.format() for f in p.findings],
        "documents": {k: (d.meta, d.text.text, d.has_h1, [(a.annotation.id, a.start, a.end, a.block.start)
                                                           for a in d.anchors]) for k, d in p.documents.items()},
        "candidates": [(path.name, c.annotation.id, c.start, c.end, c.score) for path, c in p.candidates],
        "annotation_paths": {k: v.name for k, v in p.annotation_paths.items()},
    }


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project big enough for two workers, with one of each kind of problem."""
    root = generate(tmp_path_factory.mktemp("parallel") / "site", 2 * project.PARALLEL_FROM + 3, 6)
    ann = root / "annotations"
    text = (ann / "text-00001.yaml").read_text(encoding="utf-8")
    quote = max((a["quote"] for a in yaml.safe_load(text)["annotations"]), key=len)
    words = quote.split()
    words[len(words) // 2] = "elsewhere"  # a quote that moved: FM306 with a candidate
    assert json.dumps(quote, ensure_ascii=False) in text
    (ann / "text-00001.yaml").write_text(text.replace(json.dumps(quote, ensure_ascii=False),
                                                      json.dumps(" ".join(words), ensure_ascii=False)),
                                         encoding="utf-8")
    (ann / "text-00002.yaml").write_text("document: [unclosed\n", encoding="utf-8")  # FM101
    (ann / "zz-second.yaml").write_text((ann / "text-00003.yaml").read_text(encoding="utf-8"),
                                        encoding="utf-8")  # FM210: the same document twice
    page = root / "content" / "texts" / "text-00004.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    return root


def test_workers_give_the_same_project_as_one_process(broken: Path) -> None:
    config = settings.load(broken / "mkdocs.yml")
    one, two = project.Project(config, workers=1), project.Project(config, workers=2)
    one.load()
    two.load()
    codes = {f.code for f in one.findings}
    assert {"FM306", "FM101", "FM210"} <= codes, codes
    assert any(f.path.endswith("text-00004.md") for f in one.findings)  # the broken front matter
    assert not two.documents["texts/text-00000.md"].tokens  # loaded in a worker, which keeps no tokens
    assert one.documents["texts/text-00000.md"].tokens
    assert summary(two) == summary(one)
    for path in ("texts/text-00000.md", "texts/text-00005.md", "index.md"):
        assert two.render_page(path).html == one.render_page(path).html
