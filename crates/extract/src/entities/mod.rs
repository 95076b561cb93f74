//! People, organizations, places and dates, with roles and one entity per referent.
//!
//! [`find_referents`] is shared with the quotes stage (speaker resolution), so a quote's
//! speaker and the entity table always agree. The [`Entities`] stage turns referents and dates
//! into `doc.entities` / `doc.mentions`.

mod dates;
mod finder;
mod lexicon;
mod normalize;
mod stage;

use std::ops::Range;
use std::sync::Arc;

use model::{Document, EntityKind};

use crate::text::TokenLog;

pub(crate) use dates::{dates_of_sentence, scan_dates, DateScan};
pub use dates::{find_dates, DateMention};
pub use finder::tagger_tokens;
pub use lexicon::{Extras, Lexicon};
pub use normalize::name_key;
pub use stage::{Entities, EntitiesOptions};

/// Grammatical gender as far as the text tells (first names, honorifics); used to resolve
/// "he"/"she" to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// One referent of a document: a person or organization (or place) with its fullest name.
#[derive(Debug, Clone, PartialEq)]
pub struct Referent {
    /// The fullest name the document uses (for a known public figure named only by surname,
    /// the full name from the reference list).
    pub name: String,
    pub kind: EntityKind,
    pub gender: Option<Gender>,
    /// The title or role the document gives the person ("Russian President").
    pub role: Option<String>,
    /// Cross-document key ([`name_key`] of the canonical name).
    pub key: String,
}

/// A mention of a referent: a byte range of `doc.text` and the index into `referents`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferentMention {
    pub bytes: Range<usize>,
    pub referent: usize,
    /// Whether this mention is a role noun phrase ("the Russian President", "the envoy")
    /// rather than a name.
    pub by_role: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Referents {
    pub referents: Vec<Referent>,
    /// In text order.
    pub mentions: Vec<ReferentMention>,
}

impl Referents {
    /// The referent mentioned exactly at `bytes`, if any.
    pub fn at(&self, bytes: Range<usize>) -> Option<&Referent> {
        self.mentions
            .iter()
            .find(|m| m.bytes == bytes)
            .map(|m| &self.referents[m.referent])
    }

    /// Mentions overlapping `bytes`, in text order.
    pub fn within(&self, bytes: Range<usize>) -> impl Iterator<Item = &ReferentMention> {
        let start = self
            .mentions
            .partition_point(|m| m.bytes.end <= bytes.start);
        self.mentions[start..]
            .iter()
            .take_while(move |m| m.bytes.start < bytes.end)
    }
}

/// Finds the people, organizations and places of a document and links their mentions, with
/// the built-in reference lists. Uses `doc.sentences` when filled, else splits `doc.paragraphs`
/// itself (headline-like paragraphs are skipped either way).
/// For callers outside a pipeline; the quotes and entities stages share one run per document
/// through `doc.derived` instead.
pub fn find_referents(doc: &Document) -> Referents {
    finder::find(Lexicon::builtin(), doc)
}

/// [`find_referents`] with a lexicon that includes the user's lists.
pub fn find_referents_with(lexicon: &Lexicon, doc: &Document) -> Referents {
    finder::find(lexicon, doc)
}

/// The finder's answer for one document and one lexicon, kept in `doc.derived` so that the
/// quotes and entities stages run the finder once between them (it is their costliest part).
#[derive(Debug)]
pub(crate) struct Found {
    /// Address of the lexicon used: the entities stage may carry the user's lists, and then
    /// the quotes stage's answer (built-in lists) is not its answer.
    lexicon: usize,
    text_version: u64,
    pub(crate) referents: Referents,
    /// Sentences that may hold a date.
    pub(crate) date_sentences: Vec<Range<usize>>,
    /// The tokens of the sentences, as the finder made them: the claims stage reuses them.
    pub(crate) tokens: TokenLog,
}

/// The referents of `doc` under `lexicon`, from `doc.derived` when an earlier stage found them
/// on the same text with the same lists. Fills `doc.sentences` first.
pub(crate) fn shared_referents(lexicon: &Lexicon, doc: &mut Document) -> Arc<Found> {
    crate::text::ensure_sentences(doc);
    let address = lexicon as *const Lexicon as usize;
    if let Some(found) = doc.derived.get::<Arc<Found>>() {
        if found.lexicon == address && found.text_version == doc.text_version() {
            return Arc::clone(found);
        }
    }
    let (referents, date_sentences, tokens) = finder::find_with_dates(lexicon, doc, true);
    let found = Arc::new(Found {
        lexicon: address,
        text_version: doc.text_version(),
        referents,
        date_sentences,
        tokens: tokens.unwrap_or_default(),
    });
    doc.derived.insert(Arc::clone(&found));
    found
}
