//! The seed articles against the hand-checked gold (`tests/gold/seed_clean.json`).

use std::path::Path;
use std::sync::OnceLock;

use clean::{Clean, CleanOptions};
use model::{BuildContext, Document, DocumentStage};
use serde_json::Value;

fn stage() -> &'static Clean {
    static STAGE: OnceLock<Clean> = OnceLock::new();
    STAGE.get_or_init(|| Clean::new(CleanOptions::default(), &BuildContext::default()).unwrap())
}

fn clean_file(path: &Path) -> Document {
    let text = std::fs::read_to_string(path).expect("seed article");
    let text = text.replace("\r\n", "\n");
    let id = path.file_stem().unwrap().to_string_lossy().to_string();
    let mut doc = Document::new(id, path.display().to_string(), text);
    stage().process(&mut doc).unwrap();
    doc
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn seeds_match_gold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gold: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/gold/seed_clean.json")).unwrap(),
    )
    .unwrap();
    let articles = root.join("../../data/articles");
    let docs = gold["documents"].as_object().unwrap();
    assert_eq!(docs.len(), 5);
    for (file, want) in docs {
        let doc = clean_file(&articles.join(file));
        let str_or_null = |v: Option<&str>| v.map_or(Value::Null, |s| Value::String(s.into()));
        assert_eq!(
            str_or_null(doc.meta.title.as_deref()),
            want["title"],
            "{file}: title"
        );
        assert_eq!(
            str_or_null(doc.meta.published.map(|d| d.to_string()).as_deref()),
            want["published"],
            "{file}: published"
        );
        assert_eq!(
            str_or_null(doc.meta.authors.first().map(String::as_str)),
            want["author"],
            "{file}: author"
        );
        assert_eq!(
            str_or_null(doc.meta.image_credits.first().map(String::as_str)),
            want["image_credit"],
            "{file}: image credit"
        );
        assert_eq!(
            str_or_null(doc.meta.volume.as_deref()),
            want["volume"],
            "{file}: volume"
        );
        let headings: Vec<Value> = doc
            .headings
            .iter()
            .map(|h| Value::String(h.text.clone()))
            .collect();
        assert_eq!(Value::Array(headings), want["headings"], "{file}: headings");
        let removed: Vec<(u64, String, String)> = doc
            .removed
            .iter()
            .map(|r| (r.line as u64, r.reason.clone(), r.text.clone()))
            .collect();
        let want_removed: Vec<(u64, String, String)> = want["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["line"].as_u64().unwrap(),
                    r["kind"].as_str().unwrap().to_string(),
                    r["text"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(removed, want_removed, "{file}: removed lines");
        let firsts = want["body_first_words"].as_array().unwrap();
        assert_eq!(
            doc.paragraphs.len() as u64,
            want["body_paragraphs"].as_u64().unwrap(),
            "{file}: paragraph count"
        );
        for (p, first) in doc.paragraphs.iter().zip(firsts) {
            let para = squash(&doc.text()[p.clone()]);
            let first = squash(first.as_str().unwrap());
            assert!(
                para.starts_with(&first),
                "{file}: paragraph `{para}` should start `{first}`"
            );
        }
    }
}

/// Every body character maps back to the same characters of the source file.
#[test]
fn body_text_maps_back_to_the_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("../../data/articles")).unwrap() {
        let doc = clean_file(&entry.unwrap().path());
        let source: Vec<char> = doc.source_text.chars().collect();
        for p in &doc.paragraphs {
            let span = doc.span(p.clone());
            let from_source: String = source[span.source_start..span.source_end].iter().collect();
            assert_eq!(squash(&from_source), squash(&doc.text()[p.clone()]));
            // A word in the middle maps exactly too.
            let para = &doc.text()[p.clone()];
            if let Some(at) = para.find(" the ") {
                let b = p.start + at + 1..p.start + at + 4;
                let s = doc.span(b);
                let w: String = source[s.source_start..s.source_end].iter().collect();
                assert_eq!(w, "the");
            }
        }
    }
}

/// Every gold quotation, found in the cleaned text, maps back to its exact place in the file:
/// what the quotes stage relies on.
#[test]
fn gold_quotes_map_back_to_their_source_offsets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gold = root.join("../../tests/gold/seed_quotes.json");
    let Ok(text) = std::fs::read_to_string(&gold) else {
        panic!("missing {}", gold.display());
    };
    let quotes: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(quotes.len() >= 30);
    for q in quotes {
        let file = q["file"].as_str().unwrap();
        let doc = clean_file(&root.join("../../data/articles").join(file));
        let want = q["quote_text"].as_str().unwrap();
        let start = q["char_start"].as_u64().unwrap() as usize;
        // The occurrence in the cleaned text that maps to the gold offset.
        let found = doc
            .text()
            .match_indices(want)
            .map(|(b, _)| doc.span(b..b + want.len()))
            .find(|s| s.source_start == start);
        let span = found.unwrap_or_else(|| panic!("{file}: `{want}` not at {start}"));
        assert_eq!(
            span.source_end,
            q["char_end"].as_u64().unwrap() as usize,
            "{file}: {want}"
        );
    }
}
