//! JSONL in UTF-16: a stream that starts with a UTF-16 byte order mark is turned into UTF-8 as
//! it is read, so that it splits into lines (and stays bounded) like any other.

use std::io::{BufRead, Read};

use encoding_rs::{CoderResult, Decoder, Encoding};

/// `reader` as UTF-8: transcoded if it starts with a UTF-16 byte order mark, else as it is.
/// A read error while looking comes back at the first line read, which fails with it.
pub fn utf8_stream(mut reader: Box<dyn BufRead + Send>) -> Box<dyn BufRead + Send> {
    let bom = reader.fill_buf().ok().and_then(Encoding::for_bom);
    let (encoding, bom) = match bom {
        Some((encoding, bom)) if encoding != encoding_rs::UTF_8 => (encoding, bom),
        _ => return reader,
    };
    reader.consume(bom);
    Box::new(Transcoded {
        inner: reader,
        decoder: encoding.new_decoder_without_bom_handling(),
        buf: Vec::new(),
        at: 0,
        done: false,
    })
}

/// Bytes decoded as they are read, a block at a time; malformed units become U+FFFD, which
/// the JSON of the line then carries (or fails on) like any other character.
struct Transcoded {
    inner: Box<dyn BufRead + Send>,
    decoder: Decoder,
    /// Decoded bytes, and how many of them were consumed.
    buf: Vec<u8>,
    at: usize,
    done: bool,
}

/// Room for the decoded bytes of one block (any block: a character is at most 4 bytes).
const BLOCK: usize = 1 << 16;

impl BufRead for Transcoded {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.at == self.buf.len() && !self.done {
            self.buf.resize(BLOCK, 0);
            let input = self.inner.fill_buf()?;
            let last = input.is_empty();
            let (result, read, written, _) =
                self.decoder.decode_to_utf8(input, &mut self.buf, last);
            self.inner.consume(read);
            self.buf.truncate(written);
            self.at = 0;
            self.done = last && result == CoderResult::InputEmpty;
        }
        Ok(&self.buf[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.buf.len());
    }
}

impl Read for Transcoded {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn through(bytes: Vec<u8>, capacity: usize) -> String {
        let inner = BufReader::with_capacity(capacity, std::io::Cursor::new(bytes));
        let mut out = String::new();
        utf8_stream(Box::new(inner))
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn utf16_streams_become_utf8_and_others_pass_through() {
        let text = "{\"id\":\"é\",\"text\":\"“Yes” 😀\"}\n{\"id\":\"b\"}\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for capacity in [2, 3, 7, 8192] {
            assert_eq!(through(le.clone(), capacity), text);
            assert_eq!(through(be.clone(), capacity), text);
            assert_eq!(through(text.as_bytes().to_vec(), capacity), text);
        }
        // A unit cut in half at the end is replaced, not lost silently or an error.
        let mut cut = le.clone();
        cut.push(b'x');
        assert_eq!(through(cut, 64), format!("{text}\u{FFFD}"));
    }
}
