//! Normalized keys for matching the same words across documents.
//!
//! The quotes stage stores [`quote_key`] on every quote; corroboration (one machine) and the
//! Spark job (a cluster) group by it, so both must compute it from this one function.

/// Case-, punctuation- and quote-style-insensitive form of a quotation: lowercase words
/// separated by single spaces, curly and straight apostrophes unified, number words up to
/// twenty written as digits ("Article Five" = "Article 5").
pub fn quote_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
    {
        let lower = word.replace('’', "'").to_lowercase();
        let lower = lower.trim_matches('\'');
        if lower.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(number_word(lower).unwrap_or(lower));
    }
    out
}

fn number_word(word: &str) -> Option<&'static str> {
    const WORDS: [&str; 21] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen", "twenty",
    ];
    const DIGITS: [&str; 21] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
        "17", "18", "19", "20",
    ];
    WORDS.iter().position(|w| *w == word).map(|i| DIGITS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_punctuation_and_number_words_do_not_matter() {
        assert_eq!(
            quote_key("We were able to win the following concession: That the United States could offer Article Five-like protection,"),
            quote_key("we were able to win the following concession: that the United States could offer Article 5-like protection")
        );
        assert_eq!(quote_key("It’s “done.”"), "it's done");
    }
}
