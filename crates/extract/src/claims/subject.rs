//! What a quantity is about: the hedge in front of it ("about", "more than") and its subject
//! (the noun phrase after it, or "of X").

use super::vocabulary::{
    irregular_plural, is_period, small_number, stops_phrase, tidy, verbish, QUALIFIERS,
};
use super::{FoundClaim, Quantity, Scanner};
use crate::text::TokenKind;

impl Scanner<'_> {
    pub(super) fn claim(&self, q: Quantity) -> Option<FoundClaim> {
        // The hedge in front: one or more words ending right before the number.
        let mut start = q.first;
        let mut qualifier = None;
        // A hedge's last word is the token right before the number: most hedges end otherwise,
        // and telling so by their last bytes is cheaper than splitting them into words.
        let before = q.first.checked_sub(1).map(|p| self.word(p).as_bytes());
        let ends_before = |qual: &str| {
            let (qual, w) = (qual.as_bytes(), before.unwrap_or_default());
            let Some(cut) = qual.len().checked_sub(w.len()) else {
                return false;
            };
            !w.is_empty()
                && !w.contains(&b' ')
                && qual[cut..].eq_ignore_ascii_case(w)
                && (cut == 0 || qual[cut - 1] == b' ')
        };
        for qual in QUALIFIERS.iter().filter(|qual| ends_before(qual)) {
            let len = qual.split(' ').count();
            if q.first < len {
                continue;
            }
            let from = q.first - len;
            if qual
                .split(' ')
                .enumerate()
                .all(|(k, w)| self.is(from + k, w))
            {
                // "picked up to 0.7%", "went over 50": a verb's particle, not a hedge.
                let verb_before = from > 0 && {
                    let v = self.lower(from - 1);
                    let v = v.as_str();
                    v.ends_with("ed")
                        || matches!(
                            v,
                            "went"
                                | "go"
                                | "goes"
                                | "rose"
                                | "risen"
                                | "grew"
                                | "ran"
                                | "shot"
                                | "come"
                                | "came"
                        )
                };
                if verb_before && qual.split(' ').next() == Some("up") {
                    break;
                }
                qualifier = Some(qual.to_string());
                start = from;
                break;
            }
        }
        let mut end = q.last;
        let mut subject = None;
        let mut k = q.last + 1;
        // "of (the) X": the subject of a share.
        if q.of_subject || q.unit == "fraction" || q.unit == "count" {
            if self.is(k, "of") {
                let mut s = k + 1;
                if self.is(s, "the") || self.is(s, "its") || self.is(s, "their") {
                    s += 1;
                }
                if let Some((e, subj)) = self.noun_phrase(s, q.unit == "count") {
                    end = e;
                    subject = Some(subj);
                }
            } else if q.unit == "count" {
                if let Some((e, subj)) = self.noun_phrase(k, true) {
                    end = e;
                    subject = Some(subj);
                }
            } else if q.unit != "fraction" {
                if let Some((e, subj)) = self.noun_phrase(k, false) {
                    if !is_period(&subj) {
                        end = e;
                        subject = Some(subj);
                    }
                }
            }
        } else {
            // Money: "$1.5 billion in aid", "€20m for reconstruction".
            if self.is(k, "in") || self.is(k, "for") || self.is(k, "of") || self.is(k, "worth") {
                k += 1;
                if self.is(k, "of") {
                    k += 1;
                }
                if self.is(k, "the") {
                    k += 1;
                }
                if let Some((e, subj)) = self.noun_phrase(k, false) {
                    if !is_period(&subj) {
                        end = e;
                        subject = Some(subj);
                    }
                }
            }
        }
        // A bare small count without a noun ("the two met") says too little to report.
        if q.unit == "count" && subject.is_none() {
            return None;
        }
        Some(FoundClaim {
            bytes: self.toks[start].start..self.toks[end].end,
            value: tidy(q.value),
            unit: q.unit,
            subject,
            qualifier,
        })
    }

    /// A short noun phrase from token `k`: a capitalized name ("Donetsk", "NATO members") or
    /// up to four lowercase words. Returns its last token and its subject: the name, or the
    /// head noun (the first plural word for counts, else the last word).
    pub(super) fn noun_phrase(&self, k: usize, count: bool) -> Option<(usize, String)> {
        let n = self.toks.len();
        if k >= n || self.toks[k].kind != TokenKind::Word {
            return None;
        }
        let first_word = self.lower(k);
        if stops_phrase(first_word.as_str())
            || verbish(first_word.as_str())
            || small_number(first_word.as_str()).is_some()
        {
            return None;
        }
        let cap = self.word(k).chars().next().is_some_and(char::is_uppercase);
        let mut e = k;
        let mut words = 1;
        while e + 1 < n && words < 4 {
            let t = self.toks[e + 1];
            if t.kind == TokenKind::Possessive && !cap {
                // "the world's coral reefs": the phrase goes on after the possessive.
                if e + 2 < n && self.toks[e + 2].kind == TokenKind::Word {
                    e += 2;
                    words += 1;
                    continue;
                }
                break;
            }
            if t.kind != TokenKind::Word {
                // "resource-rich": a hyphen inside a word run continues it.
                if self.word(e + 1) == "-"
                    && !t.space_before
                    && e + 2 < n
                    && self.toks[e + 2].kind == TokenKind::Word
                    && !self.toks[e + 2].space_before
                {
                    e += 2;
                    continue;
                }
                break;
            }
            let w = self.lower(e + 1);
            let w = w.as_str();
            if stops_phrase(w) || verbish(w) || (w.len() > 4 && w.ends_with("ed")) {
                break;
            }
            let next_cap = self
                .word(e + 1)
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            if cap && !count && !next_cap {
                break;
            }
            e += 1;
            words += 1;
        }
        if cap && !count {
            return Some((
                e,
                self.text[self.toks[k].start..self.toks[e].end].to_string(),
            ));
        }
        // The head: for counts the first plural noun, else the last word.
        let mut head = e;
        if count {
            for x in k..=e {
                if self.toks[x].kind != TokenKind::Word {
                    continue;
                }
                let w = self.lower(x);
                let w = w.as_str();
                let plural =
                    (w.len() > 3 && w.ends_with('s') && !w.ends_with("ss")) || irregular_plural(w);
                if plural {
                    head = x;
                    break;
                }
            }
        }
        Some((head, self.word(head).to_string()))
    }
}
