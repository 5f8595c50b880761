"""The repository's own site, built end to end."""

from __future__ import annotations

import json

from support.paths import REPO, SEED


def test_seed_page_is_the_seed_note_unchanged_below_its_front_matter():
    original = (REPO.parent / "shared" / "seed" / "blog_generative_models.md")
    if not original.exists():  # CI keeps shared/ beside the clone; elsewhere compare with git's copy
        original = REPO / "tests" / "fixtures" / "blog_generative_models.md"
    text = SEED.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    body = text.split("\n---\n", 1)[1]
    assert body == original.read_text(encoding="utf-8")


def test_repo_builds_without_warnings(repo_site):
    assert repo_site.warnings == []


def test_papers_json_has_every_seed_entry(repo_site):
    records = json.loads(repo_site.read("papers.json"))
    assert len(records) == 11
    assert sum(r["priority"] == 3 for r in records) == 4
    assert [r["line"] for r in records] == sorted(r["line"] for r in records)
    first = records[0]
    assert first["title"] == "Segment Anything"
    assert first["tags"] == ["Meta AI"]
    assert first["links"] == [{"label": "pdf", "url": "https://arxiv.org/abs/2304.02643"}]
    assert first["url"] == "blog_generative_models/#segment-anything"
    assert first["page"] == "blog_generative_models.md"
    assert first["section"] == "Fundation Models"
    assert len({name for r in records for name in r["authors"]}) == 118
