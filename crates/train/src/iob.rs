//! Corpora in column format with IOB tags (Wikigold: `word TAG`, IOB1; re3d: `word<TAB>TAG`,
//! IOB2; UNER: `id<TAB>word<TAB>TAG…`, IOB2) to sentences with name spans. Types map to ours
//! (PER/Person → PERSON, ORG/Organisation → ORG, LOC/Location → PLACE); the rest are not names.

use ner::Kind;

use crate::gum::Sentence;

/// Which column holds the word and which the tag.
#[derive(Debug, Clone, Copy)]
pub enum Columns {
    /// `word TAG` (Wikigold, re3d).
    WordTag,
    /// `id word TAG …` (UNER).
    IdWordTag,
}

fn kind(tag: &str) -> Option<Kind> {
    match tag {
        "PER" | "Person" => Some(Kind::Person),
        "ORG" | "Organisation" | "Organization" => Some(Kind::Org),
        "LOC" | "Location" => Some(Kind::Place),
        _ => None,
    }
}

/// Reads a file of sentences separated by blank lines (`-DOCSTART-` and `#` lines skipped).
pub fn read(src: &str, columns: Columns) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut words: Vec<(&str, &str)> = Vec::new();
    for line in src.lines().chain(std::iter::once("")) {
        if line.starts_with('#') || line.starts_with("-DOCSTART-") {
            continue;
        }
        let cols: Vec<&str> = line.split(['\t', ' ']).filter(|c| !c.is_empty()).collect();
        let word_tag = match columns {
            Columns::WordTag if cols.len() >= 2 => Some((cols[0], cols[cols.len() - 1])),
            Columns::IdWordTag if cols.len() >= 3 => Some((cols[1], cols[2])),
            _ => None,
        };
        match word_tag {
            Some(wt) => words.push(wt),
            None if !words.is_empty() => {
                out.push(sentence(&words));
                words.clear();
            }
            None => {}
        }
    }
    out
}

/// Joins the words with spaces and reads the spans from the tags (an `I-` after another type
/// or after `O` opens a name, as IOB1 does).
fn sentence(words: &[(&str, &str)]) -> Sentence {
    let mut text = String::new();
    let mut names: Vec<(usize, usize, Kind)> = Vec::new();
    let mut current: Option<(usize, usize, Kind, &str)> = None;
    for &(word, tag) in words {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(word);
        let (prefix, ty) = tag.split_once('-').unwrap_or((tag, ""));
        let continues = prefix == "I" && current.is_some_and(|c| c.3 == ty);
        if continues {
            if let Some(c) = current.as_mut() {
                c.1 = text.len();
            }
            continue;
        }
        if let Some((a, b, k, _)) = current.take() {
            names.push((a, b, k));
        }
        if let Some(k) = kind(ty).filter(|_| prefix == "B" || prefix == "I") {
            current = Some((start, text.len(), k, ty));
        }
    }
    if let Some((a, b, k, _)) = current {
        names.push((a, b, k));
    }
    Sentence { text, names }
}
