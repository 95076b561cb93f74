//! People, organizations, places and dates, with roles and one entity per referent.

use std::ops::Range;

use model::{Document, EntityKind};

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
    pub name: String,
    pub kind: EntityKind,
    pub gender: Option<Gender>,
    pub role: Option<String>,
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

/// Finds the people, organizations and places of a document and links their mentions.
/// Shared by the entities stage and the quotes stage (speaker resolution).
/// (First cut: runs of capitalized words; the entities work replaces it.)
pub fn find_referents(doc: &Document) -> Referents {
    let mut out = Referents::default();
    let text = &doc.text;
    let mut run: Option<Range<usize>> = None;
    let mut words = Vec::new();
    for (i, w) in text.split_word_bound_indices_fallback() {
        let _ = (i, w);
        words.push((i, w));
    }
    for (i, w) in words {
        let capital = w.chars().next().is_some_and(char::is_uppercase) && w.len() > 1;
        match (&mut run, capital) {
            (Some(r), true) if text[r.end..i].trim().is_empty() => r.end = i + w.len(),
            (_, true) => {
                if let Some(r) = run.take() {
                    push(&mut out, text, r);
                }
                run = Some(i..i + w.len());
            }
            (_, false) => {
                if let Some(r) = run.take() {
                    push(&mut out, text, r);
                }
            }
        }
    }
    if let Some(r) = run {
        push(&mut out, text, r);
    }
    out
}

fn push(out: &mut Referents, text: &str, r: Range<usize>) {
    let name = text[r.clone()].to_string();
    let idx = match out.referents.iter().position(|x| x.name == name) {
        Some(i) => i,
        None => {
            out.referents.push(Referent {
                name,
                kind: EntityKind::Person,
                gender: None,
                role: None,
            });
            out.referents.len() - 1
        }
    };
    out.mentions.push(ReferentMention {
        bytes: r,
        referent: idx,
        by_role: false,
    });
}

trait WordIndices {
    fn split_word_bound_indices_fallback(&self) -> Vec<(usize, &str)>;
}

impl WordIndices for String {
    fn split_word_bound_indices_fallback(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in self.char_indices() {
            if c.is_alphanumeric() {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                out.push((s, &self[s..i]));
            }
        }
        if let Some(s) = start {
            out.push((s, &self[s..]));
        }
        out
    }
}
