//! Character-level normalization of one line: mojibake repair, odd spaces, invisible
//! characters, whitespace collapsing, NFC — written through a [`Sink`] so that the same code
//! produces both the plain normalized line (for the rules) and the mapped cleaned text.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Searched for in every line; a prebuilt searcher costs a fraction of `str::contains`.
static DOUBLE_SPACE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("  "));

/// Where normalized output goes. Ranges are byte ranges of the input text.
pub(crate) trait Sink {
    /// Appends `input[range]` unchanged.
    fn copy(&mut self, range: Range<usize>);
    /// Appends `with` standing for `input[range]` (empty `with` drops the range).
    fn replace(&mut self, range: Range<usize>, with: &str);
}

/// Collects normalized text without keeping any map.
pub(crate) struct StringSink<'a> {
    pub input: &'a str,
    pub out: String,
}

impl Sink for StringSink<'_> {
    fn copy(&mut self, range: Range<usize>) {
        self.out.push_str(&self.input[range]);
    }
    fn replace(&mut self, _range: Range<usize>, with: &str) {
        self.out.push_str(with);
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Normalizer {
    pub repair_mojibake: bool,
    pub straighten_quotes: bool,
}

/// What normalization did to a line, for warnings.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Stats {
    pub mojibake: usize,
}

/// Characters that take no space and are dropped (zero-width space, word joiner, BOM,
/// soft hyphen). ZWJ/ZWNJ stay: they carry meaning in emoji and several scripts.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

fn straight(c: char) -> Option<&'static str> {
    match c {
        '‘' | '’' | '‚' | '‛' => Some("'"),
        '“' | '”' | '„' | '‟' => Some("\""),
        _ => None,
    }
}

/// The byte a character stands for when Windows-1252 (or Latin-1) text was decoded from UTF-8
/// bytes; `None` for characters outside that code page.
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if (0x80..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// Decodes one mojibake sequence at the start of `s`: the Windows-1252 rendering of a UTF-8
/// multi-byte character. Returns the character and the bytes of `s` it replaces.
pub(crate) fn decode_mojibake(s: &str) -> Option<(char, usize)> {
    let mut chars = s.char_indices();
    let (_, c0) = chars.next()?;
    let b0 = cp1252_byte(c0)?;
    let need = match b0 {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return None,
    };
    let mut bytes = [b0, 0, 0, 0];
    let mut end = c0.len_utf8();
    for k in 0..need {
        let next = chars.next();
        let byte = next
            .and_then(|(_, c)| cp1252_byte(c))
            .filter(|b| (0x80..=0xBF).contains(b));
        match (byte, next) {
            (Some(b), Some((i, c))) => {
                bytes[k + 1] = b;
                end = i + c.len_utf8();
            }
            _ => {
                // `â€` whose third byte (0x9D, undefined in Windows-1252) was dropped on the
                // way: the closing double quote, by far the most common case.
                if k == 1 && b0 == 0xE2 && bytes[1] == 0x80 {
                    return Some(('”', end));
                }
                return None;
            }
        }
    }
    let decoded = std::str::from_utf8(&bytes[..need + 1])
        .ok()?
        .chars()
        .next()?;
    // Two-byte sequences are the easiest to meet by chance in real text; only accept
    // results in the Latin, Greek and Cyrillic blocks, where real mojibake comes from.
    if need == 1 && !(0xA0..=0x052F).contains(&(decoded as u32)) {
        return None;
    }
    Some((decoded, end))
}

impl Normalizer {
    /// Normalizes `input[range]` (one line, no newline) into `sink`: trimmed, inner whitespace
    /// collapsed to single spaces, invisible characters dropped, mojibake repaired, NFC.
    pub(crate) fn line(
        &self,
        input: &str,
        range: Range<usize>,
        sink: &mut impl Sink,
        stats: &mut Stats,
    ) {
        let s = &input[range.clone()];
        if self.as_is(s) {
            if !s.is_empty() {
                sink.copy(range);
            }
            return;
        }
        let check_nfc = is_nfc_quick(s.chars()) != IsNormalized::Yes;
        let mut run: Option<usize> = None; // start of the verbatim run being collected
        let mut space: Option<Range<usize>> = None; // pending whitespace
        let mut emitted = false;
        let mut i = 0;
        while i < s.len() {
            let c = s[i..].chars().next().unwrap_or(' ');
            let at = range.start + i;
            let len = c.len_utf8();
            if is_space(c) {
                flush(sink, &mut run, at);
                space = Some(space.map_or(at..at + len, |r| r.start..at + len));
                i += len;
                continue;
            }
            if is_invisible(c) || c.is_control() {
                flush(sink, &mut run, at);
                sink.replace(at..at + len, "");
                i += len;
                continue;
            }
            if let Some(sp) = space.take() {
                if emitted {
                    if &input[sp.clone()] == " " {
                        sink.copy(sp);
                    } else {
                        sink.replace(sp, " ");
                    }
                } else {
                    sink.replace(sp, "");
                }
            }
            if check_nfc && run.is_none() && (i == 0 || s[..i].ends_with(is_space)) {
                // Start of a word in a line that is not in NFC: a word that needs composing is
                // rewritten (and mapped) as a whole.
                let word_end = s[i..].find(is_space).map_or(s.len(), |e| i + e);
                let word = &s[i..word_end];
                if is_nfc_quick(word.chars()) != IsNormalized::Yes {
                    let mut inner = StringSink {
                        input,
                        out: String::new(),
                    };
                    let plain = Normalizer { ..*self };
                    plain.word(input, at..range.start + word_end, &mut inner, stats);
                    let composed: String = inner.out.nfc().collect();
                    sink.replace(at..range.start + word_end, &composed);
                    emitted = true;
                    i = word_end;
                    continue;
                }
            }
            emitted = true;
            if self.repair_mojibake && ('\u{C2}'..='\u{F4}').contains(&c) {
                if let Some((fixed, n)) = decode_mojibake(&s[i..]) {
                    flush(sink, &mut run, at);
                    stats.mojibake += 1;
                    let mut buf = [0u8; 4];
                    let out = if is_space(fixed) {
                        " "
                    } else if is_invisible(fixed) {
                        ""
                    } else if let Some(q) = straight(fixed).filter(|_| self.straighten_quotes) {
                        q
                    } else {
                        fixed.encode_utf8(&mut buf)
                    };
                    sink.replace(at..at + n, out);
                    i += n;
                    continue;
                }
            }
            if self.straighten_quotes {
                if let Some(q) = straight(c) {
                    flush(sink, &mut run, at);
                    sink.replace(at..at + len, q);
                    i += len;
                    continue;
                }
            }
            if run.is_none() {
                run = Some(at);
            }
            i += len;
        }
        flush(sink, &mut run, range.end);
        if let Some(sp) = space {
            sink.replace(sp, "");
        }
    }

    /// One word without whitespace, for the NFC path (which composes the result itself).
    fn word(&self, input: &str, range: Range<usize>, sink: &mut impl Sink, stats: &mut Stats) {
        let s = &input[range.clone()];
        let mut i = 0;
        while i < s.len() {
            let c = s[i..].chars().next().unwrap_or(' ');
            let at = range.start + i;
            if is_invisible(c) || c.is_control() {
                i += c.len_utf8();
                continue;
            }
            if self.repair_mojibake {
                if let Some((fixed, n)) = decode_mojibake(&s[i..]) {
                    stats.mojibake += 1;
                    let mut buf = [0u8; 4];
                    sink.replace(at..at + n, fixed.encode_utf8(&mut buf));
                    i += n;
                    continue;
                }
            }
            match straight(c).filter(|_| self.straighten_quotes) {
                Some(q) => sink.replace(at..at + c.len_utf8(), q),
                None => sink.copy(at..at + c.len_utf8()),
            }
            i += c.len_utf8();
        }
    }

    /// The normalized form of one line, borrowed when the line needs no change.
    pub(crate) fn line_string<'a>(&self, input: &'a str, range: Range<usize>) -> Cow<'a, str> {
        let s = &input[range.clone()];
        if self.as_is(s) {
            return Cow::Borrowed(s);
        }
        let mut sink = StringSink {
            input,
            out: String::with_capacity(range.len()),
        };
        self.line(input, range, &mut sink, &mut Stats::default());
        Cow::Owned(sink.out)
    }

    /// Whether a line is already normalized: the common case, checked byte by byte and
    /// character by character only where a byte is not ASCII.
    fn as_is(&self, s: &str) -> bool {
        let b = s.as_bytes();
        if b.first() == Some(&b' ') || b.last() == Some(&b' ') || DOUBLE_SPACE.find(b).is_some() {
            return false;
        }
        let mut i = 0;
        while i < b.len() {
            i += plain_ascii_len(&b[i..]);
            let Some(&x) = b.get(i) else {
                break;
            };
            if x < 0x80 {
                if x < 0x20 || x == 0x7F {
                    return false;
                }
                i += 1;
                continue;
            }
            let c = s[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            // Typographic quotes and dashes, by far the most common non-ASCII characters.
            if ('\u{2010}'..='\u{2027}').contains(&c) {
                if self.straighten_quotes && straight(c).is_some() {
                    return false;
                }
                continue;
            }
            if is_space(c)
                || is_invisible(c)
                || c.is_control()
                || (self.straighten_quotes && straight(c).is_some())
                || (self.repair_mojibake
                    && ('\u{C2}'..='\u{F4}').contains(&c)
                    && decode_mojibake(&s[i - c.len_utf8()..]).is_some())
                || canonical_combining_class(c) != 0
                || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes
            {
                return false;
            }
        }
        true
    }
}

/// Length of the run of printable ASCII (0x20..=0x7E) that starts `b`, within its complete
/// groups of eight bytes: the bytes of a last incomplete group are left to the caller.
fn plain_ascii_len(b: &[u8]) -> usize {
    let whole = b.len() / 8 * 8;
    b[..whole]
        .iter()
        .position(|c| !(0x20..=0x7E).contains(c))
        .unwrap_or(whole)
}

fn flush(sink: &mut impl Sink, run: &mut Option<usize>, end: usize) {
    if let Some(start) = run.take() {
        if start < end {
            sink.copy(start..end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str, straighten: bool) -> String {
        Normalizer {
            repair_mojibake: true,
            straighten_quotes: straighten,
        }
        .line_string(s, 0..s.len())
        .into_owned()
    }

    #[test]
    fn mojibake_is_repaired() {
        assert_eq!(norm("Trumpâ€™s â€œdealâ€\u{9d}", false), "Trump’s “deal”");
        assert_eq!(norm("â€œdealâ€ said", false), "“deal” said");
        assert_eq!(
            norm("cafÃ© au lait â€” naÃ¯ve", false),
            "café au lait — naïve"
        );
        assert_eq!(norm("ÐœÐ¾Ñ\u{81}ÐºÐ²Ð°", false), "Москва");
    }

    #[test]
    fn real_accented_text_is_left_alone() {
        for s in [
            "Müller à Paris",
            "Straße, Grüße”",
            "Ångström ©2025",
            "São Paulo",
        ] {
            assert_eq!(norm(s, false), s);
        }
    }

    #[test]
    fn spaces_and_invisibles() {
        assert_eq!(
            norm("  a\u{00A0}\u{00A0}b\tc\u{200B}d soft\u{00AD}ware  ", false),
            "a b cd software"
        );
        assert_eq!(norm("“It’s”", true), "\"It's\"");
    }

    /// `as_is` one character at a time.
    fn as_is_by_definition(n: &Normalizer, s: &str) -> bool {
        if s.starts_with(' ') || s.ends_with(' ') || s.contains("  ") {
            return false;
        }
        s.char_indices().all(|(i, c)| {
            if c.is_ascii() {
                return c >= ' ' && c != '\u{7f}';
            }
            if ('\u{2010}'..='\u{2027}').contains(&c) {
                return !(n.straighten_quotes && straight(c).is_some());
            }
            !(is_space(c)
                || is_invisible(c)
                || c.is_control()
                || (n.straighten_quotes && straight(c).is_some())
                || (n.repair_mojibake
                    && ('\u{C2}'..='\u{F4}').contains(&c)
                    && decode_mojibake(&s[i..]).is_some())
                || canonical_combining_class(c) != 0
                || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes)
        })
    }

    #[test]
    fn as_is_agrees_with_its_definition() {
        let pieces = [
            "a", " ", "  ", "\t", "\u{1}", "\u{7f}", "’", "“", "é", "\u{a0}", "Ã©", "\u{301}",
            "\u{200b}", "word",
        ];
        let samples = crate::glued(&pieces);
        for n in [
            Normalizer {
                repair_mojibake: true,
                straighten_quotes: false,
            },
            Normalizer {
                repair_mojibake: false,
                straighten_quotes: true,
            },
        ] {
            for s in &samples {
                for pad in 0..10 {
                    let line = format!("{}{s}{}", "x".repeat(pad), " y".repeat(pad % 4));
                    assert_eq!(n.as_is(&line), as_is_by_definition(&n, &line), "{line:?}");
                }
            }
        }
    }

    #[test]
    fn decomposed_text_is_composed() {
        assert_eq!(
            norm("Zelenskyy in Kie\u{0301}v said", false),
            "Zelenskyy in Kiév said"
        );
    }
}
