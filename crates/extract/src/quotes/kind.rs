//! What a quoted span is: speech (a full clause or a phrase inside the writer's sentence) or
//! a name the writer quotes (a title, a term).

use model::QuoteKind;

use super::tokens::is_capitalized;

/// Small words a title keeps lowercase ("State of the Union").
fn is_title_small_word(w: &str) -> bool {
    matches!(
        w,
        "of" | "the"
            | "a"
            | "an"
            | "and"
            | "or"
            | "for"
            | "in"
            | "on"
            | "at"
            | "to"
            | "by"
            | "with"
            | "de"
            | "la"
            | "le"
            | "von"
            | "der"
            | "van"
            | "du"
            | "des"
            | "del"
            | "from"
            | "&"
            | "vs"
            | "vs."
            | "v"
    )
}

/// "State of the Union", "Budapest Memorandum": two or more capitalized words and nothing
/// lowercase but title small words, no sentence stop inside.
pub fn is_title_case(content: &str) -> bool {
    let trimmed = content.trim_end_matches([',', ';', ':', ' ', '.']);
    // The words first: most quotations fail on their second or third word, while the test
    // for a sentence stop reads them whole.
    if !title_words(trimmed) {
        return false;
    }
    // A title is one phrase: no sentence stop inside.
    !trimmed.contains(['.', '!', '?']) || trimmed.contains("...")
}

/// Two or more capitalized words and nothing lowercase but title small words.
fn title_words(trimmed: &str) -> bool {
    let mut capitalized = 0;
    for w in trimmed.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        if is_capitalized(w) {
            capitalized += 1;
        } else if w.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            // "Article 5", "Catch-22"
        } else if !is_title_small_word(w) {
            return false;
        }
    }
    // The first word of a sentence-initial quote is capitalized anyway: need two.
    capitalized >= 2
}

/// What the words right before the opening mark say about the span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// "known as", "titled", "entitled", "nicknamed", "code-named", "the so-called".
    Naming,
    /// "so-called": the writer distances from a word.
    SoCalled,
    Other,
}

pub fn lead(before: &str) -> Lead {
    let before = before.trim_end();
    // Only the last words decide, so lowercase a tail rather than the whole paragraph before
    // the quotation. The tail answers for the whole once at least 16 bytes (more than the
    // longest phrase) are left after stripping; lowercasing keeps every ASCII byte and every
    // space where it was, so the ends compare the same.
    let mut cut = before.len().saturating_sub(64);
    while !before.is_char_boundary(cut) {
        cut += 1;
    }
    let tail = &before[cut..];
    let (lead, rest) = if tail.is_ascii() {
        // At most 64 bytes: lowercased on the stack.
        let mut buf = [0u8; 64];
        let buf = &mut buf[..tail.len()];
        buf.copy_from_slice(tail.as_bytes());
        buf.make_ascii_lowercase();
        read_lead(std::str::from_utf8(buf).expect("ASCII stays UTF-8"))
    } else {
        let mut buf = [0u8; 64];
        match lowercase_keeping_offsets(tail, &mut buf) {
            Some(lower) => read_lead(lower),
            None => read_lead(&tail.to_lowercase()),
        }
    };
    if cut == 0 || rest >= 16 {
        return lead;
    }
    read_lead(&before.to_lowercase()).0
}

/// The lead of a lowercased text, and how many bytes were left after stripping.
/// `tail` (at most 64 bytes) lowercased into `buf`, character by character, when that moves
/// no byte and leaves every non-ASCII character non-ASCII (quote marks, dashes, accented
/// letters): then [`read_lead`], which matches ASCII endings and measures bytes, reads it as
/// it reads `tail.to_lowercase()`. `None` for the rare character that lowercases otherwise.
fn lowercase_keeping_offsets<'b>(tail: &str, buf: &'b mut [u8; 64]) -> Option<&'b str> {
    let mut n = 0;
    for c in tail.chars() {
        if c.is_ascii() {
            *buf.get_mut(n)? = c.to_ascii_lowercase() as u8;
            n += 1;
            continue;
        }
        let mut lower = c.to_lowercase();
        let l = lower.next()?;
        if lower.next().is_some() || l.is_ascii() || l.len_utf8() != c.len_utf8() {
            return None;
        }
        n += l.encode_utf8(buf.get_mut(n..n + c.len_utf8())?).len();
    }
    std::str::from_utf8(&buf[..n]).ok()
}

fn read_lead(b: &str) -> (Lead, usize) {
    let b = b.strip_suffix(" the").unwrap_or(b).trim_end();
    let b = b.strip_suffix(" a").unwrap_or(b).trim_end();
    if b.ends_with("so-called") {
        return (Lead::SoCalled, b.len());
    }
    const NAMING: [&str; 9] = [
        "known as",
        "titled",
        "entitled",
        "nicknamed",
        "code-named",
        "codenamed",
        "dubbed the",
        "billed as",
        "branded as",
    ];
    let lead = if NAMING.iter().any(|n| b.ends_with(n)) {
        Lead::Naming
    } else {
        Lead::Other
    };
    (lead, b.len())
}

/// Facts about one span that decide its kind.
pub struct Shape<'a> {
    pub content: &'a str,
    /// The text of the paragraph before the opening mark.
    pub before: &'a str,
    /// The span continues a quotation (split quote part, next paragraph).
    pub continues: bool,
    pub attributed: bool,
    pub min_full_words: usize,
}

pub fn classify(s: &Shape<'_>) -> QuoteKind {
    if s.continues {
        return QuoteKind::Full;
    }
    let lead = lead(s.before);
    if lead == Lead::SoCalled {
        return QuoteKind::Term;
    }
    if is_title_case(s.content) {
        return QuoteKind::Title;
    }
    if lead == Lead::Naming {
        return QuoteKind::Term;
    }
    let prev = s.before.trim_end().chars().next_back();
    let embedded = prev.is_some_and(|c| c.is_alphanumeric() || matches!(c, '’' | '\'' | '%'));
    let first = s
        .content
        .trim_start_matches(['(', '[', '‘', '\'', '"'])
        .chars()
        .next();
    let capital_start = first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let ellipsis_start = s.content.starts_with('…') || s.content.starts_with("...");
    // Counting stops as soon as the answer is known: quotations run to thousands of words.
    let at_least = |n: usize| s.content.split_whitespace().take(n).count() == n;
    let full = if embedded {
        capital_start && at_least(s.min_full_words)
    } else {
        capital_start
            || ellipsis_start
            || prev.is_none()
            || matches!(prev, Some(',' | ':' | '—' | '–' | '.' | '?' | '!'))
    };
    if full {
        QuoteKind::Full
    } else if !s.attributed && !at_least(5) {
        QuoteKind::Term
    } else {
        QuoteKind::Partial
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leads_read_alike_lowercased_either_way() {
        let mut texts = crate::seed_texts();
        texts.extend(
            [
                "a deal ’s so-called",
                "the plan KNOWN AS the",
                "the \u{212a}nown as the",
                "the İstanbul talks, dubbed the",
                "ΣΟΦΙΑ Σ — billed as",
                "CAFÉ “NICKNAMED a",
            ]
            .map(String::from),
        );
        for text in &texts {
            for (end, _) in text.char_indices().step_by(7) {
                let mut cut = end.saturating_sub(64);
                while !text.is_char_boundary(cut) {
                    cut += 1;
                }
                let tail = &text[cut..end];
                let mut buf = [0u8; 64];
                if let Some(lower) = lowercase_keeping_offsets(tail, &mut buf) {
                    assert_eq!(read_lead(lower), read_lead(&tail.to_lowercase()), "{tail}");
                }
            }
            assert_eq!(lowercase_keeping_offsets("\u{212a}", &mut [0; 64]), None);
        }
    }

    fn kind(before: &str, content: &str, attributed: bool) -> QuoteKind {
        classify(&Shape {
            content,
            before,
            continues: false,
            attributed,
            min_full_words: 4,
        })
    }

    #[test]
    fn titles_terms_and_speech() {
        assert_eq!(
            kind("an appearance on CNN’s ", "State of the Union,", true),
            QuoteKind::Title
        );
        assert_eq!(
            kind("an agreement known as the ", "Budapest Memorandum", false),
            QuoteKind::Title
        );
        assert_eq!(
            kind("leaders from the ", "coalition of the willing", false),
            QuoteKind::Term
        );
        assert_eq!(
            kind("described the encounter as ", "very frank", true),
            QuoteKind::Partial
        );
        assert_eq!(
            kind(
                "",
                "We agreed on much more robust security guarantees,",
                true
            ),
            QuoteKind::Full
        );
        assert_eq!(
            kind(
                "Zelenskyy emphasized, ",
                "Ukraine’s Constitution makes it impossible.",
                true
            ),
            QuoteKind::Full
        );
        assert_eq!(kind("the so-called ", "peace plan", true), QuoteKind::Term);
    }
}
