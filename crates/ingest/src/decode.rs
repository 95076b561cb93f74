//! Bytes → text: UTF-8 (BOM stripped) or, failing that, Windows-1252; line endings to `\n`.

/// A decoded text and, when the bytes were not valid UTF-8, a warning saying so.
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn decode(bytes: &[u8]) -> Decoded {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let (text, warning) = match std::str::from_utf8(bytes) {
        Ok(s) => (normalize_newlines(s), None),
        Err(e) => {
            // Legacy newsroom exports and Windows tools still write Windows-1252; decoding it
            // as such recovers curly quotes and accents instead of replacement characters.
            let (cow, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (
                normalize_newlines(&cow),
                Some(format!(
                    "not valid UTF-8 (first bad byte at offset {}); decoded as Windows-1252",
                    e.valid_up_to()
                )),
            )
        }
    };
    Decoded { text, warning }
}

/// [`decode`] for bytes the caller owns: valid UTF-8 (the common case) becomes the text
/// without being copied.
pub fn decode_owned(mut bytes: Vec<u8>) -> Decoded {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: normalize_newlines_owned(text),
            warning: None,
        },
        Err(e) => decode(e.as_bytes()),
    }
}

fn normalize_newlines(s: &str) -> String {
    if memchr::memchr(b'\r', s.as_bytes()).is_none() {
        return s.to_string();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// What [`decode`] makes of a text that is already a string (a JSON string's value): BOM
/// stripped, line endings to `\n`, without a copy when there is nothing to change.
pub fn decode_string(mut s: String) -> String {
    if s.starts_with('\u{feff}') {
        s.drain(..'\u{feff}'.len_utf8());
    }
    normalize_newlines_owned(s)
}

fn normalize_newlines_owned(s: String) -> String {
    if memchr::memchr(b'\r', s.as_bytes()).is_none() {
        return s;
    }
    normalize_newlines(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_recovered_with_a_warning() {
        let d = decode(b"He said \x93yes\x94 \x96 caf\xe9\r\n");
        assert_eq!(d.text, "He said “yes” – café\n");
        assert!(d.warning.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn bom_and_line_endings() {
        let d = decode("\u{feff}a\r\nb\rc".as_bytes());
        assert_eq!(d.text, "a\nb\nc");
        assert!(d.warning.is_none());
    }

    #[test]
    fn owned_bytes_decode_alike() {
        let samples: [&[u8]; 5] = [
            "\u{feff}a\r\nb\rc".as_bytes(),
            b"plain\nlines",
            b"He said \x93yes\x94 \x96 caf\xe9\r\n",
            b"\xEF\xBB\xBF\xff",
            b"",
        ];
        for bytes in samples {
            let (a, b) = (decode(bytes), decode_owned(bytes.to_vec()));
            assert_eq!(a.text, b.text);
            assert_eq!(a.warning, b.warning);
        }
        for text in ["\u{feff}x\r\ny", "x\ry", "plain", "\u{feff}"] {
            assert_eq!(
                decode_string(text.to_string()),
                decode(text.as_bytes()).text
            );
        }
    }
}
