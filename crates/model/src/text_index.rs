//! Byte offset → character offset conversion.
//!
//! Stages work in byte offsets (what `str` slicing wants); the output contract counts Unicode
//! characters. Counting from the start of the text on every lookup would make a document with
//! many records quadratic, so [`TextIndex`] keeps counts for every eight bytes.

/// Answers "how many characters precede byte `b`?" with two table reads and one word count.
///
/// Every quote, mention and claim of every document asks four times, so the index keeps the
/// continuation bytes (0b10xx_xxxx) before every eighth byte: a total per 64-byte block, plus
/// a byte per eight-byte word for the count within its block (a quarter of the text's size).
#[derive(Debug, Clone, Default)]
pub struct TextIndex {
    /// `blocks[b]`: continuation bytes in `[0, 64 b)`.
    blocks: Vec<usize>,
    /// `words[w]`: continuation bytes in `[64 (w / 8), 8 w)`.
    words: Vec<u8>,
}

impl TextIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let full = bytes.len() / 8;
        let mut blocks = Vec::with_capacity(full / 8 + 2);
        // Zeroed: a block of ASCII (most of news text) needs no writes.
        let mut words = vec![0u8; full + 1];
        let mut total = 0usize;
        let mut whole_blocks = bytes.chunks_exact(64);
        for (b, block) in (&mut whole_blocks).enumerate() {
            blocks.push(total);
            if block.is_ascii() {
                continue;
            }
            let mut in_block = 0u8;
            for (k, word) in block.chunks_exact(8).enumerate() {
                words[8 * b + k] = in_block;
                in_block += continuation_bytes(word) as u8;
            }
            total += usize::from(in_block);
        }
        // The words of the last, partial block, and the one holding the end of the text.
        blocks.push(total);
        let first = 8 * (full / 8);
        let mut in_block = 0u8;
        for (k, word) in whole_blocks.remainder().chunks_exact(8).enumerate() {
            words[first + k] = in_block;
            in_block += continuation_bytes(word) as u8;
        }
        words[full] = in_block;
        TextIndex { blocks, words }
    }

    /// Character offset of byte offset `byte` in `text` (the text this index was built from),
    /// clamped to the text. A byte inside a multi-byte character counts that character as
    /// preceding it.
    // Four calls per record: inlined, the call costs more than the lookup.
    #[inline(always)]
    pub fn char_offset(&self, text: &str, byte: usize) -> usize {
        let bytes = text.as_bytes();
        let pos = byte.min(bytes.len());
        let w = pos / 8;
        let mut continuation = self.blocks[w / 8] + usize::from(self.words[w]);
        let rest = pos % 8;
        if rest > 0 {
            // Only the bytes of its word before `pos`.
            continuation += continuation_bytes(&bytes[8 * w..pos]);
        }
        pos - continuation
    }
}

/// Continuation bytes (0b10xx_xxxx) in `bytes`: the bytes that start no character.
fn continuation_bytes(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 == 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_naive_count_on_mixed_text() {
        let text = "Trump’s “robust” — Zelenskyy ".repeat(40);
        let index = TextIndex::new(&text);
        for (byte, _) in text.char_indices() {
            assert_eq!(index.char_offset(&text, byte), text[..byte].chars().count());
        }
        assert_eq!(index.char_offset(&text, text.len()), text.chars().count());
    }

    #[test]
    fn every_offset_counts_the_characters_starting_before_it() {
        for n in 0..40 {
            let text = "ab€cd’ef🙂gh ascii".repeat(n / 3) + &"x".repeat(n);
            let index = TextIndex::new(&text);
            for pos in 0..=text.len() + 2 {
                // Characters that start before `pos`, whether or not `pos` is a boundary.
                let want = text.char_indices().filter(|&(i, _)| i < pos).count();
                assert_eq!(index.char_offset(&text, pos), want, "{n} {pos}");
            }
        }
    }
}
