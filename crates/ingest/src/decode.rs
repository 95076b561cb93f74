//! Bytes → text: UTF-8 (BOM stripped) or, failing that, Windows-1252; line endings to `\n`.

/// A decoded text and, when the bytes were not valid UTF-8, a warning saying so.
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

pub fn decode(bytes: &[u8]) -> Decoded {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
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

fn normalize_newlines(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_string();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
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
}
