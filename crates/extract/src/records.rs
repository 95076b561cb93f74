//! What the extraction stages need to turn findings into records: spans and numbered ids.

use std::ops::Range;

use model::{Document, Span};

/// Spans of byte ranges of `doc.text` (`Document::spans`: its character indexes are built
/// once per text and kept with the document).
pub(crate) fn spans(doc: &Document, ranges: &[Range<usize>]) -> Vec<Span> {
    doc.spans(ranges)
}

/// `prefix` followed by `n` in decimal (`e12`), as `format!` writes it, without the
/// formatting machinery: every record of every document gets one.
pub(crate) fn numbered(prefix: char, n: usize) -> String {
    let mut id = String::with_capacity(8);
    id.push(prefix);
    let mut unit = 1;
    while n / unit >= 10 {
        unit *= 10;
    }
    loop {
        id.push(char::from(b'0' + (n / unit % 10) as u8));
        if unit == 1 {
            return id;
        }
        unit /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_ids_are_formatted_numbers() {
        for n in [0, 1, 9, 10, 99, 100, 12345, usize::MAX] {
            assert_eq!(numbered('e', n), format!("e{n}"));
        }
    }
}
