//! The document record: one article, from ingest to export.

use std::any::Any;
use std::ops::Range;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Serialize;

use crate::offsets::OffsetMap;
use crate::records::{Claim, Entity, Mention, Quote};
use crate::text_index::TextIndex;

/// A located piece of text. `start`/`end` count characters in the document's (cleaned)
/// `text`; `source_start`/`source_end` count characters in the decoded source file. Both are
/// end-exclusive. The byte range is kept for stages and never serialized.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub source_start: usize,
    pub source_end: usize,
    #[serde(skip)]
    pub bytes: Range<usize>,
}

/// What the document's outer lines told us: publication, authorship, edition.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metadata {
    pub title: Option<String>,
    /// Published date as written (a JSONL field or the masthead), when it parsed as a date.
    pub published: Option<NaiveDate>,
    pub authors: Vec<String>,
    pub image_credits: Vec<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub dateline: Option<Dateline>,
    pub url: Option<String>,
    /// The outlet or feed the document came from, when the input names it.
    pub outlet: Option<String>,
    /// Last modified date, when a web page states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<NaiveDate>,
    /// The page's language tag (`<html lang>`), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The outlet's section (politics, sport…), when a web page states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// What the working text is written in: plain text, or an HTML page whose article text a
/// stage (`extract_html`) has yet to extract.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Html,
}

/// `WASHINGTON (AP) —`: the place and agency a story was filed from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Dateline {
    pub place: String,
    pub agency: Option<String>,
    pub text: String,
}

/// A section heading inside the body, kept out of `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub text: String,
    /// Index of the body paragraph the heading stands before (== paragraph count when it ends
    /// the document).
    pub before_paragraph: usize,
    /// 1-based line of the source file.
    pub line: usize,
}

/// A source line that cleaning removed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedLine {
    /// 1-based line of the source file.
    pub line: usize,
    /// The rule family that removed it (`masthead`, `byline`, …).
    pub reason: String,
    pub text: String,
}

/// Something a user should know about a document that did not stop it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub stage: String,
    pub message: String,
}

/// Why a document did not make it through the pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub stage: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Ok,
    Failed,
}

/// One article and everything the stages learned about it.
#[derive(Debug, Default, Serialize)]
pub struct Document {
    pub id: String,
    /// Where it came from: a file path, or `<stdin>:LINE` for streamed input.
    pub source: String,
    pub status: Status,
    #[serde(skip)]
    pub format: Format,
    /// Set when `status` is `Failed`.
    pub failure: Option<Failure>,
    pub meta: Metadata,
    /// Section headings (the title lives in `meta.title`).
    pub headings: Vec<Heading>,
    /// The working text: the decoded source until a cleaning stage replaces it. Private so
    /// that it changes only through [`Document::set_text`], which drops what was derived from it.
    text: String,
    /// Bumped by every [`Document::set_text`]: results derived from the text carry the version
    /// they were derived from.
    #[serde(skip)]
    text_version: u64,
    /// Body paragraphs as byte ranges of `text`.
    #[serde(skip)]
    pub paragraphs: Vec<Range<usize>>,
    /// Sentences as byte ranges of `text`, filled by the first stage that needs them.
    #[serde(skip)]
    pub sentences: Vec<Range<usize>>,
    pub removed: Vec<RemovedLine>,
    pub quotes: Vec<Quote>,
    pub entities: Vec<Entity>,
    pub mentions: Vec<Mention>,
    pub claims: Vec<Claim>,
    pub warnings: Vec<Warning>,
    /// The decoded source file (BOM stripped, line endings normalized to `\n`).
    #[serde(skip)]
    pub source_text: String,
    #[serde(skip)]
    offsets: OffsetMap,
    #[serde(skip)]
    text_index: OnceLock<TextIndex>,
    /// `None` when the working text is the source text (no stage rewrote it).
    #[serde(skip)]
    source_index: OnceLock<Option<TextIndex>>,
    #[serde(skip)]
    word_count: OnceLock<usize>,
    /// What stages derived from the working text and may share (see [`Derived`]).
    #[serde(skip)]
    pub derived: Derived,
}

/// Results a stage derived from a document's working text, kept so that another stage can
/// reuse them instead of computing them again (the quotes and entities stages run one person
/// finder between them). One value per type; all are dropped when the working text changes.
#[derive(Default)]
pub struct Derived(Vec<Box<dyn Any + Send + Sync>>);

impl Derived {
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.iter().find_map(|v| v.downcast_ref::<T>())
    }

    /// Stores `value`, replacing any earlier value of its type.
    pub fn insert<T: Any + Send + Sync>(&mut self, value: T) {
        self.0.retain(|v| !v.is::<T>());
        self.0.push(Box::new(value));
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Derived({} values)", self.0.len())
    }
}

impl Document {
    /// A fresh document whose working text is its source text.
    pub fn new(id: impl Into<String>, source: impl Into<String>, source_text: String) -> Self {
        let mut doc = Document {
            id: id.into(),
            source: source.into(),
            text: source_text.clone(),
            offsets: OffsetMap::identity(source_text.len()),
            source_text,
            ..Default::default()
        };
        doc.paragraphs = line_paragraphs(&doc.text);
        doc
    }

    /// A document that failed before it had any text (unreadable, empty, binary…).
    pub fn failed(
        id: impl Into<String>,
        source: impl Into<String>,
        stage: &str,
        message: impl Into<String>,
    ) -> Self {
        let mut doc = Document::new(id, source, String::new());
        doc.fail(stage, message);
        doc
    }

    pub fn fail(&mut self, stage: &str, message: impl Into<String>) {
        self.status = Status::Failed;
        self.failure = Some(Failure {
            stage: stage.to_string(),
            message: message.into(),
        });
    }

    /// The working text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Which working text this is: it changes whenever the text is replaced, so a result
    /// derived from the text can tell whether it still holds.
    pub fn text_version(&self) -> u64 {
        self.text_version
    }

    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }

    pub fn warn(&mut self, stage: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            stage: stage.to_string(),
            message: message.into(),
        });
    }

    /// Replaces the working text. `map` maps the new text to the *source* text (not to the
    /// previous working text), and `paragraphs` are byte ranges of the new text. Records found
    /// on the old text are dropped, since their offsets would no longer hold.
    pub fn set_text(&mut self, text: String, map: OffsetMap, paragraphs: Vec<Range<usize>>) {
        self.text = text;
        self.text_version += 1;
        self.offsets = map;
        self.paragraphs = paragraphs;
        self.sentences.clear();
        self.quotes.clear();
        self.entities.clear();
        self.mentions.clear();
        self.claims.clear();
        self.text_index = OnceLock::new();
        // Whether the source needs an index of its own depends on the new text.
        self.source_index = OnceLock::new();
        self.derived.clear();
        self.word_count = OnceLock::new();
    }

    /// Makes `text` the document's source text as well as its working text, as if it had
    /// been read from a file: for a stage that turns the input into the text the others
    /// work on (an HTML page into its article), so that offsets index that text.
    pub fn replace_source(&mut self, text: String) {
        let map = OffsetMap::identity(text.len());
        let paragraphs = line_paragraphs(&text);
        self.source_text = text.clone();
        self.set_text(text, map, paragraphs);
        self.removed.clear();
        self.headings.clear();
        self.format = Format::Text;
    }

    /// Locates a byte range of `text` in both texts, in characters.
    pub fn span(&self, bytes: Range<usize>) -> Span {
        let mut hint = 0;
        self.span_with(self.indexes(), bytes, &mut hint)
    }

    /// [`Document::span`] of each range: the indexes are looked up once, and ranges sorted by
    /// start (as stages emit records) are mapped to the source by a walk, not a search each.
    pub fn spans(&self, ranges: &[Range<usize>]) -> Vec<Span> {
        let indexes = self.indexes();
        let mut hint = 0;
        ranges
            .iter()
            .map(|r| self.span_with(indexes, r.clone(), &mut hint))
            .collect()
    }

    /// The character indexes of the working text and of the source text.
    fn indexes(&self) -> (&TextIndex, &TextIndex) {
        let text_index = self.text_index.get_or_init(|| TextIndex::new(&self.text));
        let source_index = self
            .source_index
            .get_or_init(|| {
                (self.source_text != self.text).then(|| TextIndex::new(&self.source_text))
            })
            .as_ref()
            .unwrap_or(text_index);
        (text_index, source_index)
    }

    #[inline]
    fn span_with(
        &self,
        (text_index, source_index): (&TextIndex, &TextIndex),
        bytes: Range<usize>,
        hint: &mut usize,
    ) -> Span {
        let source = self.offsets.source_range_from(bytes.clone(), hint);
        Span {
            start: text_index.char_offset(&self.text, bytes.start),
            end: text_index.char_offset(&self.text, bytes.end),
            source_start: source_index.char_offset(&self.source_text, source.start),
            source_end: source_index.char_offset(&self.source_text, source.end),
            bytes,
        }
    }

    /// The source byte range a byte range of `text` came from.
    pub fn source_bytes(&self, bytes: Range<usize>) -> Range<usize> {
        self.offsets.source_range(bytes)
    }

    /// Number of words in the working text (whitespace-separated tokens with a letter or digit).
    pub fn word_count(&self) -> usize {
        *self
            .word_count
            .get_or_init(|| crate::words::count_words(&self.text))
    }
}

/// Paragraphs of an uncleaned text: its non-blank lines.
fn line_paragraphs(text: &str) -> Vec<Range<usize>> {
    // Sized for lines of a typical length (news paragraphs run ~250 bytes): grown from
    // empty, the list was reallocated two or three times per document.
    let mut out = Vec::with_capacity(text.len() / 128 + 1);
    let mut start = 0;
    // Line ends found with the `memchr` crate: every document passes through here once.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in ends {
        if start > text.len() {
            break;
        }
        let line = &text[start..end];
        // Most lines end in a visible character and start with one: only the others are
        // trimmed to find out.
        let content = match line.as_bytes().last() {
            Some(b'\n' | b'\r') => line.trim_end_matches(['\n', '\r']),
            _ => line,
        };
        if content.as_bytes().first().is_some_and(u8::is_ascii_graphic)
            || !content.trim().is_empty()
        {
            out.push(start..start + content.len());
        }
        start = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::TextBuilder;

    #[test]
    fn replacing_the_text_drops_what_was_derived_from_it() {
        let mut doc = Document::new("d", "d.txt", "Ann Lee said so.".to_string());
        doc.derived.insert(7_u32);
        let before = doc.text_version();
        // Same length, other words: a cache keyed by length would wrongly still hold.
        let text = "Bob Ray said no.".to_string();
        let len = text.len();
        let paragraphs = line_paragraphs(&text);
        doc.set_text(text, OffsetMap::identity(len), paragraphs);
        assert_eq!(doc.text(), "Bob Ray said no.");
        assert_ne!(doc.text_version(), before);
        assert!(doc.derived.get::<u32>().is_none());
    }

    #[test]
    fn paragraphs_are_the_non_blank_lines() {
        let by_definition = |text: &str| {
            let mut out = Vec::new();
            let mut start = 0;
            for line in text.split_inclusive('\n') {
                let content = line.trim_end_matches(['\n', '\r']);
                if !content.trim().is_empty() {
                    out.push(start..start + content.len());
                }
                start += line.len();
            }
            out
        };
        for text in [
            "",
            "a",
            "a\n",
            "\n\na\r\n \n\u{a0}\nb c\n\n",
            "x\n\ny",
            "\n",
        ] {
            assert_eq!(line_paragraphs(text), by_definition(text), "{text:?}");
        }
    }

    #[test]
    fn words_are_whitespace_separated_and_need_a_letter_or_digit() {
        let text = "Kyiv,\u{a0}Ukraine — “Nein” said\tthe 3rd\u{2003}envoy … 42%\r\n-- ";
        let by_definition = text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        assert_eq!(
            Document::new("d", "d.txt", text.into()).word_count(),
            by_definition
        );
        assert_eq!(by_definition, 8);
        let mut doc = Document::new("d", "d.txt", "one two".into());
        assert_eq!(doc.word_count(), 2);
        let (text, map) = TextBuilder::default().finish();
        doc.set_text(text, map, Vec::new());
        assert_eq!(doc.word_count(), 0, "a new text is counted anew");
    }

    #[test]
    fn spans_follow_cleaning_back_to_the_source() {
        let source = "Thursday\n\n“Yes,” she said.\n".to_string();
        let mut doc = Document::new("d", "d.txt", source.clone());
        assert_eq!(doc.paragraphs.len(), 2);
        let body = source.find('“').unwrap();
        let mut b = TextBuilder::default();
        b.copy(&source, body..source.len() - 1);
        let (text, map) = b.finish();
        let len = text.len();
        let paragraphs: Vec<std::ops::Range<usize>> = std::iter::once(0..len).collect();
        doc.set_text(text, map, paragraphs);
        let yes = doc.text.find("Yes").unwrap();
        let span = doc.span(yes..yes + 3);
        assert_eq!((span.start, span.end), (1, 4));
        let chars: Vec<char> = source.chars().collect();
        let found: String = chars[span.source_start..span.source_end].iter().collect();
        assert_eq!(found, "Yes");
    }
}
