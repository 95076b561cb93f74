//! Odd inputs must never panic, lose the map, or produce ranges off character boundaries.

use clean::{Clean, CleanOptions};
use model::{BuildContext, Document, DocumentStage};

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

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn random_pastes_keep_every_invariant() {
    let stage = Clean::new(CleanOptions::default(), &BuildContext::default()).unwrap();
    let straight = CleanOptions {
        straighten_quotes: true,
        ..Default::default()
    };
    let straight = Clean::new(straight, &BuildContext::default()).unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for round in 0..400 {
        let n = rng.below(60);
        let text: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        let mut doc = Document::new("r", "r.txt", text.clone());
        let s = if round % 2 == 0 { &stage } else { &straight };
        s.process(&mut doc).unwrap();
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
