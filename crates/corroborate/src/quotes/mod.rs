//! Quote groups: one group per utterance reported across documents.
//!
//! Quotes are first reduced to distinct normalized texts ("variants", via
//! [`model::normalize::quote_key`]), so a quote reprinted by a hundred outlets costs one
//! variant. Variants of at least `min_words` words are then matched by a prefix-filtered
//! similarity join ([`matching`]); the text clusters are finally split by speaker
//! ([`grouping`]).

mod grouping;
mod matching;

use indexmap::IndexSet;
use rustc_hash::FxBuildHasher;

use crate::strings::Interner;

pub use grouping::{group, Group, Grouped, Misattribution, Speakers};
pub use matching::match_text;

/// What is kept of each speech quote; its id and text wait in the text file, after its
/// document's earlier quotes.
#[derive(Debug, Clone, Copy)]
pub struct QuoteRec {
    pub doc: u32,
    pub variant: u32,
    /// Speaker node (see [`crate::names`]).
    pub speaker: Option<u32>,
    pub partial: bool,
    /// Whether the speaker is named at the quote's cue, not resolved from a pronoun.
    pub named_at_cue: bool,
}

/// Distinct normalized quote texts, as word-id sequences, each stored once and found by its
/// words (an index set). Ids follow first appearance, for variants and words alike
/// (matching breaks ties by them).
#[derive(Debug, Default)]
pub struct Variants {
    set: IndexSet<Box<[u32]>, FxBuildHasher>,
    words: Interner,
    scratch: Vec<u32>,
}

impl Variants {
    pub fn intern(&mut self, key: &str) -> u32 {
        self.scratch.clear();
        for w in key.split(' ').filter(|w| !w.is_empty()) {
            self.scratch.push(self.words.intern(w));
        }
        match self.set.get_index_of(&self.scratch[..]) {
            Some(v) => v as u32,
            None => self.set.insert_full(self.scratch.as_slice().into()).0 as u32,
        }
    }

    /// Once every document is observed: each variant's word ids, and the number of words.
    pub fn into_tokens(self) -> (Vec<Box<[u32]>>, usize) {
        (self.set.into_iter().collect(), self.words.len())
    }
}

/// Grouping thresholds.
#[derive(Debug, Clone)]
pub struct Params {
    pub similarity: f64,
    pub min_words: usize,
    pub attribution_min_words: usize,
    pub max_block: usize,
}

/// How a member's wording relates to its group's representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wording {
    Exact,
    /// Same words; case, punctuation or quote marks differ.
    Normalized,
    /// A contiguous part of the representative's words.
    Truncated,
    /// Words changed, added or dropped.
    Changed,
}

impl Wording {
    pub fn as_str(self) -> &'static str {
        match self {
            Wording::Exact => "exact",
            Wording::Normalized => "normalized",
            Wording::Truncated => "truncated",
            Wording::Changed => "changed",
        }
    }
}

/// Trailing punctuation a quotation carries from its sentence (`guarantees,`).
pub fn trim_text(text: &str) -> &str {
    text.trim().trim_end_matches([',', ';', ':']).trim_end()
}

/// How `member` (with text `member_text`) words what `rep` (with `rep_text`) says.
pub fn wording(
    tokens: &[Box<[u32]>],
    (rep, rep_text): (&QuoteRec, &str),
    (member, member_text): (&QuoteRec, &str),
) -> Wording {
    if trim_text(rep_text) == trim_text(member_text) {
        Wording::Exact
    } else if rep.variant == member.variant {
        Wording::Normalized
    } else {
        let (rt, mt) = (
            &tokens[rep.variant as usize],
            &tokens[member.variant as usize],
        );
        if !mt.is_empty() && mt.len() < rt.len() && rt.windows(mt.len()).any(|w| w == &mt[..]) {
            Wording::Truncated
        } else {
            Wording::Changed
        }
    }
}

/// Disjoint sets over dense ids (path halving; the higher root goes under the lower, as
/// roots only tell sets apart).
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b) as usize] = a.min(b);
        }
    }
}

/// How a member stands to its group's representative, by its [`Wording`]: `same` words,
/// `truncated` (the representative's start or end), `fragment` (a stretch inside it), or a
/// `variant` (words changed, inserted or dropped).
pub fn relation(
    tokens: &[Box<[u32]>],
    rep: &QuoteRec,
    member: &QuoteRec,
    wording: Wording,
) -> &'static str {
    match wording {
        Wording::Exact | Wording::Normalized => "same",
        Wording::Truncated => {
            let (r, m) = (
                &tokens[rep.variant as usize],
                &tokens[member.variant as usize],
            );
            if r.starts_with(m) || r.ends_with(m) {
                "truncated"
            } else {
                "fragment"
            }
        }
        Wording::Changed => "variant",
    }
}
