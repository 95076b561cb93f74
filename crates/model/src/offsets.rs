//! The map from a stage's rewritten text back to the source file.
//!
//! Cleaning drops lines, collapses whitespace and repairs characters, yet every record must
//! still point at the same characters in the original file (`source_start`/`source_end`).
//! The cleaned text is therefore built through a [`TextBuilder`], which records for every run
//! of output where it came from.

use std::ops::Range;

/// One run of output text and the source range it stands for. Runs copied verbatim map
/// position by position; replaced runs map as a whole (a position inside maps to its edges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    text_start: usize,
    text_end: usize,
    source_start: usize,
    source_end: usize,
    verbatim: bool,
}

/// Maps byte offsets of a derived text to byte offsets of the source text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

impl OffsetMap {
    /// The map of a text that is its own source.
    pub fn identity(len: usize) -> Self {
        OffsetMap {
            segments: vec![Segment {
                text_start: 0,
                text_end: len,
                source_start: 0,
                source_end: len,
                verbatim: true,
            }],
        }
    }

    /// Source byte offset for a position used as the *start* of a range.
    pub fn source_start(&self, pos: usize) -> usize {
        // The first segment that ends after `pos` holds it (or begins right at it).
        let i = self.segments.partition_point(|s| s.text_end <= pos);
        match self.segments.get(i) {
            Some(s) if s.verbatim => s.source_start + (pos - s.text_start.min(pos)),
            Some(s) => s.source_start,
            None => self.segments.last().map_or(pos, |s| s.source_end),
        }
    }

    /// Source byte offset for a position used as the (exclusive) *end* of a range.
    pub fn source_end(&self, pos: usize) -> usize {
        // The last segment that starts before `pos` holds it.
        let i = self.segments.partition_point(|s| s.text_start < pos);
        if i == 0 {
            return self.segments.first().map_or(pos, |s| s.source_start);
        }
        let s = &self.segments[i - 1];
        if s.verbatim {
            s.source_start + (pos.min(s.text_end) - s.text_start)
        } else {
            s.source_end
        }
    }

    /// Both ends of a range at once.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        if range.is_empty() {
            let p = self.source_start(range.start);
            return p..p;
        }
        self.source_start(range.start)..self.source_end(range.end)
    }

    /// [`OffsetMap::source_range`], searching from `hint` (a segment index this returns for
    /// the next call): records come sorted by start, and from the segment of the one before
    /// the next is a step or two away, where two binary searches per range cost more.
    pub fn source_range_from(&self, range: Range<usize>, hint: &mut usize) -> Range<usize> {
        let segs = &self.segments;
        // The first segment that ends after the start; `hint` is used only when every
        // segment before it ends at or before the start.
        let lower =
            if *hint <= segs.len() && (*hint == 0 || segs[*hint - 1].text_end <= range.start) {
                *hint
            } else {
                0
            };
        let i = forward_partition_point(segs, lower, |s| s.text_end <= range.start);
        *hint = i;
        let start = match segs.get(i) {
            Some(s) if s.verbatim => s.source_start + (range.start - s.text_start.min(range.start)),
            Some(s) => s.source_start,
            None => segs.last().map_or(range.start, |s| s.source_end),
        };
        if range.is_empty() {
            return start..start;
        }
        // Segments before `i` end at or before the start, so they start before the end.
        let j = forward_partition_point(segs, i, |s| s.text_start < range.end);
        let end = if j == 0 {
            segs.first().map_or(range.end, |s| s.source_start)
        } else {
            let s = &segs[j - 1];
            if s.verbatim {
                s.source_start + (range.end.min(s.text_end) - s.text_start)
            } else {
                s.source_end
            }
        };
        start..end
    }
}

/// `segs.partition_point(pred)` when `pred` holds for every segment before `from`: a few
/// steps forward, then a binary search of the rest.
fn forward_partition_point(
    segs: &[Segment],
    from: usize,
    pred: impl Fn(&Segment) -> bool,
) -> usize {
    let mut i = from;
    for _ in 0..4 {
        match segs.get(i) {
            Some(s) if pred(s) => i += 1,
            _ => return i,
        }
    }
    i + segs[i.min(segs.len())..].partition_point(pred)
}

/// Builds a derived text piece by piece while recording where each piece came from.
#[derive(Debug, Default)]
pub struct TextBuilder {
    text: String,
    segments: Vec<Segment>,
    source_pos: usize,
}

impl TextBuilder {
    pub fn with_capacity(bytes: usize) -> Self {
        TextBuilder {
            text: String::with_capacity(bytes),
            // About one segment per source line (a verbatim run, then the break that joins or
            // ends it); grown from empty, the list was copied several times per document.
            segments: Vec::with_capacity(bytes / 64 + 4),
            ..Default::default()
        }
    }

    /// The text built so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Appends `source[range]` unchanged.
    pub fn copy(&mut self, source: &str, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let text_start = self.text.len();
        self.text.push_str(&source[range.clone()]);
        if let Some(last) = self.segments.last_mut() {
            if last.verbatim && last.text_end == text_start && last.source_end == range.start {
                last.text_end = self.text.len();
                last.source_end = range.end;
                self.source_pos = range.end;
                return;
            }
        }
        self.push(text_start, range, true);
    }

    /// Appends `replacement` as standing for `source_range` (which may be empty: an insertion).
    pub fn replace(&mut self, source_range: Range<usize>, replacement: &str) {
        if replacement.is_empty() {
            self.source_pos = self.source_pos.max(source_range.end);
            return;
        }
        let text_start = self.text.len();
        self.text.push_str(replacement);
        self.push(text_start, source_range, false);
    }

    /// Appends `inserted`, which stands for no source text (a paragraph break, say).
    pub fn insert(&mut self, inserted: &str) {
        let at = self.source_pos;
        self.replace(at..at, inserted);
    }

    fn push(&mut self, text_start: usize, source: Range<usize>, verbatim: bool) {
        self.source_pos = source.end;
        self.segments.push(Segment {
            text_start,
            text_end: self.text.len(),
            source_start: source.start,
            source_end: source.end,
            verbatim,
        });
    }

    pub fn finish(self) -> (String, OffsetMap) {
        (
            self.text,
            OffsetMap {
                segments: self.segments,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_runs_map_exactly_and_replacements_map_to_their_edges() {
        let source = "Thursday\n\nHe said  “yes”.\nâ€™\n";
        let mut b = TextBuilder::default();
        let said = source.find("He").unwrap();
        b.copy(source, said..said + 7); // "He said"
        b.replace(said + 7..said + 9, " "); // two spaces → one
        let yes = source.find('“').unwrap();
        let yes_end = source
            .find('\n')
            .map(|_| source.find(".\n").unwrap() + 1)
            .unwrap();
        b.copy(source, yes..yes_end);
        b.insert("\n\n");
        let moji = source.find('â').unwrap();
        b.replace(moji..moji + "â€™".len(), "’");
        let (text, map) = b.finish();
        assert_eq!(text, "He said “yes”.\n\n’");
        let y = text.find("yes").unwrap();
        let r = map.source_range(y..y + 3);
        assert_eq!(&source[r], "yes");
        let apos = text.find('’').unwrap();
        let r = map.source_range(apos..text.len());
        assert_eq!(&source[r], "â€™");
        let r = map.source_range(0..text.find('“').unwrap());
        assert_eq!(&source[r], "He said  ");
    }

    #[test]
    fn hinted_ranges_map_as_unhinted_ones() {
        let source = "ab  cd\n\nâ€™ef gh  ij\n".repeat(6);
        let mut b = TextBuilder::default();
        let mut at = 0;
        for (k, line) in source.split_inclusive('\n').enumerate() {
            let end = at + line.len();
            match k % 3 {
                0 => b.copy(&source, at..end),
                1 => b.replace(at..end, "’ x"),
                _ => {
                    b.insert("¶");
                    b.copy(&source, at..at + 2);
                    b.replace(at + 2..end, "");
                }
            }
            at = end;
        }
        let (text, map) = b.finish();
        let mut ranges = Vec::new();
        for a in 0..=text.len() + 1 {
            for len in [0, 1, 3, 9, 40] {
                ranges.push(a..a + len);
            }
        }
        let mut hint = 0;
        for r in &ranges {
            assert_eq!(
                map.source_range_from(r.clone(), &mut hint),
                map.source_range(r.clone()),
                "{r:?}"
            );
        }
        // Any order, any hint.
        for (k, r) in ranges.iter().rev().enumerate() {
            let mut hint = k % 7;
            assert_eq!(
                map.source_range_from(r.clone(), &mut hint),
                map.source_range(r.clone()),
                "{r:?}"
            );
        }
        let mut hint = 0;
        let empty = OffsetMap::default();
        assert_eq!(
            empty.source_range_from(3..5, &mut hint),
            empty.source_range(3..5)
        );
    }

    #[test]
    fn identity_is_identity() {
        let map = OffsetMap::identity(10);
        assert_eq!(map.source_range(2..7), 2..7);
        assert_eq!(map.source_range(10..10), 10..10);
    }
}
