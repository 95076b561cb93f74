//! Bytes → text: UTF-8 (BOM stripped), UTF-16 with a byte order mark, or, failing those,
//! Windows-1252; line endings to `\n`.

/// A decoded text and, when the bytes were not valid UTF-8, a warning saying so.
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(decoded) = decode_utf16(bytes) {
        return decoded;
    }
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

/// Text that starts with a UTF-16 byte order mark (Windows tools write it: "Unicode" in
/// Notepad's save dialog); unpaired surrogates become U+FFFD, with a warning.
fn decode_utf16(bytes: &[u8]) -> Option<Decoded> {
    let (encoding, bom) = encoding_rs::Encoding::for_bom(bytes)?;
    if encoding == encoding_rs::UTF_8 {
        return None;
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
    let warning = had_errors.then(|| {
        format!(
            "not valid {} (an odd byte count or an unpaired surrogate); bad units replaced",
            encoding.name()
        )
    });
    Some(Decoded {
        text: normalize_newlines(&text),
        warning,
    })
}

/// [`decode`] for bytes the caller owns: valid UTF-8 (the common case) becomes the text
/// without being copied.
pub fn decode_owned(mut bytes: Vec<u8>) -> Decoded {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return decode(&bytes);
    }
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
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let text = "Caf\u{e9} \u{201c}open\u{201d}\r\nagain \u{1F600}";
        let le: Vec<u8> = b"\xFF\xFE"
            .iter()
            .copied()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = b"\xFE\xFF"
            .iter()
            .copied()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le, be] {
            let d = decode(&bytes);
            assert_eq!(d.text, "Café “open”\nagain 😀");
            assert!(d.warning.is_none());
            assert_eq!(decode_owned(bytes).text, d.text);
        }
        let d = decode(b"\xFF\xFEa\x00\x00\xD8b\x00");
        assert_eq!(d.text, "a\u{FFFD}b");
        assert!(d.warning.unwrap().contains("UTF-16LE"));
    }

    #[test]
    fn owned_bytes_decode_alike() {
        let samples: [&[u8]; 7] = [
            b"\xFF\xFEx\x00",
            b"\xFE\xFF\x00x\x00",
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
