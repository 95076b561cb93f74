//! Outputs are written under a staging folder and renamed into place only on success.

use std::collections::BTreeSet;

use export::{CsvExporter, CsvOptions, ExportContext, JsonExporter, JsonOptions};
use model::{Capability, Document, Exporter};

fn context(dir: &std::path::Path, instance: &str) -> ExportContext {
    ExportContext {
        output_dir: dir.to_path_buf(),
        capabilities: BTreeSet::from([Capability::Text]),
        instance: instance.to_string(),
    }
}

fn staging_left(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".newsmill-staging"))
        .collect()
}

#[test]
fn a_failed_write_leaves_the_previous_outputs_intact() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("documents.jsonl"), "previous run\n").unwrap();
    let options = JsonOptions {
        per_document: true,
        ..JsonOptions::default()
    };
    let mut json: Box<dyn Exporter> =
        Box::new(JsonExporter::new(options, &context(dir.path(), "json")).unwrap());
    let good = Document::new("ok", "ok.txt", "Fine text.".into());
    json.write_document(&good).unwrap();
    // A name over the file system's limit makes creating documents/<id>.json fail for real.
    let bad = Document::new("x".repeat(300), "x.txt", "Text.".into());
    let err = json.write_document(&bad).unwrap_err();
    assert!(err.message.contains("cannot create"), "{}", err.message);
    drop(json);
    let previous = std::fs::read_to_string(dir.path().join("documents.jsonl")).unwrap();
    assert_eq!(previous, "previous run\n");
    assert!(!dir.path().join("documents").exists());
    assert!(staging_left(dir.path()).is_empty());
}

#[test]
fn an_interrupted_run_leaves_the_previous_outputs_intact() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("documents.csv"), "previous run\r\n").unwrap();
    let mut csv = CsvExporter::new(CsvOptions::default(), &context(dir.path(), "csv")).unwrap();
    csv.write_document(&Document::new("a", "a.txt", "New text.".into()))
        .unwrap();
    drop(csv);
    let previous = std::fs::read_to_string(dir.path().join("documents.csv")).unwrap();
    assert_eq!(previous, "previous run\r\n");
    assert!(staging_left(dir.path()).is_empty());
}

#[test]
fn a_finished_run_replaces_the_outputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("documents.csv"), "previous run\r\n").unwrap();
    let mut csv: Box<dyn Exporter> =
        Box::new(CsvExporter::new(CsvOptions::default(), &context(dir.path(), "csv")).unwrap());
    csv.write_document(&Document::new("a", "a.txt", "=cmd| New text.".into()))
        .unwrap();
    let summary = csv.finish().unwrap();
    assert!(summary.files.contains(&("documents.csv".to_string(), 1)));
    let table = std::fs::read_to_string(dir.path().join("documents.csv")).unwrap();
    assert!(table
        .starts_with("doc_id,source,status,title,published,author,image_credit,words,paragraphs"));
    assert!(table.contains("\r\na,a.txt,ok,"));
    assert!(dir.path().join("errors.csv").exists());
    assert!(staging_left(dir.path()).is_empty());
}
