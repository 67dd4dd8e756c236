"""The check's rules: a stable code, a one-line explanation and a default severity for each.

Codes never change meaning once published; editors search for them and
tooling filters on them. ``factmark rules`` prints this table.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    "FM001": "The file cannot be read as UTF-8 text.",
    "FM002": "The file is larger than the limit for its kind.",
    "FM003": "A text holds a character that cannot be published (unpaired surrogate, control, noncharacter).",
    "FM004": "A file has more problems than the check lists (the first 100 of each file are shown).",
    "FM101": "The YAML is not well formed.",
    "FM102": "A mapping has the same key twice; the second would silently win.",
    "FM103": "YAML aliases (*name) are refused: they hide content and allow expansion bombs.",
    "FM104": "The YAML is nested deeper than any annotation file needs.",
    "FM105": "The file is not in the canonical layout that `fix` writes (keeps rewrites byte-stable).",
    "FM106": "A placeholder (TODO) from `factmark new` is still there.",
    "FM107": "A YAML tag (!name, !!type) is used; values are read untagged, as written.",
    "FM108": "A line ends with a character only some YAML readers break at (lone CR, NEL, U+2028, U+2029).",
    "FM201": "A required key is missing.",
    "FM202": "A key is not part of the format (often a misspelling).",
    "FM203": "A value has the wrong type (a YAML surprise such as an unquoted number).",
    "FM204": "A value does not have the required form (date, id, URL...).",
    "FM205": "A value is empty where text or at least one item is required.",
    "FM206": "A status is not one of the statuses configured in mkdocs.yml.",
    "FM207": "A link is not an http(s) URL.",
    "FM208": "Two annotations in one file share an id.",
    "FM209": "The annotated document does not exist inside content/.",
    "FM210": "Two annotation files annotate the same document.",
    "FM211": "An annotation id would give an HTML id the page already uses (its own sections, filters, headings).",
    "FM212": "The editor schema in .factmark/ no longer says what mkdocs.yml says (its statuses); `factmark schema`.",
    "FM213": "An annotation file's schema modeline names a file that does not exist; `factmark schema` repairs it.",
    "FM220": "A published verdict (on the --base revision) changes its status or summary without a correction.",
    "FM221": "A status change's correction does not name the published verdict as its previous_status.",
    "FM222": "A correction or withdrawal that the --base revision published was changed or removed.",
    "FM223": "A published annotation was removed without a withdrawn: record that tells readers.",
    "FM224": "A withdrawn: record shares its id with an annotation or another record of the file.",
    "FM230": "A verdict's review is older than review_max_age_days (a warning: the page says 'as of').",
    "FM240": "A source's archived snapshot is not in a web archive configured in mkdocs.yml (plugin option archives).",
    "FM241": "A snapshot is on archive.today, refused since English Wikipedia found archived pages altered (2026).",
    "FM242": "A Wayback-style snapshot address lacks a 14-digit timestamp, or it is not the snapshot's date.",
    "FM243": "A Wayback-style snapshot is of another address than the source's url.",
    "FM244": "A usurped source has no archived copy: the page must not link the original, so it would link nothing.",
    "FM260": "A source's language is not a well-formed BCP 47 language tag (es, en, pt-BR).",
    "FM261": "theme.locale names a language factmark's theme has no translations for (it speaks en and es).",
    "FM301": "The quote is not in the text a reader sees.",
    "FM302": "The quote occurs more than once; prefix or suffix must pick one.",
    "FM303": "The prefix or suffix does not sit next to any occurrence of the quote.",
    "FM304": "The quote runs across two blocks (paragraphs, headings, cells).",
    "FM305": "Two annotations highlight the identical span.",
    "FM306": "The quote no longer matches the text; a likely new wording is shown (never applied silently).",
    "FM401": "A content file (in another theme: an annotated text) does not start with a YAML front-matter block.",
    "FM402": "The factmark plugin settings in mkdocs.yml are invalid, or a setting would run code no check has seen.",
    "FM403": "A content file is of a type the site does not publish (only .md and inert media; no HTML, SVG, JS).",
    "FM404": "A content file would replace a theme file, a generated file or another content file in the site.",
    "FM405": "A path is a symbolic link, not a plain file, or a configured folder or file outside the project.",
    "FM406": "A front matter 'template' is not the file name of a template in the theme.",
    "FM407": "A text is too complex to render in bounded time and memory (too many Markdown elements or steps).",
    "FM408": "A text nests block quotes or lists deeper than any text needs (the renderer would drop the rest).",
    "FM409": "The nav of mkdocs.yml leaves out a text, or names a page that does not exist.",
    "FM410": "A link points to no page or file of the site (missing, outside content/, or absolute).",
    "FM411": "A link points to an anchor (#...) that its page does not have.",
    "FM412": "MkDocs refuses a setting of mkdocs.yml (a wrong type, a missing folder, an uninstalled plugin...).",
    "FM413": "MkDocs warns about a setting of mkdocs.yml (an unknown name); the strict build stops on it.",
    "FM420": "A Markdown extension of mkdocs.yml has no equivalent in factmark's renderer (its pages would lose it).",
    "FM421": "pymdownx.superfences custom fences (diagrams...) cannot be drawn on a page factmark renders.",
    "FM430": "`factmark init` would overwrite a file that exists; nothing was written.",
    "FM431": "The theme in mkdocs.yml lacks its mkdocs_theme.yml, or extends a theme that is not installed.",
    "FM432": "`factmark init` could not write the new site (read-only folder, disk full); it left no file.",
    "FM435": "A path given to `factmark check` is not an annotation file or content file of the site.",
    "FM440": "--select/--ignore or the select/ignore option names no rule code or prefix of one (FM3, FM301).",
    "FM441": "--ignore or the ignore option names only rules that guard the build, which cannot be turned off.",
    "FM501": "The output folder (site_dir or -d) is one a build must not replace (the project, content, a link...).",
    "FM502": "The site could not be written or replaced (disk full, read-only); the previous site is unchanged.",
    "FM503": "An annotation file or the editor schema could not be written (disk full, read-only); it is unchanged.",
    "FM504": "The search indexer (Pagefind) failed, or wrote an index of a format factmark does not know; no site.",
    "FM505": "The search indexer (Pagefind, from the pagefind[bin] package) is not installed; no site was built.",
    "FM600": "sources verify: a source's address is unreachable (an HTTP error status, a timeout, no such host).",
    "FM601": "sources verify: the source's page no longer holds the excerpt (after the folding quotes get).",
    "FM602": "sources verify: an archived snapshot is unreachable.",
    "FM603": "sources verify: an archived snapshot does not hold the excerpt.",
    "FM604": "sources verify: the site's robots.txt disallows fetching the address; it was not fetched.",
    "FM605": "sources verify: the run's time limit was reached before the address was fetched.",
    "FM610": "sources archive: the archive could not find or capture a snapshot (it refused, failed or timed out).",
    "FM611": "sources archive: no snapshot exists and Save Page Now needs credentials (FACTMARK_SPN_AUTH).",
}

# The deliberate list of warnings: a warning is printed, but fails `check` and `factmark build` only with
# --strict (and a plain `mkdocs build` only in MkDocs' strict mode). Every other rule is an error, because
# what it finds is wrong on the published site, or the build cannot go on. Each warning says why it is one.
WARNINGS: dict[str, str] = {
    "FM105": "a valid file in another layout publishes exactly the same site; `factmark fix` rewrites it",
    "FM212": "only editors' completion reads .factmark/; the site publishes a schema made from mkdocs.yml itself",
    "FM213": "a modeline only tells an editor where the schema is; the check and the build never read it",
    "FM230": "an old review is still the verdict published; the page says 'as of' its date until it is reviewed",
}

# What --select and --ignore choose among: the rules about what annotation files and texts say (FM1xx-FM3xx).
# The others guard reading, rendering and writing (FM0xx: encoding, size, unpublishable characters, the cap),
# the site's structure and MkDocs' own rules (FM4xx: MkDocs refuses the same whatever the check says; links
# follow mkdocs.yml's validation: levels) and the output folder (FM5xx): they always apply.
SELECTABLE = ("FM1", "FM2", "FM3")


def severity(code: str) -> str:
    """``"warning"`` or ``"error"``: a rule's severity, which --strict alone changes (every warning then fails)."""
    return "warning" if code in WARNINGS else "error"


def selectable(code: str) -> bool:
    """Whether --select and --ignore can turn the rule ``code`` off (:data:`SELECTABLE`)."""
    return code.startswith(SELECTABLE)
