//! Properties of the extraction stages on any text: no panic, every record's offsets inside
//! the text and on character boundaries, the same output for the same input; and the hostile
//! documents of the adversarial benchmark (`newsmill-bench --adversarial`), small, as
//! regression tests of the caps that bound them.

use extract::claims::{Claims, ClaimsOptions};
use extract::entities::{Entities, EntitiesOptions};
use extract::quotes::{Quotes, QuotesOptions};
use model::{BuildContext, Document, DocumentStage, Span};
use proptest::prelude::*;

/// Pieces news text is made of, with the awkward ones: every kind of quote mark, names,
/// cues, numbers, dates, abbreviations, non-Latin scripts and line breaks.
const PIECES: &[&str] = &[
    "Jane Doe",
    "John Smith",
    "Maria Lopez",
    "the minister",
    "President",
    "Kyiv",
    "Reuters",
    "said",
    "told reporters",
    "according to",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "…",
    "“",
    "”",
    "„",
    "\"",
    "'",
    "‘",
    "’",
    "«",
    "»",
    "‹",
    "›",
    "—",
    "(",
    ")",
    "we will win",
    "it is",
    "Mr.",
    "U.S.",
    "J.",
    "3.5%",
    "$12 million",
    "1,200",
    "40 people",
    "Monday",
    "March 3",
    "2025",
    "last week",
    "he",
    "she",
    "they",
    "Москва",
    "北京",
    "👍🏽",
    "e\u{0301}",
    "\u{00A0}",
    "\u{200B}",
    "Alpha",
    "BETA",
    "of",
    "the",
];

fn stages() -> (Quotes, Entities, Claims) {
    let ctx = BuildContext::default();
    (
        Quotes::new(QuotesOptions::default(), &ctx).unwrap(),
        Entities::new(EntitiesOptions::default(), &ctx).unwrap(),
        Claims::new(ClaimsOptions::default(), &ctx).unwrap(),
    )
}

/// Runs the three stages on `text` and returns the document.
fn extracted(stages: &(Quotes, Entities, Claims), text: &str) -> Document {
    let mut doc = Document::new("p", "p.txt", text.to_string());
    stages.0.process(&mut doc).unwrap();
    stages.1.process(&mut doc).unwrap();
    stages.2.process(&mut doc).unwrap();
    doc
}

fn check_span(doc: &Document, span: &Span) {
    let text = doc.text();
    let chars = text.chars().count();
    assert!(
        span.start <= span.end && span.end <= chars,
        "{span:?} of {chars}"
    );
    assert!(span.source_start <= span.source_end, "{span:?}");
    assert!(span.bytes.start <= span.bytes.end && span.bytes.end <= text.len());
    assert!(text.is_char_boundary(span.bytes.start) && text.is_char_boundary(span.bytes.end));
    assert_eq!(span.start, text[..span.bytes.start].chars().count());
}

fn check_offsets(doc: &Document) {
    for q in &doc.quotes {
        check_span(doc, &q.span);
    }
    for m in &doc.mentions {
        check_span(doc, &m.span);
    }
    for c in &doc.claims {
        check_span(doc, &c.span);
    }
    for s in &doc.sentences {
        assert!(s.start <= s.end && s.end <= doc.text().len());
    }
}

/// Everything the stages wrote, for comparing two runs.
fn output(doc: &Document) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        doc.quotes, doc.entities, doc.mentions, doc.claims, doc.warnings
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn pieces_of_news_text_keep_offsets_inside_and_output_deterministic(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..80),
    ) {
        let stages = stages();
        let text = pieces.join(" ");
        let doc = extracted(&stages, &text);
        check_offsets(&doc);
        prop_assert_eq!(output(&doc), output(&extracted(&stages, &text)));
    }

    #[test]
    fn any_text_keeps_offsets_inside(text in "\\PC{0,300}") {
        let doc = extracted(&stages(), &text);
        check_offsets(&doc);
    }
}

#[test]
fn unclosed_nested_quotes_are_bounded() {
    let text = "Jane Doe said, “a ‘b « c \" ".repeat(2000);
    let doc = extracted(&stages(), &text);
    check_offsets(&doc);
    // One paragraph: at most the open-mark cap of unclosed spans, plus the closed ones.
    assert!(doc.quotes.len() < 2 * 2000, "{} quotes", doc.quotes.len());
    let quoted: usize = doc.quotes.iter().map(|q| q.text.len()).sum();
    assert!(quoted < 8 * text.len(), "{quoted} bytes quoted");
    assert!(doc.warnings.len() < 50, "{} warnings", doc.warnings.len());
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.message.contains("opening quotation marks ignored")));
}

#[test]
fn bare_quote_marks_give_bounded_warnings() {
    let text = "“ ” \" ' ‘ ’ « » ‹ › „ ".repeat(2000);
    let doc = extracted(&stages(), &text);
    check_offsets(&doc);
    assert!(doc.warnings.len() < 50, "{} warnings", doc.warnings.len());
}

#[test]
fn a_line_of_names_is_read_in_windows() {
    let text = "John Smith ".repeat(3000);
    let doc = extracted(&stages(), &text);
    check_offsets(&doc);
    assert!(doc.warnings.iter().any(|w| w.stage == "sentences"));
    assert!(!doc.mentions.is_empty());
    // Every window's names are found: mentions cover the whole line, not its first window.
    let last = doc.mentions.iter().map(|m| m.span.bytes.end).max().unwrap();
    assert!(
        last > text.len() - 100,
        "last mention ends at {last} of {}",
        text.len()
    );
}

#[test]
fn text_without_punctuation_and_capitalized_runs() {
    let words = "the mayor of Springfield met Jane Doe on Monday about 40 new buses ";
    let capitalized = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta ";
    for text in [words.repeat(500), capitalized.repeat(500)] {
        let doc = extracted(&stages(), &text);
        check_offsets(&doc);
        assert!(doc.warnings.iter().any(|w| w.stage == "sentences"));
    }
}

#[test]
fn many_closed_quotes_in_one_line_are_all_found() {
    let text = "“We will win,” said Jane Doe. \"Not today,\" Tom Lee said. ".repeat(300);
    let doc = extracted(&stages(), &text);
    check_offsets(&doc);
    assert_eq!(doc.quotes.len(), 600);
    assert!(doc.quotes.iter().all(|q| q.speaker.is_some()));
}
