//! Sentence splitting shared by every extraction stage.

use std::ops::Range;

/// Sentences of `text` as byte ranges, never crossing a paragraph boundary.
/// (First cut: split after . ! ? followed by space and an uppercase letter; the entities work
/// replaces this with an abbreviation-aware splitter.)
pub fn split_sentences(text: &str, paragraphs: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for p in paragraphs {
        let para = &text[p.clone()];
        let mut start = 0;
        let bytes = para.as_bytes();
        for (i, c) in para.char_indices() {
            if matches!(c, '.' | '!' | '?') {
                let next = i + 1;
                if next + 1 < bytes.len() && bytes[next] == b' ' && bytes[next + 1].is_ascii_uppercase() {
                    out.push(p.start + start..p.start + next);
                    start = next + 1;
                }
            }
        }
        if start < para.len() {
            out.push(p.start + start..p.end);
        }
    }
    out
}

/// Fills `doc.sentences` unless an earlier stage already did.
pub fn ensure_sentences(doc: &mut model::Document) {
    if doc.sentences.is_empty() {
        doc.sentences = split_sentences(&doc.text, &doc.paragraphs);
    }
}
