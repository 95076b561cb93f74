//! Ingest behaviour end to end: bad files fail alone, encodings, streaming JSONL.

mod common;

use common::*;

const CONFIG: &str = r#"
[pipeline]
input = ["articles"]
output = "out"
stages = ["csv", "json"]
"#;

fn folder_with_seeds() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    for entry in std::fs::read_dir(root().join("data/articles")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, articles.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.path().join("pipeline.toml"), CONFIG).unwrap();
    dir
}

#[test]
fn bad_files_fail_alone_and_the_run_goes_on() {
    let dir = folder_with_seeds();
    let articles = dir.path().join("articles");
    std::fs::write(articles.join("empty.txt"), "").unwrap();
    std::fs::write(articles.join("blank.txt"), " \n\t\n").unwrap();
    std::fs::write(articles.join("binary.txt"), b"PK\x03\x04\x00\x00binary").unwrap();
    // “Smart quotes” and an en dash as Windows-1252 bytes.
    std::fs::write(
        articles.join("legacy.txt"),
        b"Mayor\x92s office\r\nThe mayor said, \x93We will rebuild \x96 together.\x94\r\n",
    )
    .unwrap();
    std::fs::write(articles.join("notes.pdf"), "not an article").unwrap();

    let out = newsmill(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(log.contains("empty.txt: ingest: empty file"), "{log}");
    assert!(log.contains("skipped 1 files"), "{log}");

    let errors = read_csv(&dir.path().join("out/errors.csv"));
    let failed: Vec<&str> = errors[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(failed, ["binary", "blank", "empty"]);
    assert!(errors[1][2].contains("binary file"));

    let documents = read_csv(&dir.path().join("out/documents.csv"));
    assert_eq!(documents.len(), 1 + 5 + 4);
    let ok: Vec<&str> = documents[1..]
        .iter()
        .filter(|r| r[2] == "ok")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(ok.len(), 6, "five seeds and the legacy file");
    for stem in seed_stems() {
        assert!(ok.contains(&stem.as_str()));
        assert!(dir
            .path()
            .join(format!("out/documents/{stem}.json"))
            .exists());
    }

    let legacy: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("out/documents/legacy.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        legacy["text"],
        "Mayor’s office\nThe mayor said, “We will rebuild – together.”\n"
    );
    assert!(legacy["warnings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("decoded as Windows-1252"));
}

#[test]
fn oversized_files_fail_with_the_limit_named() {
    let dir = folder_with_seeds();
    let config = format!("{CONFIG}\n[ingest]\nmax_file_bytes = 4000\n");
    std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
    let out = newsmill(dir.path(), &["run", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    let errors = read_csv(&dir.path().join("out/errors.csv"));
    // Seeds 003 and 004 are over 4,000 bytes.
    assert_eq!(errors.len(), 3);
    assert!(errors[1][2].contains("over the limit of 4000 bytes (ingest.max_file_bytes)"));
}

#[test]
fn bom_and_crlf_are_normalized_and_duplicate_stems_get_unique_ids() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir_all(articles.join("a")).unwrap();
    std::fs::create_dir_all(articles.join("b")).unwrap();
    std::fs::write(articles.join("a/story.txt"), "\u{feff}One.\r\nTwo.\rThree.").unwrap();
    std::fs::write(articles.join("b/story.md"), "Other story.").unwrap();
    std::fs::write(dir.path().join("pipeline.toml"), CONFIG).unwrap();
    let out = newsmill(dir.path(), &["run", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("out/documents/story.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(first["text"], "One.\nTwo.\nThree.");
    assert!(dir.path().join("out/documents/story-2.json").exists());
}

#[test]
fn streaming_prints_one_json_line_per_document_in_order() {
    let dir = root();
    let input = concat!(
        r#"{"id":"a","text":"Jane Doe said, \"It works.\""}"#,
        "\n",
        "{not json}\n",
        "\n",
        r#"{"id":"c","text":"Second.","title":"T","published":"2025-08-21","author":"Jo Roe","source":"Wire"}"#,
        "\n",
        r#"{"id":"d"}"#,
        "\n",
    );
    let out = newsmill_with_stdin(&dir, &["run", "--input", "-", "--output", "-"], input);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        4,
        "one line per document, blank lines are not documents"
    );
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["status"], "ok");
    assert!(lines[0]["error"].is_null());
    assert_eq!(lines[1]["status"], "failed");
    assert_eq!(lines[1]["source"], "<stdin>:2");
    assert!(lines[1]["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("invalid JSON"));
    assert_eq!(lines[2]["id"], "c");
    assert_eq!(lines[2]["published"], "2025-08-21");
    assert_eq!(lines[2]["authors"][0], "Jo Roe");
    assert_eq!(lines[2]["outlet"], "Wire");
    assert_eq!(lines[3]["error"]["message"], "no \"text\" field");
    // Logs go to stderr only; nothing but JSON lines on stdout.
    assert!(!stdout.contains("documents:"));
}

#[test]
fn the_acceptance_one_liner_prints_one_json_line() {
    let out = newsmill_with_stdin(
        &root(),
        &["run", "--input", "-", "--output", "-"],
        "{\"id\":\"a\",\"text\":\"Jane Doe said, \\\"It works.\\\"\"}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let doc: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(doc["id"], "a");
}

#[test]
fn streamed_lines_match_the_printed_schema() {
    let schema = newsmill(&root(), &["schema"]);
    assert_eq!(schema.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap();
    let mut input = String::new();
    for entry in std::fs::read_dir(root().join("data/articles")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        input.push_str(&serde_json::json!({"id": id, "text": text}).to_string());
        input.push('\n');
    }
    input.push_str("{broken\n");
    let out = newsmill_with_stdin(&root(), &["run", "--input", "-", "--output", "-"], &input);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 6);
    for line in stdout.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let problems = export::schema_mismatches(&value, &schema, "$");
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
