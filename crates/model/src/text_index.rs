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
            chars += count_char_starts(chunk);
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
        base + count_char_starts(&text.as_bytes()[block * STRIDE..byte])
    }
}

fn count_char_starts(bytes: &[u8]) -> usize {
    // UTF-8 continuation bytes are 0b10xx_xxxx; every other byte starts a character.
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
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
}
