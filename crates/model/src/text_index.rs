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
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let mut continuation = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // Bit 7 set and bit 6 clear (bit 6 shifted onto bit 7 of the same byte).
        continuation += (w & !(w << 1) & HIGHS).count_ones() as usize;
    }
    continuation += words
        .remainder()
        .iter()
        .filter(|&&b| (0x80..0xc0).contains(&b))
        .count();
    bytes.len() - continuation
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
    fn matches_naive_count_on_mixed_text() {
        let text = "Trump’s “robust” — Zelenskyy ".repeat(40);
        let index = TextIndex::new(&text);
        for (byte, _) in text.char_indices() {
            assert_eq!(index.char_offset(&text, byte), text[..byte].chars().count());
        }
        assert_eq!(index.char_offset(&text, text.len()), text.chars().count());
    }
}
