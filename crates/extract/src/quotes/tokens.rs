//! A small word tokenizer for the windows around a quotation (never the whole text).

use std::ops::Range;

/// A word of the text: letters and digits, with inner apostrophes, hyphens, dots and
/// ampersands ("Trump’s", "high-level", "U.S.", "AT&T").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    pub bytes: Range<usize>,
}

impl Tok {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.bytes.clone()]
    }
}

/// Words of `text[range]`, in order.
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Tok> {
    // About one word per six bytes of news text: reserve once instead of regrowing.
    let mut out = Vec::with_capacity(range.len() / 6 + 2);
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut i = range.start;
    while i < range.end {
        // ASCII (most of any news text) is judged on the byte, a run of letters at a time;
        // other characters are decoded.
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            start.get_or_insert(i);
            i += 1;
            while i < range.end && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            last_end = i;
            continue;
        }
        let (c, len, alnum) = if b < 0x80 {
            (b as char, 1, b.is_ascii_alphanumeric())
        } else {
            let c = text[i..range.end].chars().next().unwrap_or(' ');
            (c, c.len_utf8(), c.is_alphanumeric())
        };
        if alnum {
            start.get_or_insert(i);
            last_end = i + len;
        } else if start.is_some()
            && matches!(c, '’' | '\'' | '-' | '.' | '&' | '‑')
            && text[i + len..range.end]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        {
            // joiner inside a word
        } else if let Some(s) = start.take() {
            let mut end = last_end;
            // Keep the final dot of an abbreviation made of initials ("U.S.", "Mr.").
            if c == '.' && is_abbreviation(&text[s..end]) {
                end += 1;
            }
            out.push(Tok { bytes: s..end });
        }
        i += len;
    }
    if let Some(s) = start {
        out.push(Tok { bytes: s..last_end });
    }
    out
}

fn is_abbreviation(word: &str) -> bool {
    word.contains('.')
        || matches!(
            word,
            "Mr" | "Mrs"
                | "Ms"
                | "Dr"
                | "St"
                | "Sen"
                | "Rep"
                | "Gov"
                | "Gen"
                | "Jr"
                | "Sr"
                | "Lt"
                | "Col"
                | "Sgt"
                | "Capt"
                | "Prof"
                | "Rev"
                | "Adm"
                | "Maj"
                | "Cpl"
                | "Insp"
                | "Det"
        )
}

/// `word` as `str::to_lowercase` gives it, without allocating for the usual ASCII word:
/// borrowed when it has no capital, else lowercased in `scratch`.
pub fn lowercase<'a>(word: &'a str, scratch: &'a mut String) -> &'a str {
    // One pass over the usual word (lowercase ASCII) instead of one for ASCII and one for
    // capitals.
    if !word
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        return word;
    }
    if word.is_ascii() {
        scratch.clear();
        scratch.push_str(word);
        scratch.make_ascii_lowercase();
    } else {
        *scratch = word.to_lowercase();
    }
    scratch
}

pub fn is_capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether the word is a possessive ("Trump’s", "leaders’").
pub fn is_possessive(text: &str, tok: &Tok) -> bool {
    let w = tok.text(text);
    if w.ends_with("’s") || w.ends_with("'s") || w.ends_with("’S") {
        return true;
    }
    text[tok.bytes.end..].starts_with('’') && w.ends_with('s')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_is_str_to_lowercase() {
        let mut scratch = String::new();
        for w in [
            "said",
            "Said",
            "U.S.",
            "café",
            "Café",
            "ÉLYSÉE",
            "",
            "x",
            "İstanbul",
            "AT&T",
        ] {
            assert_eq!(lowercase(w, &mut scratch), w.to_lowercase(), "{w}");
        }
    }

    #[test]
    fn words_keep_inner_joiners_and_initials() {
        let t = "A high-level U.S. envoy, Trump’s man, said: “no.”";
        let words: Vec<&str> = tokenize(t, 0..t.len()).iter().map(|w| w.text(t)).collect();
        assert_eq!(
            words,
            vec![
                "A",
                "high-level",
                "U.S.",
                "envoy",
                "Trump’s",
                "man",
                "said",
                "no"
            ]
        );
    }
}
