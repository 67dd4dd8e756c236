"""The floor: a bare markdown-it-py render of every text to an HTML file, nothing else."""

import sys
from pathlib import Path

from markdown_it import MarkdownIt


def main(root: Path, out: Path) -> None:
    md = MarkdownIt("js-default")
    for path in sorted((root / "content").rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        target = out / path.relative_to(root / "content").with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(md.render(body), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
