"""The fast paths of factmark.markdown give exactly what markdown-it-py's own functions give."""

from __future__ import annotations

import random
import string

from markdown_it.common.normalize_url import normalizeLink

from factmark.markdown import _PLAIN_URL, _allowed_by_parts, is_allowed_link, normalize_link

HOSTILE = [
    "https://example.org/note/585782", "http://a", "HTTPS://Example.ORG/x", "https://a.b.c/~x_y-z.html",
    "https://" + "a" * 63 + ".org/", "https://" + "a" * 64 + ".org/", "https://" + "a." * 9 + "org",
    "https://exa mple.org/", "https://example.org:80/", "https://u@example.org/", "https://example.org/?q=1",
    "https://example.org/#x", "https://example.org/%41", "https://xn--nxasmq6b.com/", "https://ex_ample.org/",
    "https://münchen.de/", "https://example.org/ä", "https://example.org//x", "https://-.org/", "https://1.2.3.4/",
    "https:///x", "https://.org", "https://example.org.", "http://example.org/a/b/./../c", "mailto:a@b.org",
    "//example.org/", "javascript:alert(1)", "page.md", "#frag", "", " https://example.org/ ", "https://[::1]/",
]


def _generated(n: int) -> list[str]:
    rng = random.Random(16)
    alphabet = string.ascii_letters + string.digits + "-._~/%:@?#[]!$&'()*+,;= ä\\"
    urls = []
    for i in range(n):
        plain = i % 2 == 0  # every other URL close to the fast path's pattern, so both sides of it are tried
        letters = string.ascii_lowercase + string.digits + "-" if plain else string.ascii_letters + string.digits + "-_"
        host = ".".join("".join(rng.choice(letters) for _ in range(rng.randint(1, 66)))
                        for _ in range(rng.randint(1, 10)))
        chars = string.ascii_letters + string.digits + "-._~/" if plain else alphabet
        path = "".join(rng.choice(chars) for _ in range(rng.randint(0, 30)))
        urls.append(f"{rng.choice(['http', 'https', 'HTTP', 'ftp'])}://{host}{rng.choice(['', '/'])}{path}")
    return urls


def test_fast_paths_match_markdown_it_over_many_urls() -> None:
    urls = HOSTILE + _generated(20_000)
    assert sum(bool(_PLAIN_URL.fullmatch(u)) for u in urls) > 1000  # the fast path is really taken
    for url in urls:
        assert normalize_link(url) == normalizeLink(url), url
        for relative in (True, False):
            assert is_allowed_link(url, relative=relative) == _allowed_by_parts(url.strip(), relative), url
