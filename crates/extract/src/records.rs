//! What the extraction stages need to turn findings into records: spans, with character
//! offsets counted once per document, and numbered ids.
//!
//! Every quote, mention and claim carries its span in characters of the cleaned text and of
//! the source text. Counting from the start of both texts in each stage made the three stages
//! walk every document six times; instead the first stage that needs spans keeps, in
//! `doc.derived`, how many UTF-8 continuation bytes precede every eighth byte of each text,
//! and a lookup counts within one eight-byte word.

use std::ops::Range;

use model::{Document, Span};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Checkpoints of both texts of one document.
#[derive(Debug)]
struct CharIndex {
    /// Lengths of the texts indexed: a stale index (the text replaced without clearing
    /// `derived`) is rebuilt rather than trusted.
    text_len: usize,
    source_len: usize,
    text: Counts,
    /// `None` when the working text is the source text.
    source: Option<Counts>,
}

/// Continuation bytes before each eight-byte word of a text: the total before its block of
/// eight words, plus the count within the block (a byte each, so a quarter of the text's
/// size in all).
#[derive(Debug)]
struct Counts {
    /// `blocks[b]`: continuation bytes in `[0, 64 b)`.
    blocks: Vec<usize>,
    /// `words[w]`: continuation bytes in `[64 (w / 8), 8 w)`.
    words: Vec<u8>,
}

/// Spans of byte ranges of `doc.text`, as `Document::span` gives them.
pub(crate) fn spans(doc: &mut Document, ranges: &[Range<usize>]) -> Vec<Span> {
    let fresh = doc
        .derived
        .get::<CharIndex>()
        .is_some_and(|ix| ix.text_len == doc.text.len() && ix.source_len == doc.source_text.len());
    if !fresh {
        let index = CharIndex {
            text_len: doc.text.len(),
            source_len: doc.source_text.len(),
            text: Counts::new(doc.text.as_bytes()),
            source: (doc.text != doc.source_text).then(|| Counts::new(doc.source_text.as_bytes())),
        };
        doc.derived.insert(index);
    }
    let doc = &*doc;
    let index = doc
        .derived
        .get::<CharIndex>()
        .expect("the index was stored above");
    let text = doc.text.as_bytes();
    let (source, source_counts) = match &index.source {
        Some(counts) => (doc.source_text.as_bytes(), counts),
        None => (text, &index.text),
    };
    ranges
        .iter()
        .map(|r| {
            let src = doc.source_bytes(r.clone());
            Span {
                start: index.text.char_offset(text, r.start),
                end: index.text.char_offset(text, r.end),
                source_start: source_counts.char_offset(source, src.start),
                source_end: source_counts.char_offset(source, src.end),
                bytes: r.clone(),
            }
        })
        .collect()
}

/// `prefix` followed by `n` in decimal (`e12`), as `format!` writes it, without the
/// formatting machinery: every record of every document gets one.
pub(crate) fn numbered(prefix: char, n: usize) -> String {
    let mut id = String::with_capacity(8);
    id.push(prefix);
    let mut unit = 1;
    while n / unit >= 10 {
        unit *= 10;
    }
    loop {
        id.push(char::from(b'0' + (n / unit % 10) as u8));
        if unit == 1 {
            return id;
        }
        unit /= 10;
    }
}

impl Counts {
    fn new(bytes: &[u8]) -> Counts {
        let full = bytes.len() / 8;
        let mut blocks = Vec::with_capacity(full / 8 + 1);
        // Zeroed: a block of ASCII (most of news text) needs no writes.
        let mut words = vec![0u8; full + 1];
        let mut total = 0usize;
        let mut blocks_iter = bytes.chunks_exact(64);
        for (b, block) in (&mut blocks_iter).enumerate() {
            blocks.push(total);
            let w: [u64; 8] = std::array::from_fn(|k| word_at(block, 8 * k));
            if w.iter().fold(0, |any, x| any | x) & HIGHS == 0 {
                continue;
            }
            let mut in_block = 0u8;
            for (k, x) in w.into_iter().enumerate() {
                words[8 * b + k] = in_block;
                in_block += continuation_bytes(x) as u8;
            }
            total += usize::from(in_block);
        }
        // The words of the last, partial block, and the one holding the end of the text.
        blocks.push(total);
        let first = 8 * (full / 8);
        let mut in_block = 0u8;
        for (k, word) in blocks_iter.remainder().chunks_exact(8).enumerate() {
            words[first + k] = in_block;
            in_block += continuation_bytes(word_at(word, 0)) as u8;
        }
        words[full] = in_block;
        Counts { blocks, words }
    }

    /// Characters starting before byte `pos` of `bytes` (clamped to the text), as
    /// `model::count_chars` of the prefix counts them.
    // Four calls per record: inlined, the call costs more than the lookup.
    #[inline(always)]
    fn char_offset(&self, bytes: &[u8], pos: usize) -> usize {
        let pos = pos.min(bytes.len());
        let w = pos / 8;
        let mut continuation = self.blocks[w / 8] + usize::from(self.words[w]);
        let rest = pos % 8;
        if rest > 0 {
            let word = match bytes.get(8 * w..8 * w + 8) {
                Some(word) => u64::from_le_bytes(word.try_into().expect("eight bytes")),
                None => {
                    let mut padded = [0u8; 8];
                    padded[..bytes.len() - 8 * w].copy_from_slice(&bytes[8 * w..]);
                    u64::from_le_bytes(padded)
                }
            };
            // Only the bytes before `pos`: the low `rest` bytes of the little-endian word.
            continuation += continuation_bytes(word & (u64::MAX >> (8 * (8 - rest))));
        }
        pos - continuation
    }
}

/// The eight bytes of `bytes` from `at`, little-endian.
fn word_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
}

/// Continuation bytes (0b10xx_xxxx) in the eight bytes of `w`: bit 6 of each byte is
/// shifted onto its bit 7, and the lanes are summed by a multiply (the baseline x86-64
/// target has no popcount instruction).
fn continuation_bytes(w: u64) -> usize {
    if w & HIGHS == 0 {
        return 0;
    }
    let lanes = (w & !(w << 1) & HIGHS) >> 7;
    (lanes.wrapping_mul(ONES) >> 56) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::TextBuilder;

    fn check(doc: &mut Document) {
        let len = doc.text.len();
        let mut ranges: Vec<Range<usize>> = (0..=len)
            .filter(|&b| doc.text.is_char_boundary(b))
            .flat_map(|a| [a..len, 0..a, a..(a + 70).min(len)])
            .collect();
        // Past the end too (clamped, as the batch counter clamps).
        ranges.push(len..len + 3);
        let want: Vec<Span> = ranges.iter().map(|r| doc.span(r.clone())).collect();
        assert_eq!(spans(doc, &ranges), want);
        // Again from the stored index.
        assert_eq!(spans(doc, &ranges), want);
    }

    #[test]
    fn spans_equal_document_spans() {
        let text = "“Trump’s” envoy — Zelenskyy met Putin’s aide.\n\nÉlysée said “no”. ".repeat(5)
            + "plain ascii text that runs on for more than one block of bytes, and then some";
        let mut doc = Document::new("d", "d.txt", text);
        check(&mut doc);
    }

    #[test]
    fn spans_of_a_rewritten_text_count_the_source() {
        let source =
            "Head — line\n\nHe said  “yes”.\nâ€™ and ‘more’ text «here» 🙂 end\n".repeat(4);
        let mut doc = Document::new("d", "d.txt", source.clone());
        let mut b = TextBuilder::default();
        let mut at = 0;
        for (i, line) in source.split_inclusive('\n').enumerate() {
            let end = at + line.len();
            if i % 4 == 0 {
                b.replace(at..end, "");
            } else if line.contains("â€™") {
                let m = at + line.find('â').unwrap();
                b.copy(&source, at..m);
                b.replace(m..m + "â€™".len(), "’");
                b.copy(&source, m + "â€™".len()..end);
            } else {
                b.copy(&source, at..end);
                b.insert("\n");
            }
            at = end;
        }
        let (text, map) = b.finish();
        let paragraphs: Vec<Range<usize>> = std::iter::once(0..text.len()).collect();
        doc.set_text(text, map, paragraphs);
        check(&mut doc);
    }

    #[test]
    fn numbered_ids_are_formatted_numbers() {
        for n in [0, 1, 9, 10, 99, 100, 12345, usize::MAX] {
            assert_eq!(numbered('e', n), format!("e{n}"));
        }
    }

    #[test]
    fn offsets_agree_with_the_model_counter() {
        for n in 0..40 {
            let text = "ab€cd’ef🙂gh ascii".repeat(n / 3) + &"x".repeat(n);
            let bytes = text.as_bytes();
            let counts = Counts::new(bytes);
            for pos in 0..=bytes.len() + 2 {
                assert_eq!(
                    counts.char_offset(bytes, pos),
                    model::count_chars(&bytes[..pos.min(bytes.len())]),
                    "{n} {pos}"
                );
            }
        }
    }
}
