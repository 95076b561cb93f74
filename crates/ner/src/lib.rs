//! A learned name tagger: PERSON, ORG and PLACE names in a sentence's tokens.
//!
//! A greedy left-to-right sequence tagger with BIO tags, whose weights an averaged perceptron
//! fits ([`Trainer`]). Features are hashed into a fixed table of `2^bits` rows (one `i16` weight
//! per tag in a row), so a model is a flat array of known size that loads without parsing.
//! Features: the word, its shape, affixes, capitalization, sentence position, the two words and
//! shapes on either side, the previous tags, the run of capitalized words a word sits in (its
//! first and last word, its length, an organization or place suffix word in it), and the
//! caller's list flags (first names, known people, places…) as evidence, never as a gate.
//!
//! Only words in or beside a capitalized word are scored: a name holds a capitalized word, and
//! scoring nothing else keeps the tagger to a few nanoseconds a byte of ordinary text. Tagging
//! is deterministic; so is training (fixed order, fixed seed).

mod features;
mod lists;
mod model;
mod train;

pub use features::Token;
pub use model::{Model, Scratch};
pub use train::{Example, Trainer};

/// The kind of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Person,
    Org,
    Place,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Person, Kind::Org, Kind::Place];

    /// The tag that opens a name of this kind; the next one continues it.
    fn begin(self) -> u8 {
        match self {
            Kind::Person => 1,
            Kind::Org => 3,
            Kind::Place => 5,
        }
    }
}

/// A name found: tokens `start..end` of the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// Tags: 0 = outside, then begin/inside per kind.
pub(crate) const TAGS: usize = 7;
/// Weights a table row holds: the tags, padded to 8 so rows are 16 bytes.
pub(crate) const ROW: usize = 8;

/// The kind of a tag (none for outside).
pub(crate) fn kind_of(tag: u8) -> Option<Kind> {
    match tag {
        1 | 2 => Some(Kind::Person),
        3 | 4 => Some(Kind::Org),
        5 | 6 => Some(Kind::Place),
        _ => None,
    }
}

/// Token tags from name spans (what training reads).
pub fn tags_of(len: usize, spans: &[Span]) -> Vec<u8> {
    let mut tags = vec![0u8; len];
    for s in spans {
        for (k, t) in tags[s.start..s.end].iter_mut().enumerate() {
            *t = s.kind.begin() + u8::from(k > 0);
        }
    }
    tags
}

/// Name spans from token tags; an inside tag that does not continue a name of its kind opens one.
pub fn spans_of(tags: &[u8], out: &mut Vec<Span>) {
    let mut i = 0;
    while i < tags.len() {
        let Some(kind) = kind_of(tags[i]) else {
            i += 1;
            continue;
        };
        let inside = kind.begin() + 1;
        let mut j = i + 1;
        while j < tags.len() && tags[j] == inside {
            j += 1;
        }
        out.push(Span {
            start: i,
            end: j,
            kind,
        });
        i = j;
    }
}

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error("not a name model (bad magic bytes)")]
    Magic,
    #[error("name model truncated: {0} bytes, expected {1}")]
    Size(usize, usize),
    #[error("name model table of 2^{0} rows is out of range")]
    Bits(u32),
}

/// Whether `word` (one word, any case) is a whole place name of the embedded gazetteer
/// (GeoNames cities, countries, states: "york", "tulsa") and no listed first name ("jordan").
pub fn gazetteer_place(word: &str) -> bool {
    let bits = lists::table().get(features::hash_lower(word));
    bits & lists::PLACE != 0 && bits & lists::FIRST == 0
}
