//! Web page bytes → text: the byte order mark, else the charset the HTTP header names, else
//! the page's own `<meta charset>` (or `http-equiv` content type) near its start, else UTF-8
//! when the bytes are valid UTF-8, else Windows-1252 (as browsers do for unlabelled pages).

use encoding_rs::Encoding;

use crate::decode::{decode, Decoded};

/// How far into a page `<meta charset>` is looked for: the HTML standard's prescan reads 1024
/// bytes, but pages with long `<head>`s put it later, and it is cheap.
const PRESCAN_BYTES: usize = 8192;

pub fn decode_page(bytes: &[u8], header_charset: Option<&str>) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return with(encoding, &bytes[bom..], "byte order mark");
    }
    if let Some(encoding) = header_charset.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        return with(encoding, bytes, "HTTP header");
    }
    if let Some(encoding) = meta_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
        return with(encoding, bytes, "<meta charset>");
    }
    decode(bytes)
}

fn with(encoding: &'static Encoding, bytes: &[u8], by: &str) -> Decoded {
    // A page labelled UTF-16 is nearly always ASCII-compatible in fact (the label is copied
    // from a template): decode as UTF-8 then, as the HTML standard says.
    let encoding = if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        if by == "byte order mark" {
            encoding
        } else {
            encoding_rs::UTF_8
        }
    } else {
        encoding
    };
    if encoding == encoding_rs::UTF_8 {
        if std::str::from_utf8(bytes).is_err() {
            let mut d = decode(bytes);
            d.warning = d
                .warning
                .map(|w| format!("labelled UTF-8 by the {by} but {w}"));
            return d;
        }
        return decode(bytes);
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let mut d = decode(text.as_bytes());
    if had_errors {
        d.warning = Some(format!(
            "bytes not valid in {} (named by the {by}) were replaced",
            encoding.name()
        ));
    }
    d
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv=Content-Type content="…;
/// charset=…">` names.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&head[at..], b"charset") {
        let i = at + found + b"charset".len();
        at = i;
        // Only inside a <meta …> tag.
        let tag_start = head[..i].iter().rposition(|&b| b == b'<')?;
        if !head[tag_start + 1..]
            .to_ascii_lowercase()
            .starts_with(b"meta")
        {
            continue;
        }
        let rest = &head[i..];
        let rest = trim_start(rest);
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = trim_start(rest);
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b'/') || b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        if let Some(e) = Encoding::for_label(&rest[..end]) {
            return Some(e);
        }
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_names_the_encoding() {
        let page = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title>";
        let d = decode_page(page, None);
        assert!(d.text.contains("Café"), "{}", d.text);
        assert!(d.warning.is_none());
        let page =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">\xe9";
        assert!(decode_page(page, None).text.ends_with('é'));
    }

    #[test]
    fn the_http_header_wins_over_meta_and_the_bom_over_both() {
        let page = b"<meta charset=utf-8>\xe9";
        assert!(decode_page(page, Some("iso-8859-1")).text.ends_with('é'));
        let page = b"\xEF\xBB\xBF<meta charset=iso-8859-1>\xC3\xA9";
        assert!(decode_page(page, Some("windows-1252")).text.ends_with('é'));
    }

    #[test]
    fn unlabelled_pages_fall_back_as_text_files_do() {
        assert_eq!(decode_page("<p>é".as_bytes(), None).text, "<p>é");
        let d = decode_page(b"<p>\xe9", None);
        assert_eq!(d.text, "<p>é");
        assert!(d.warning.is_some());
    }
}
