"""The one table of rules: every diagnostic code, its severity and what to do about it.

`papernotes check` and the build report the same rules (see `checks.report.diagnose`);
`docs/contributing.md` shows this table (`markdown_table()`), and a test fails
when the two disagree or when the code emits a rule the table does not list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: str  # as reported; "warning (info with ...)" where it depends on the page
    what: str
    fix: str


RULES: tuple[Rule, ...] = (
    # files
    Rule("encoding", "error", "the note is not valid UTF-8", "save the file as UTF-8"),
    Rule("binary", "error", "a binary file with a `.md` name", "remove or rename it"),
    Rule("long-line", "error", "a line over 20,000 characters: not hand-written; that line is neither shown nor checked, the rest of the note is",
         "break the line up, or move generated data out of `docs/`"),
    Rule("empty-note", "warning", "the note is empty or has only blank lines", "write the note or delete the file"),
    Rule("unreadable", "error", "the file cannot be read", "fix its permissions"),
    Rule("symlink", "warning", "a symbolic link out of the repository (not read) or to nothing",
         "copy the file in or remove the link"),
    Rule("front-matter", "warning", "front matter is not valid YAML", "fix the YAML between the `---` lines"),
    # entry headings
    Rule("priority-marker", "warning", "more than three `!` in a priority marker", "write `[!]`, `[!!]` or `[!!!]`"),
    Rule("priority-order", "warning", "the priority marker is not first in the heading", "move it before the tags"),
    Rule("empty-tag", "warning", "an empty tag `[]`", "write the tag or delete the brackets"),
    Rule("empty-title", "warning", "an entry heading without a title", "write the paper's title"),
    Rule("duplicate-title", "warning", "the same title twice on one page", "keep one entry"),
    Rule("link-url", "warning", "a resource link without URL or label", "write `[[pdf]](https://...)`"),
    Rule("url-space", "warning", "a URL with a space in it", "encode the space as `%20` or fix the URL"),
    Rule("unsafe-url", "warning", "a URL that is not http(s), mailto or relative", "link to an http(s) address"),
    Rule("bad-url", "warning", "a misspelt scheme or a scheme without host", "write `https://host/...`"),
    Rule("link-label", "warning (info for an unknown label)", "a label that looks like a typo (`[[pfd]]`)",
         "use the label it suggests"),
    Rule("author-line", "warning", "the author line is not closed", "end it with the `_` or `*` it starts with"),
    Rule("topics", "warning", "a topics line with words that are not `#topics`", "write `Tags: #diffusion #video`"),
    # across notes
    Rule("missing-figure", "warning (info with `missing_figures: placeholder`)",
         "a figure file that does not exist", "add the file under `assets/` or fix the path"),
    Rule("broken-link", "warning", "a link to a note, file or `#anchor` that does not exist",
         "fix the link; the message names the closest anchor"),
    Rule("duplicate-paper", "warning", "the same paper (arXiv id, DOI or title) entered twice", "keep one entry"),
    Rule("author-alias", "warning", "two spellings that look like one author",
         "add the line the message gives to `aliases.yml`"),
    Rule("tag-variant", "warning", "a tag written two ways (case, spaces)",
         "write it one way or add the line the message gives to `aliases.yml`"),
    Rule("ambiguous-tag", "info", "a tag that reads two ways (`[Nature 2023 Methods]`: venue Nature with qualifier Methods, "
         "or venue Nature Methods?)", "add the `aliases.yml` line the message gives for the reading you mean"),
    Rule("stale-contents", "info", "a hand-kept contents list that misses sections",
         "nothing on the site (it shows a generated list); update the list for GitHub readers"),
    Rule("aliases", "warning", "`aliases.yml` cannot be read or has a wrong shape", "fix the file as the message says"),
)

BY_CODE = {rule.code: rule for rule in RULES}
LIMIT_PER_RULE = 20  # diagnostics of one rule in one file, then "… and N more"


def markdown_table() -> str:
    """The rule table as it appears in docs/contributing.md."""
    rows = ["| rule | severity | what it means | what to do |", "|---|---|---|---|"]
    rows += [f"| `{r.code}` | {r.severity} | {r.what} | {r.fix} |" for r in RULES]
    return "\n".join(rows) + "\n"
