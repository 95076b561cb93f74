//! The document's word on a name: a name is written the same way all through a document, and
//! one sentence's evidence serves the others ("Dvořák" tagged once is "Dvořák" everywhere).

use std::collections::HashMap;

use model::EntityKind;

use super::resolve::Ref;
use super::{Cand, Finder, Hint};

/// The index of places in [`Votes`].
const PLACE: usize = 2;

/// The kinds a name may have, as an index.
fn kind_index(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Org => 1,
        _ => 2,
    }
}

/// Per kind, how many mentions of the same words got it from a list or a known figure, how
/// many got it at all, and the referent of the first one.
type Votes = [(usize, usize, usize); 3];

/// Whether a mention's kind comes from the lists (a listed place or organization, a known
/// figure) rather than from its shape or the tagger.
fn listed(c: &Cand) -> bool {
    c.person.is_some() || matches!(c.hint, Hint::Place(_) | Hint::Org(_))
}

impl Finder<'_> {
    /// Mentions of the same words are the same kind of name (the kind the lists give them,
    /// else the kind most of them got; a known figure keeps his), and a mention its sentence
    /// gave no evidence for is a name when the same words are one elsewhere in the document.
    pub(super) fn settle_by_document(&self, refs: &[Ref], assigned: &mut [Option<usize>]) {
        let text = self.text;
        let mut by_words: HashMap<&str, Votes> = HashMap::new();
        for (c, r) in self.cands.iter().zip(assigned.iter()) {
            let Some(r) = *r else { continue };
            let votes = by_words
                .entry(&text[c.bytes.clone()])
                .or_insert([(0, 0, usize::MAX); 3]);
            let k = kind_index(refs[r].kind);
            if votes[k].1 == 0 {
                votes[k].2 = r;
            }
            votes[k].0 += usize::from(listed(c));
            votes[k].1 += 1;
        }
        // A place of the gazetteer that some mention reads as a place is one everywhere
        // ("in York" … "York is").
        for (words, votes) in by_words.iter_mut() {
            if votes[PLACE].1 > 0 && ner::gazetteer_place(words) {
                votes[PLACE].0 += 1;
            }
        }
        for (c, a) in self.cands.iter().zip(assigned.iter_mut()) {
            let Some(votes) = by_words.get(&text[c.bytes.clone()]) else {
                continue;
            };
            let Some(top) = majority(votes) else { continue };
            match *a {
                Some(r)
                    if tally(votes, kind_index(refs[r].kind)) < tally(votes, top) && movable(c) =>
                {
                    *a = Some(votes[top].2);
                }
                None => *a = Some(votes[top].2),
                _ => {}
            }
        }
    }
}

/// A kind's votes: those from the lists first, then all.
fn tally(votes: &Votes, k: usize) -> (usize, usize) {
    (votes[k].0, votes[k].1)
}

/// The kind with the most votes (the first of them on a tie).
fn majority(votes: &Votes) -> Option<usize> {
    let top = (0..3).rev().max_by_key(|&k| tally(votes, k))?;
    (votes[top].1 > 0).then_some(top)
}

/// Whether a mention's kind may follow the document's: not a known figure's.
fn movable(c: &Cand) -> bool {
    c.person.is_none()
}
