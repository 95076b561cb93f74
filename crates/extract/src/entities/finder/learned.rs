//! The learned name tagger (crate `ner`) inside the finder: the names it finds in a sentence's
//! items join the rule candidates. Where the rules have only a weak guess (an unknown
//! capitalized sequence, an acronym, an organization or place by its shape) the tagger's span
//! and kind win; where they have evidence (lists, first names, titles) their span stays and
//! the tagger's kind is one more piece of evidence.

use std::ops::Range;
use std::sync::OnceLock;

use model::EntityKind;

use super::{Cand, Finder, Hint, Item, Lex, Scratch, ORG_WORDS, PLACE_WORDS};
use crate::entities::Lexicon;
use crate::text::TokenKind;

/// The shipped model (`data/ner/names.model`, built by the `train` crate).
static MODEL_BYTES: &[u8] = include_bytes!("../../../../../data/ner/names.model");

/// The shipped tagger, read on first use.
pub(crate) fn model() -> &'static ner::Model {
    static MODEL: OnceLock<ner::Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        ner::Model::from_static(MODEL_BYTES)
            .expect("data/ner/names.model is a name model (rebuild it: see data/ner/README.md)")
    })
}

/// The tagger's buffers, kept with the finder's other scratch lists.
#[derive(Debug, Default)]
pub(super) struct Tagged {
    scratch: ner::Scratch,
    spans: Vec<ner::Span>,
    margins: Vec<i32>,
    overlapping: Vec<usize>,
}

/// How sure the tagger must be (its margin, see `ner::Model::tag_with_margins`) of a name the
/// rules saw nothing of, or only an unknown capitalized word; a lone capitalized word opening a
/// sentence ("Budget", "Western") needs twice as much. Chosen on GUM train's output (30–60 the
/// best there; margins of the shipped model are mostly in the hundreds).
const MIN_MARGIN: i32 = 50;

/// The words of `text[range]` (one sentence) as the finder's tagger reads them, with the
/// built-in lists: byte ranges and list flags. The trainer reads its sentences through this,
/// so that a model learns on the very words it sees at run time.
pub fn tagger_tokens(text: &str, range: Range<usize>) -> Vec<(Range<usize>, u16)> {
    let mut f = Finder::new(Lexicon::builtin(), text, Scratch::default(), None);
    f.read_items(range);
    f.items
        .iter()
        .map(|it| (it.start..it.end, it.flags))
        .collect()
}

fn entity_kind(kind: ner::Kind) -> EntityKind {
    match kind {
        ner::Kind::Person => EntityKind::Person,
        ner::Kind::Org => EntityKind::Org,
        ner::Kind::Place => EntityKind::Place,
    }
}

/// Whether an organization or place the rules found by its shape ("US National Oceanic and
/// Atmospheric Administration") holds the tagger's shorter name: the rules' span is kept.
fn contains(c: &Cand, bytes: &Range<usize>) -> bool {
    matches!(c.hint, Hint::NewOrg | Hint::NewPlace)
        && c.bytes.start <= bytes.start
        && c.bytes.end >= bytes.end
        && c.bytes.len() > bytes.len()
}

/// A candidate the rules found by shape alone, which the tagger may replace.
fn weak(c: &Cand) -> bool {
    match c.hint {
        Hint::Name => {
            !c.place_ctx
                && c.first.is_none()
                && c.person.is_none()
                && c.surname_of.is_empty()
                && c.role.is_none()
                && !c.honorific
        }
        Hint::Acronym | Hint::NewOrg | Hint::NewPlace => true,
        Hint::Place(_) | Hint::Org(_) => false,
    }
}

impl<'a> Finder<'a> {
    /// Tags the current sentence's items and merges the names into the candidates found
    /// since `first_cand`.
    pub(super) fn learned_names(&mut self, first_cand: usize) {
        if !self.has_unknown_name() {
            return;
        }
        self.tagger_words.clear();
        let text = self.text;
        self.tagger_words
            .extend(self.items.iter().map(|it| ner::Token {
                text: &text[it.start..it.end],
                flags: it.flags,
            }));
        self.tagged.spans.clear();
        self.tagged.margins.clear();
        model().tag_with_margins(
            &self.tagger_words,
            &mut self.tagged.scratch,
            &mut self.tagged.spans,
            &mut self.tagged.margins,
        );
        // Candidates in no tagged span: the tagger saw no name there.
        for c in first_cand..self.cands.len() {
            let bytes = self.cands[c].bytes.clone();
            self.cands[c].untagged = !self.tagged.spans.iter().any(|s| {
                self.items[s.start].start < bytes.end && bytes.start < self.items[s.end - 1].end
            });
        }
        for k in 0..self.tagged.spans.len() {
            let span = self.tagged.spans[k];
            self.merge_learned(first_cand, span, self.tagged.margins[k]);
        }
    }

    /// Whether the sentence holds a capitalized word no list knows or only as a first name
    /// (past its first word), or
    /// two capitalized words side by side ("Bruno Lima": a first name and a listed place): the
    /// tagger's work is the names the lists do not settle. Sentences of lone listed names
    /// ("Trump said", "in Ukraine") are left to the rules: most sentences of a news story, and
    /// a good share of the time.
    fn has_unknown_name(&self) -> bool {
        let items = &self.items;
        let capital = |i: usize| {
            items
                .get(i)
                .is_some_and(|it| it.kind == TokenKind::Word && (it.cap || it.acronym))
        };
        // A lone first name ("Her grandson Liam") is no name to the rules either.
        let unsettled = |it: &Item| {
            it.lex.is_none() || (it.flags & Lex::FIRST != 0 && it.flags & Lex::PERSON == 0)
        };
        (0..items.len()).any(|i| {
            capital(i) && ((unsettled(&items[i]) && i > self.first_word) || capital(i + 1))
        })
    }

    fn merge_learned(&mut self, first_cand: usize, span: ner::Span, margin: i32) {
        let Some(span) = self.trimmed(span) else {
            return;
        };
        let bytes = self.items[span.start].start..self.items[span.end - 1].end;
        let kind = self.kind_by_words(span).unwrap_or(entity_kind(span.kind));
        let mut overlapping = std::mem::take(&mut self.tagged.overlapping);
        overlapping.clear();
        overlapping.extend((first_cand..self.cands.len()).filter(|&c| {
            let cb = &self.cands[c].bytes;
            cb.start < bytes.end && bytes.start < cb.end
        }));
        // A name the rules found by shape gives way to the tagger's; one they found by a list
        // stays, and stays a mention of its own inside a longer name ("Lagos" in "University
        // of Lagos"). Where the rules' name is not inside the tagger's, the rules' span stays
        // and the tagger's kind is one more piece of evidence.
        let inside = |c: &Cand| {
            c.bytes.start >= bytes.start && c.bytes.end <= bytes.end && c.bytes.len() < bytes.len()
        };
        // The rules saw nothing there, or only an unknown capitalized word: the tagger alone
        // decides, if it is sure enough.
        let unsupported = overlapping.iter().all(|&c| {
            let c = &self.cands[c];
            matches!(c.hint, Hint::Name) && weak(c)
        });
        if unsupported && !self.sure_enough(span, margin) {
            self.tagged.overlapping = overlapping;
            return;
        }
        let replace = overlapping.iter().all(|&c| {
            let c = &self.cands[c];
            (weak(c) && !contains(c, &bytes))
                || (inside(c) && c.person.is_none() && c.role.is_none() && !c.honorific)
        });
        if replace {
            // Only this sentence's candidates can go: compacted in place from `first_cand`,
            // in order (a retain over the whole list made a long document quadratic).
            let mut kept = first_cand;
            for c in first_cand..self.cands.len() {
                if !(overlapping.contains(&c) && weak(&self.cands[c])) {
                    self.cands.swap(kept, c);
                    kept += 1;
                }
            }
            self.cands.truncate(kept);
            self.push_learned(span, bytes, kind);
        } else {
            for &c in &overlapping {
                self.cands[c].learned = Some(kind);
            }
        }
        self.tagged.overlapping = overlapping;
    }

    /// The span without a leading article or trailing punctuation; none for what is no name
    /// on its own: a single function or title word ("We", "The", "Budget"), a person in
    /// capitals (datelines: "LONDON").
    fn trimmed(&self, mut span: ner::Span) -> Option<ner::Span> {
        while span.start < span.end && self.items[span.start].det {
            span.start += 1;
        }
        while span.end > span.start && self.items[span.end - 1].kind != TokenKind::Word {
            span.end -= 1;
        }
        if span.start == span.end {
            return None;
        }
        // Names do not end in a title ("U.S. Special Envoy", "UK Prime Minister") nor run
        // across a comma, a quotation mark or a possessive ("NATO’s Article").
        let last = &self.items[span.end - 1];
        let broken = (span.start..span.end).any(|k| {
            let it = &self.items[k];
            matches!(it.kind, TokenKind::Possessive)
                || (it.kind == TokenKind::Punct
                    && !matches!(&self.text[it.start..it.end], "." | "-" | "&"))
        });
        if broken || (last.flags & Lex::ROLE != 0 && last.flags & (Lex::PERSON | Lex::SURNAME) == 0)
        {
            return None;
        }
        // Listed places, demonyms and title words side by side ("U.S. and European",
        // "U.S.-Ukraine") are not one new name: the rules read each of them.
        const LISTED: u16 = Lex::PLACE | Lex::DEMONYM | Lex::MODIFIER | Lex::ROLE;
        let mut words = (span.start..span.end)
            .map(|k| &self.items[k])
            .filter(|it| it.kind == TokenKind::Word && (it.cap || it.acronym));
        let several = words.clone().nth(1).is_some();
        if several && words.all(|it| it.flags & LISTED != 0 && it.flags & Lex::ORG == 0) {
            return None;
        }
        if span.end - span.start == 1 {
            let it = &self.items[span.start];
            const NOT_A_NAME: u16 =
                Lex::STOP | Lex::ROLE | Lex::MODIFIER | Lex::DATE | Lex::HONORIFIC;
            let person_in_capitals = it.acronym && span.kind == ner::Kind::Person;
            if it.flags & NOT_A_NAME != 0 && it.flags & (Lex::PLACE | Lex::ORG | Lex::PERSON) == 0
                || person_in_capitals
            {
                return None;
            }
            if self.dateline(span.start) {
                span.kind = ner::Kind::Place;
            }
        }
        Some(span)
    }

    /// The kind a name's own words say, over the tagger's: a head word ("Durham University",
    /// "Cuban Consulate", "University of Portsmouth", "River Ouse", "Sun Valley") or a team
    /// named after its city ("Pittsburgh Pirates").
    fn kind_by_words(&self, span: ner::Span) -> Option<EntityKind> {
        if span.end - span.start < 2 {
            return None;
        }
        let (first, last) = (self.word(span.start), self.word(span.end - 1));
        let of_follows = matches!(self.items.get(span.start + 1), Some(it)
            if matches!(&self.text[it.start..it.end], "of" | "for"));
        if ORG_WORDS.contains(last) || (ORG_WORDS.contains(first) && of_follows) {
            return Some(EntityKind::Org);
        }
        if PLACE_WORDS.contains(last) || (PLACE_WORDS.contains(first) && of_follows) {
            return Some(EntityKind::Place);
        }
        let plural = last.len() > 3 && last.ends_with('s') && !last.ends_with("ss");
        (plural && ner::gazetteer_place(first) && !ner::gazetteer_place(last))
            .then_some(EntityKind::Org)
    }

    /// Whether the tagger is sure enough of a name the rules saw nothing of.
    fn sure_enough(&self, span: ner::Span, margin: i32) -> bool {
        let lone_opener = span.end - span.start == 1 && span.start == self.first_word;
        margin >= MIN_MARGIN * if lone_opener { 2 } else { 1 }
    }

    /// Whether item `i` opens a wire dateline: a word in capitals first in its sentence, then
    /// a dash or the agency in brackets ("LONDON —", "KYIV (Reuters) —"). A dateline names the
    /// place of the story, whatever the word's shape suggests.
    fn dateline(&self, i: usize) -> bool {
        let it = &self.items[i];
        let letters = self.text[it.start..it.end]
            .chars()
            .filter(|c| c.is_alphabetic());
        let capitals = letters.clone().count() >= 4 && letters.clone().all(char::is_uppercase);
        let next = self.items.get(i + 1).map(|n| &self.text[n.start..n.end]);
        i == self.first_word && capitals && matches!(next, Some("—" | "–" | "--" | "("))
    }

    /// A new candidate for a name only the tagger found (or found better).
    fn push_learned(&mut self, span: ner::Span, bytes: Range<usize>, kind: EntityKind) {
        let (i, j) = (span.start, span.end);
        let hint = match kind {
            EntityKind::Org => Hint::NewOrg,
            EntityKind::Place => Hint::NewPlace,
            _ => Hint::Name,
        };
        let mut cand = self.simple(bytes, hint);
        cand.learned = Some(kind);
        cand.words = (i..j).filter(|&k| self.items[k].cap).count().max(1);
        cand.sentence_initial = self.sentence_initial(i);
        if kind == EntityKind::Person {
            cand.speech = self.speech_context(i, j);
            cand.role = self
                .role_before(i)
                .or_else(|| self.role_reversed(i, j))
                .or_else(|| self.appositive(j));
        }
        self.cands.push(cand);
    }
}
