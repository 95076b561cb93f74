//! Byte offset → character offset conversion.
//!
//! Stages work in byte offsets (what `str` slicing wants); the output contract counts Unicode
//! characters. Counting from the start of the text on every lookup would make a document with
//! many records quadratic, so we keep a checkpoint every [`STRIDE`] bytes.

const STRIDE: usize = 256;

/// Answers "how many characters precede byte `b`?" in O(STRIDE).
#[derive(Debug, Clone, Default)]
pub struct TextIndex {
    /// `checkpoints[k]` = number of characters starting before byte `k * STRIDE`.
    checkpoints: Vec<usize>,
}

impl TextIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / STRIDE + 1);
        let mut chars = 0usize;
        for chunk in bytes.chunks(STRIDE) {
            checkpoints.push(chars);
            chars += count_chars(chunk);
        }
        checkpoints.push(chars);
        TextIndex { checkpoints }
    }

    /// Character offset of byte offset `byte` in `text` (the text this index was built from).
    /// A byte inside a multi-byte character counts that character as preceding it.
    pub fn char_offset(&self, text: &str, byte: usize) -> usize {
        let byte = byte.min(text.len());
        let block = byte / STRIDE;
        let base = self.checkpoints.get(block).copied().unwrap_or(0);
        base + count_chars(&text.as_bytes()[block * STRIDE..byte])
    }
}

/// Characters in a UTF-8 byte slice: its bytes less its continuation bytes (0b10xx_xxxx),
/// counted eight at a time: spans are located across whole documents. Every character-offset
/// count in the workspace (here and in the extract crate's span finder) goes through it.
pub fn count_chars(bytes: &[u8]) -> usize {
    // Continuation bytes are flagged per byte lane and the lanes added up once per block of
    // up to 255 words (no lane can overflow): `count_ones` on every word costs a dozen
    // instructions where the CPU's popcount is not assumed.
    let mut blocks = bytes.chunks_exact(8 * 255);
    let mut continuation = 0;
    for block in &mut blocks {
        continuation += continuation_bytes(block);
    }
    let rest = blocks.remainder();
    let tail = rest.len() / 8 * 8;
    continuation += continuation_bytes(&rest[..tail]);
    continuation += rest[tail..]
        .iter()
        .filter(|&&b| (0x80..0xc0).contains(&b))
        .count();
    bytes.len() - continuation
}

/// Continuation bytes in `block`: whole words, at most 255 of them.
#[inline]
fn continuation_bytes(block: &[u8]) -> usize {
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    debug_assert!(block.len().is_multiple_of(8) && block.len() <= 8 * 255);
    let mut lanes = 0u64;
    for word in block.chunks_exact(8) {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // Bit 7 set and bit 6 clear (bit 6 shifted onto bit 7 of the same byte).
        lanes += (w & !(w << 1) & HIGHS) >> 7;
    }
    let pairs = (lanes & 0x00ff_00ff_00ff_00ff) + (lanes >> 8 & 0x00ff_00ff_00ff_00ff);
    (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_counted_as_str_counts_them() {
        let text = "Zelensky’s “peace” — 42 €, naïve 中文 🙂 plain ascii text here, and more";
        for start in 0..text.len() {
            for end in start..=text.len() {
                if text.is_char_boundary(start) && text.is_char_boundary(end) {
                    let piece = &text[start..end];
                    assert_eq!(count_chars(piece.as_bytes()), piece.chars().count());
                }
            }
        }
    }

    #[test]
    fn long_runs_are_counted_as_str_counts_them() {
        // Across the 255-word blocks of lane counts: all continuation bytes, and none.
        for unit in ["é", "中", "🙂", "a", "aé中🙂 "] {
            let text = unit.repeat(3000);
            for end in [0, 7, 8, 2039, 2040, 2041, 4096, text.len()] {
                let end = (0..=end.min(text.len()))
                    .rev()
                    .find(|&e| text.is_char_boundary(e))
                    .unwrap();
                assert_eq!(
                    count_chars(&text.as_bytes()[..end]),
                    text[..end].chars().count()
                );
            }
        }
    }

    #[test]
    fn matches_naive_count_on_mixed_text() {
        let text = "Trump’s “robust” — Zelenskyy ".repeat(40);
        let index = TextIndex::new(&text);
        for (byte, _) in text.char_indices() {
            assert_eq!(index.char_offset(&text, byte), text[..byte].chars().count());
        }
        assert_eq!(index.char_offset(&text, text.len()), text.chars().count());
    }
}
