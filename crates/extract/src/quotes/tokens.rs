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
    let mut out = Vec::new();
    let slice = &text[range.clone()];
    let mut chars = slice.char_indices().peekable();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            last_end = i + c.len_utf8();
        } else if start.is_some()
            && matches!(c, '’' | '\'' | '-' | '.' | '&' | '‑')
            && next.is_some_and(char::is_alphanumeric)
        {
            // joiner inside a word
        } else if let Some(s) = start.take() {
            let mut end = last_end;
            // Keep the final dot of an abbreviation made of initials ("U.S.", "Mr.").
            if c == '.' && is_abbreviation(&slice[s..end]) {
                end += 1;
            }
            out.push(Tok {
                bytes: range.start + s..range.start + end,
            });
        }
    }
    if let Some(s) = start {
        out.push(Tok {
            bytes: range.start + s..range.start + last_end,
        });
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
