//! Authors cited in running text: "Porte (2012)", "(Makel & Plucker, 2014)", "Binderman et
//! al., 2005", "see Baron and Beresford 2014;". Their surnames are people whatever the lists
//! and the tagger make of the words ("Santos", "Chin", "Laws").

use model::EntityKind;

use super::{Finder, Hint, ORG_WORDS};
use crate::entities::lexicon::Lex;
use crate::text::TokenKind;

/// Words before a list of surnames that make it a title's words instead ("its Nature,
/// Development and Origin (1922)").
const NOT_BEFORE_AUTHORS: [&str; 9] = ["its", "his", "her", "their", "our", "my", "the", "a", "an"];

impl Finder<'_> {
    /// Finds the cited authors of the current sentence and makes each a person candidate in
    /// place of what was found over the same words since `first_cand`.
    pub(super) fn cited_authors(&mut self, first_cand: usize) {
        let n = self.items.len();
        let mut i = 0;
        while i < n {
            let Some(first_end) = self.surname_at(i).filter(|_| self.authors_may_start(i)) else {
                i += 1;
                continue;
            };
            // A list of surnames: ", ", " & ", " and ", ", & ", ", and ".
            let mut k = first_end;
            while let Some((_, e)) = self.next_surname(k) {
                k = e;
            }
            if self.citation_follows(i, k) {
                let mut name = Some((i, first_end));
                while let Some((a, b)) = name {
                    self.cited_person(first_cand, a, b);
                    name = self.next_surname(b);
                }
            }
            i = k.max(i + 1);
        }
    }

    /// The next surname of a list after a surname ending at item `k`: its items.
    fn next_surname(&self, k: usize) -> Option<(usize, usize)> {
        let mut s = k;
        if self.punct_is(s, ",") {
            s += 1;
        }
        if self.punct_is(s, "&") || self.word_is(s, "and") {
            s += 1;
        }
        if s == k {
            return None;
        }
        self.surname_at(s).map(|e| (s, e))
    }

    /// The end of a surname at item `i`: one capitalized word ("Porte", "Morgan-Short"), no
    /// function, title, place, nationality or organization word.
    fn surname_at(&self, i: usize) -> Option<usize> {
        const NOT_SURNAME: u16 = Lex::STOP
            | Lex::ROLE
            | Lex::ORG
            | Lex::DATE
            | Lex::HONORIFIC
            | Lex::PLACE
            | Lex::DEMONYM;
        let it = self.items.get(i)?;
        let fits = it.kind == TokenKind::Word
            && it.cap
            && !it.acronym
            && it.flags & NOT_SURNAME == 0
            && !ORG_WORDS.contains(self.word(i));
        fits.then_some(i + 1)
    }

    /// Whether a list of surnames may start at item `i`: it opens its run of capitalized words
    /// (not "Grammar" in "English Grammar (1909)") and follows no article or possessive.
    fn authors_may_start(&self, i: usize) -> bool {
        let Some(before) = i.checked_sub(1).map(|b| &self.items[b]) else {
            return true;
        };
        let word = &self.text[before.start..before.end];
        !(before.kind == TokenKind::Word && (before.cap || NOT_BEFORE_AUTHORS.contains(&word)))
    }

    /// Whether the names from item `start` to `end` are a citation: "et al." after them, a
    /// year in brackets after them, or a year after them inside brackets or a list of
    /// citations ("(Porte, 2012)", "; Brieber 2014;").
    fn citation_follows(&self, start: usize, end: usize) -> bool {
        if self.word_is(end, "et") && self.word_is(end + 1, "al") {
            return true;
        }
        if self.punct_is(end, "(") && self.year_at(end + 1) {
            return true;
        }
        let year = if self.punct_is(end, ",") {
            end + 1
        } else {
            end
        };
        if !self.year_at(year) {
            return false;
        }
        let opened = start > 0 && (self.punct_is(start - 1, "(") || self.punct_is(start - 1, ";"));
        opened || self.punct_is(year + 1, ")") || self.punct_is(year + 1, ";")
    }

    /// A year of publication: four digits from 1500 to 2099.
    fn year_at(&self, i: usize) -> bool {
        self.items.get(i).is_some_and(|it| {
            let w = &self.text[it.start..it.end];
            it.kind == TokenKind::Number
                && w.len() == 4
                && w.parse::<u32>().is_ok_and(|y| (1500..2100).contains(&y))
        })
    }

    fn punct_is(&self, i: usize, p: &str) -> bool {
        self.items
            .get(i)
            .is_some_and(|it| it.kind == TokenKind::Punct && &self.text[it.start..it.end] == p)
    }

    fn word_is(&self, i: usize, w: &str) -> bool {
        self.items
            .get(i)
            .is_some_and(|it| it.kind == TokenKind::Word && &self.text[it.start..it.end] == w)
    }

    /// Items `a..b` as a cited person, in place of the candidates over the same words.
    fn cited_person(&mut self, first_cand: usize, a: usize, b: usize) {
        let bytes = self.items[a].start..self.items[b - 1].end;
        let mut k = 0;
        self.cands.retain(|c| {
            k += 1;
            k - 1 < first_cand || c.bytes.end <= bytes.start || c.bytes.start >= bytes.end
        });
        let mut cand = self.simple(bytes, Hint::Name);
        cand.learned = Some(EntityKind::Person);
        cand.words = b - a;
        self.cands.push(cand);
    }
}
