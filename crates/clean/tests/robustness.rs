//! Odd inputs must never panic, lose the map, or produce ranges off character boundaries.

use clean::{Clean, CleanOptions};
use model::{BuildContext, Document, DocumentStage};
use proptest::prelude::*;

/// Pieces real pasted text is made of, including the awkward ones.
const PIECES: &[&str] = &[
    "The envoy said",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\n \n",
    ".",
    ",",
    "“",
    "”",
    "’",
    "—",
    "â€™",
    "â€œ",
    "â€",
    "\u{9d}",
    "Ã©",
    "Ã",
    "\u{00A0}",
    "\u{200B}",
    "\u{00AD}",
    "\u{FEFF}",
    "e\u{0301}",
    "\u{0301}",
    "Москва",
    "北京",
    "👍🏽",
    "By Jane Doe",
    "Thursday",
    "08-21-2025",
    "Vol 12",
    "(Getty Images)",
    "Photo:",
    "Share",
    "Advertisement",
    "Read more:",
    "- ",
    "> ",
    "https://x.example/a",
    "![](",
    ")",
    "WASHINGTON (AP) — ",
    "02-30-2025",
    "\r",
    "#",
    "**",
];

/// Checks every invariant of a cleaned document made from `text`.
fn check_invariants(text: &str, doc: &Document) {
    let lines = text.split('\n').count();
    for r in &doc.removed {
        assert!(r.line >= 1 && r.line <= lines, "{text:?}");
    }
    let mut last = 0;
    for p in &doc.paragraphs {
        assert!(p.start >= last && p.end <= doc.text().len(), "{text:?}");
        assert!(doc.text().is_char_boundary(p.start) && doc.text().is_char_boundary(p.end));
        assert!(!doc.text()[p.clone()].trim().is_empty(), "{text:?}");
        let span = doc.span(p.clone());
        assert!(span.source_start <= span.source_end);
        assert!(span.source_end <= text.chars().count());
        last = p.end;
    }
    for h in &doc.headings {
        assert!(h.before_paragraph <= doc.paragraphs.len());
    }
}

fn cleaned(stage: &Clean, text: &str) -> Document {
    let mut doc = Document::new("r", "r.txt", text.to_string());
    stage.process(&mut doc).unwrap();
    doc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random pastes of awkward pieces: no panic, every range inside the text and on
    /// character boundaries, and the same output for the same input.
    #[test]
    fn random_pastes_keep_every_invariant(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..60),
        straighten_quotes: bool,
    ) {
        let options = CleanOptions { straighten_quotes, ..Default::default() };
        let stage = Clean::new(options, &BuildContext::default()).unwrap();
        let text: String = pieces.concat();
        let doc = cleaned(&stage, &text);
        check_invariants(&text, &doc);
        let again = cleaned(&stage, &text);
        prop_assert_eq!(doc.text(), again.text());
        prop_assert_eq!(&doc.paragraphs, &again.paragraphs);
        prop_assert_eq!(format!("{:?}", doc.removed), format!("{:?}", again.removed));
        prop_assert_eq!(format!("{:?}", doc.meta), format!("{:?}", again.meta));
    }

    /// Any string at all, not only the pieces above.
    #[test]
    fn any_text_keeps_every_invariant(text in "\\PC{0,200}") {
        let stage = Clean::new(CleanOptions::default(), &BuildContext::default()).unwrap();
        check_invariants(&text, &cleaned(&stage, &text));
    }
}

/// The hostile documents of the adversarial benchmark, small: cleaned without panic and with
/// their text kept.
#[test]
fn adversarial_documents_are_cleaned() {
    let stage = Clean::new(CleanOptions::default(), &BuildContext::default()).unwrap();
    for text in [
        "Jane Doe said, “a ‘b « c \" ".repeat(2000),
        "John Smith ".repeat(5000),
        "“ ” \" ' ‘ ’ « » ‹ › „ ".repeat(2000),
        "word ".repeat(10_000),
        "Alpha Beta Gamma Delta ".repeat(2000),
        "\n".repeat(5000) + &"Short line.\n".repeat(2000),
    ] {
        let doc = cleaned(&stage, &text);
        check_invariants(&text, &doc);
        assert!(!doc.paragraphs.is_empty(), "{}", &text[..40]);
    }
}

#[test]
fn empty_blank_and_all_boilerplate_documents() {
    let stage = Clean::new(CleanOptions::default(), &BuildContext::default()).unwrap();
    for text in [
        "",
        "\n\n\n",
        " \u{00A0} \n\t\n",
        "Advertisement\n\nShare this article\n",
        "Just a title",
    ] {
        let mut doc = Document::new("e", "e.txt", text.to_string());
        stage.process(&mut doc).unwrap();
        assert!(doc
            .paragraphs
            .iter()
            .all(|p| !doc.text()[p.clone()].trim().is_empty()));
    }
    let mut doc = Document::new("t", "t.txt", "Just a title".to_string());
    stage.process(&mut doc).unwrap();
    // A single line is the story, not a headline over nothing.
    assert_eq!(doc.text(), "Just a title");
    assert_eq!(doc.meta.title, None);
}
