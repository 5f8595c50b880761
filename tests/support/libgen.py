"""A seeded generator of paper-note libraries for the scale tests (nothing lost, reproducible builds)."""

from __future__ import annotations

import random

from papernotes.notes.grammar import format_entry

FIRST = ["Alice", "Bo", "Chen", "Dmitri", "Élodie", "Fatima", "Gustavo", "Hana", "Ivan", "Jūlija", "Kenji", "Lena",
         "Mateo", "Nour", "Olu", "Priya", "Qiang", "Rosa", "Søren", "Tariq", "Uma", "Viktor", "Wei", "Ximena", "Yusuf",
         "Zoë", "李", "王", "Łukasz", "José"]
LAST = ["Anders", "Brown", "Cruz", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ito", "Jensen", "Kim", "Lopez",
        "Müller", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Singh", "Tanaka", "Usman", "Volkov", "Wang",
        "Xu", "Yilmaz", "Zhang", "伟", "芳", "Woźniak", "O'Neil"]
VENUES = ["CVPR", "ICCV", "ECCV", "NeurIPS", "ICML", "ICLR", "SIGGRAPH", "arXiv", "TPAMI", "AAAI"]
QUALIFIERS = ["Oral", "spotlight", "Workshop", "Best Paper Award", "- Datasets & Benchmarks"]
ORGS = ["OpenAI", "Google Research", "Meta AI", "DeepMind", "NVIDIA", "MIT", "Stanford", "清华大学", "Adobe", "ByteDance"]
WORDS = ["diffusion", "video", "transformer", "3D", "Gaussian", "splatting", "NeRF", "scalable", "sparse", "latent",
         "control", "editing", "segmentation", "depth", "motion", "生成", "vision", "language", "token", "efficient",
         "self-supervised", "contrastive", "reconstruction", "avatar", "scene"]
TOPICS = ["video", "diffusion", "nerf", "llm", "robotics", "audio", "3d", "editing"]
SECTIONS = ["2D Generation", "3D Generation", "Video", "Foundation Models", "Evaluation", "Robotics"]


def generate(entries: int, notes: int, *, seed: int = 1, author_pool: int | None = None,
             one_off_authors: float = 0.05) -> dict[str, str]:
    """`notes` Markdown files holding `entries` entries in total: file name -> text.

    Authors come from a pool (so most have several papers) plus a share of one-off
    names (so `min_papers` leaves some without a page). Titles are unique per note.
    """
    rng = random.Random(seed)
    pool = author_pool or max(50, entries // 2)
    names = sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}" for i in range(pool)})
    per_note = [entries // notes + (1 if i < entries % notes else 0) for i in range(notes)]
    docs: dict[str, str] = {}
    serial = 0
    for n, count in enumerate(per_note):
        lines = [f"# Note {n}", "", "Some introduction with a [link](https://example.org) and `### not a heading`.", ""]
        sections = rng.sample(SECTIONS, k=min(len(SECTIONS), 1 + count // 150))
        for s, section in enumerate(sections):
            lines += [f"## {section}", ""]
            share = count // len(sections) + (1 if s < count % len(sections) else 0)
            for _ in range(share):
                serial += 1
                tags = []
                if rng.random() < 0.7:
                    venue, form = f"{rng.choice(VENUES)} {rng.randint(2015, 2025)}", rng.random()
                    if form < 0.05:  # two venues in one tag
                        venue += f", {rng.choice(VENUES)} {rng.randint(2015, 2025)}"
                    elif form < 0.1:  # a qualifier
                        venue += f" {rng.choice(QUALIFIERS)}"
                    elif form < 0.13:  # no year (a venue still: the name has one elsewhere)
                        venue = venue.rsplit(" ", 1)[0] + (" workshop" if form < 0.115 else "")
                    tags.append(venue)
                if rng.random() < 0.4:
                    tags.append(rng.choice(ORGS))
                authors = rng.sample(names, k=rng.randint(1, 5))
                if rng.random() < one_off_authors:
                    authors.append(f"Solo Author {serial}")
                if rng.random() < 0.05:
                    authors.append(authors[0])  # the same author twice on one entry counts once
                title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))) + f" {serial}"
                topics = rng.sample(TOPICS, k=rng.randint(0, 2))
                links = [("pdf", f"https://arxiv.org/abs/{serial:05d}")] if rng.random() < 0.8 else []
                priority = rng.choices([0, 1, 2, 3], weights=[70, 15, 10, 5])[0]
                if not (priority or tags or links or authors):
                    authors = [names[0]]
                lines.append(format_entry(priority=priority, tags=tags, title=title, links=links,
                                          authors=authors, topics=topics))
                lines += ["- a note on the paper", "", "#### Details", "", "More text.", ""]
            if rng.random() < 0.5:
                lines += ["### advantages", "", "- not an entry", ""]
        docs[f"note_{n:02d}.md"] = "\n".join(lines)
    return docs
