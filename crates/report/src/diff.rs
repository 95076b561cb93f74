//! A quote's versions side by side: the words one version has and the first does not.

use similar::{ChangeTag, TextDiff};

use crate::html::escape_into;

/// Below this share of words in common, a word diff is noise: the version is shown as is.
const MIN_SHARED: f32 = 0.5;

/// `version` as HTML, with the words it adds to `first` in `<ins>` and the words it drops
/// from `first` in `<del>`; `first` itself, or a version too different to compare word by
/// word, comes back plain.
pub fn highlight(first: &str, version: &str) -> String {
    let mut out = String::with_capacity(version.len() + 32);
    let diff = TextDiff::from_words(first, version);
    if first == version || diff.ratio() < MIN_SHARED {
        escape_into(&mut out, version);
        return out;
    }
    let mut after_delete = false;
    for change in diff.iter_all_changes() {
        // A replaced word reads `<del>old</del> <ins>new</ins>`, not glued together.
        if after_delete && change.tag() == ChangeTag::Insert {
            out.push(' ');
        }
        after_delete = change.tag() == ChangeTag::Delete;
        let (open, close) = match change.tag() {
            ChangeTag::Equal => ("", ""),
            ChangeTag::Insert => ("<ins>", "</ins>"),
            ChangeTag::Delete => ("<del>", "</del>"),
        };
        let word = change.value();
        if word.trim().is_empty() {
            // Spaces are their own tokens: a dropped one would double the space kept.
            if change.tag() != ChangeTag::Delete {
                out.push_str(word);
            }
            continue;
        }
        // The tag wraps the word, not a space after it, so highlights do not run together.
        let trimmed = word.trim_end();
        out.push_str(open);
        escape_into(&mut out, trimmed);
        out.push_str(close);
        out.push_str(&word[trimmed.len()..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_words_are_marked_and_the_rest_is_plain() {
        let first = "We will rebuild the bridge by spring, the mayor's office said";
        let second = "We will rebuild the old bridge by summer, the mayor's office said";
        assert_eq!(
            highlight(first, second),
            "We will rebuild the <ins>old</ins> bridge by <del>spring,</del> <ins>summer,</ins> \
             the mayor&#39;s office said"
        );
        assert_eq!(
            highlight(first, first),
            "We will rebuild the bridge by spring, the mayor&#39;s office said"
        );
    }

    #[test]
    fn a_version_with_little_in_common_is_shown_plain() {
        assert_eq!(
            highlight("one two three four", "five six <b>"),
            "five six &lt;b&gt;"
        );
    }
}
