//! Realistic small articles in other outlets' shapes, one snapshot each: what the stage kept,
//! removed and learned. Each rule family has fixtures where it must fire and must not.

use std::path::Path;

use clean::{Clean, CleanOptions};
use model::{BuildContext, Document, DocumentStage};
use serde_json::json;

/// A fixture may start with `%% key = value` lines: TOML options for the stage.
fn options(text: &str) -> (Option<CleanOptions>, String) {
    let mut toml_lines = Vec::new();
    let mut body = Vec::new();
    for line in text.split_inclusive('\n') {
        match line.strip_prefix("%% ") {
            Some(opt) if body.is_empty() => toml_lines.push(opt.to_string()),
            _ => body.push(line),
        }
    }
    let opts = (!toml_lines.is_empty())
        .then(|| toml::from_str(&toml_lines.concat()).expect("fixture options"));
    (opts, body.concat())
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let count = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "txt")
        })
        .count();
    assert!(count >= 40, "only {count} fixtures");
    // Building the stage compiles its regexes: once for the defaults, once per fixture that
    // sets options.
    let default_stage = Clean::new(CleanOptions::default(), &BuildContext::default()).unwrap();
    // One snapshot per fixture, each reported on its own: a mismatch does not hide the rest.
    insta::glob!("fixtures/*.txt", |path| {
        let raw = std::fs::read_to_string(path).unwrap();
        let (opts, text) = options(&raw);
        let own = opts.map(|o| Clean::new(o, &BuildContext::default()).unwrap());
        let stage = own.as_ref().unwrap_or(&default_stage);
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let mut doc = Document::new(name.clone(), path.display().to_string(), text);
        stage.process(&mut doc).unwrap();
        check_map(&doc, &name);
        let snapshot = json!({
            "title": doc.meta.title,
            "published": doc.meta.published.map(|d| d.to_string()),
            "authors": doc.meta.authors,
            "image_credits": doc.meta.image_credits,
            "volume": doc.meta.volume,
            "issue": doc.meta.issue,
            "dateline": doc.meta.dateline,
            "outlet": doc.meta.outlet,
            "headings": doc.headings,
            "removed": doc.removed,
            "paragraphs": doc.paragraphs.iter().map(|p| &doc.text()[p.clone()]).collect::<Vec<_>>(),
            "warnings": doc.warnings.iter().map(|w| &w.message).collect::<Vec<_>>(),
        });
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(snapshot);
        });
    });
}

/// Every paragraph maps back to source text that says the same, up to whitespace.
fn check_map(doc: &Document, name: &str) {
    let source: Vec<char> = doc.source_text.chars().collect();
    for p in &doc.paragraphs {
        let span = doc.span(p.clone());
        let from: String = source[span.source_start..span.source_end].iter().collect();
        let a: Vec<&str> = from.split_whitespace().collect();
        let b: Vec<&str> = doc.text()[p.clone()].split_whitespace().collect();
        assert_eq!(
            a.len(),
            b.len(),
            "{name}: `{from}` vs `{}`",
            &doc.text()[p.clone()]
        );
    }
}
