//! The shipped pipelines on the seed articles: every output file snapshotted, examples run,
//! and outputs byte-identical whatever the thread count.

mod common;

use std::path::Path;

use common::*;

/// Runs `config` (relative to the repository root) into a fresh output folder.
fn run_config(config: &str, extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let out_dir = tempfile::tempdir().unwrap();
    let output = out_dir.path().to_str().unwrap().to_string();
    let mut args = vec!["run", "-c", config, "--output", &output, "--quiet"];
    args.extend_from_slice(extra);
    let out = newsmill(&root(), &args);
    (out_dir, out)
}

/// The default pipeline on the seeds, run once per test process and shared by the tests that
/// only read its outputs.
fn default_run() -> &'static Path {
    static RUN: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let dir = root().join("target/e2e-default-run");
        let _ = std::fs::remove_dir_all(&dir);
        let out = newsmill(
            &root(),
            &["run", "--quiet", "--output", dir.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        dir
    })
}

fn snapshot_tree(label: &str, dir: &Path) {
    for (file, bytes) in read_tree(dir) {
        let text = String::from_utf8(bytes).expect("outputs are UTF-8");
        let name = format!("{label}__{}", file.replace('/', "__"));
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn default_pipeline_on_the_seeds() {
    let (dir, out) = run_config("pipeline.toml", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let documents = read_csv(&dir.path().join("documents.csv"));
    assert_eq!(documents.len(), 6, "header and five seeds");
    for stem in seed_stems() {
        assert_eq!(read_document(dir.path(), &stem)["status"], "ok");
    }
    snapshot_tree("default", dir.path());
}

#[test]
fn every_example_config_runs() {
    let mut examples: Vec<_> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 3);
    for example in examples {
        let name = example.file_stem().unwrap().to_string_lossy().into_owned();
        let config = format!("examples/{name}.toml");
        let check = newsmill(&root(), &["check", "-c", &config]);
        assert_eq!(check.status.code(), Some(0), "{name}: {}", stderr(&check));
        let (dir, out) = run_config(&config, &[]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        snapshot_tree(&format!("example_{name}"), dir.path());
    }
}

#[test]
fn dropping_clean_from_the_default_pipeline_still_runs() {
    let config = std::fs::read_to_string(root().join("pipeline.toml")).unwrap();
    let without_clean = config.replacen("\"clean\", ", "", 1);
    assert_ne!(config, without_clean);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pipeline.toml");
    let data = root().join("data/articles");
    std::fs::write(
        &path,
        without_clean.replace(
            "\"data/articles\"",
            &format!("{:?}", data.to_str().unwrap()),
        ),
    )
    .unwrap();
    let out = newsmill(dir.path(), &["run", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !dir.path().join("out/removed.csv").exists(),
        "no clean, no removed table"
    );
    assert_eq!(read_csv(&dir.path().join("out/documents.csv")).len(), 6);
}

#[test]
fn one_and_two_threads_give_byte_identical_outputs() {
    // Enough documents for many windows: the seeds' paragraphs recombined as JSONL articles.
    let corpus = tempfile::tempdir().unwrap();
    let mut paragraphs = Vec::new();
    for entry in std::fs::read_dir(root().join("data/articles")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        paragraphs.extend(text.lines().filter(|l| l.len() > 80).map(str::to_string));
    }
    paragraphs.sort();
    let mut jsonl = String::new();
    for i in 0..400 {
        let text: Vec<&str> = (0..6)
            .map(|k| paragraphs[(i * 7 + k * 13) % paragraphs.len()].as_str())
            .collect();
        let line = serde_json::json!({"id": format!("mix-{i:03}"), "text": text.join("\n\n")});
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    let mix = corpus.path().join("mix.jsonl");
    std::fs::write(&mix, jsonl).unwrap();
    let mix = mix.to_str().unwrap();
    let args = ["--input", "data/articles", "--input", mix];
    let (one, a) = run_config("pipeline.toml", &[&args[..], &["--threads", "1"]].concat());
    let (two, b) = run_config("pipeline.toml", &[&args[..], &["--threads", "2"]].concat());
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    let (one, two) = (read_tree(one.path()), read_tree(two.path()));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    let lines = one["documents.jsonl"]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    assert_eq!(lines, 405, "the seeds and the mix");
    for (file, bytes) in &one {
        assert!(
            bytes == &two[file],
            "{file} differs between 1 and 2 threads"
        );
    }
}

#[test]
fn four_shards_in_any_order_merge_into_the_single_run() {
    let (single, out) = run_config("pipeline.toml", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sharded = tempfile::tempdir().unwrap();
    let output = sharded.path().to_str().unwrap().to_string();
    for index in ["3", "1", "0", "2"] {
        let args = [
            "run",
            "-c",
            "pipeline.toml",
            "--output",
            &output,
            "--quiet",
            "--shard-index",
            index,
            "--shard-count",
            "4",
        ];
        let out = newsmill(&root(), &args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "shard {index}: {}",
            stderr(&out)
        );
    }
    for table in ["documents.csv", "documents.jsonl"] {
        let mut merged: Vec<String> = Vec::new();
        for index in 0..4 {
            let path = sharded
                .path()
                .join(format!("shard-{index:05}-of-00004/{table}"));
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            if table.ends_with(".csv") {
                let header = lines.remove(0);
                if merged.is_empty() {
                    merged.push(header);
                }
            }
            merged.extend(lines);
            assert!(sharded
                .path()
                .join(format!("shard-{index:05}-of-00004/_DONE"))
                .exists());
        }
        let whole = std::fs::read_to_string(single.path().join(table)).unwrap();
        let whole: Vec<&str> = whole.lines().collect();
        assert_eq!(merged, whole, "{table}: shards merged = one run");
    }
    // A rerun of a finished shard is a no-op: nothing is rewritten.
    let marker = sharded.path().join("shard-00001-of-00004/_DONE");
    let before = std::fs::metadata(&marker).unwrap().modified().unwrap();
    std::fs::remove_file(sharded.path().join("shard-00001-of-00004/documents.csv")).unwrap();
    let args = [
        "run",
        "-c",
        "pipeline.toml",
        "--output",
        &output,
        "--shard-index",
        "1",
        "--shard-count",
        "4",
    ];
    let out = newsmill(&root(), &args);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("shard already done"));
    assert_eq!(
        std::fs::metadata(&marker).unwrap().modified().unwrap(),
        before
    );
    assert!(!sharded
        .path()
        .join("shard-00001-of-00004/documents.csv")
        .exists());
}

fn csv_maps(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let rows = read_csv(path);
    rows[1..]
        .iter()
        .map(|r| rows[0].iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

#[test]
fn every_quote_points_at_its_text_in_the_cleaned_text_and_in_the_source() {
    let dir = default_run();
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("data/articles")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let source: Vec<char> = std::fs::read_to_string(&path).unwrap().chars().collect();
        let doc = read_document(dir, &stem);
        let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
        let slice = |chars: &[char], a: &serde_json::Value, b: &serde_json::Value| -> String {
            chars[a.as_u64().unwrap() as usize..b.as_u64().unwrap() as usize]
                .iter()
                .collect()
        };
        for record in ["quotes", "mentions", "claims"] {
            for q in doc[record].as_array().unwrap() {
                let expected = q["text"].as_str().unwrap();
                assert_eq!(
                    slice(&text, &q["start"], &q["end"]),
                    expected,
                    "{stem} {record}"
                );
                assert_eq!(
                    slice(&source, &q["source_start"], &q["source_end"]),
                    expected,
                    "{stem} {record} in the source"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn corroboration_on_the_seeds_meets_the_acceptance() {
    let dir = default_run();
    let groups = csv_maps(&dir.join("quote_groups.csv"));
    let concession = groups
        .iter()
        .find(|g| g["text"].contains("win the following concession"))
        .expect("the concession quote is grouped");
    assert_eq!(
        concession["doc_ids"],
        "002_4d88c86143ff9ccf|003_87b9127092bce8b2"
    );
    assert_eq!(concession["speaker"], "Steve Witkoff");
    assert_eq!(concession["corroborated"], "true");
    let spanning = groups
        .iter()
        .filter(|g| g["sources"].parse::<usize>().unwrap() >= 2);
    assert!(spanning.count() >= 2);

    let entities = csv_maps(&dir.join("corpus_entities.csv"));
    let zelensky: Vec<_> = entities
        .iter()
        .filter(|e| e["variants"].contains("Zelensky"))
        .collect();
    assert_eq!(zelensky.len(), 1, "one corpus person");
    assert_eq!(zelensky[0]["type"], "PERSON");
    assert!(zelensky[0]["variants"].contains("Zelenskyy"));
    assert_eq!(zelensky[0]["doc_ids"].split('|').count(), 5);

    let discrepancies = csv_maps(&dir.join("discrepancies.csv"));
    let donetsk = discrepancies
        .iter()
        .find(|d| d["kind"] == "claim" && d["subject"] == "Donetsk")
        .expect("the Donetsk disagreement");
    assert_eq!(
        donetsk["doc_ids"],
        "003_87b9127092bce8b2|004_7d4e47de9d2a7c7e"
    );
    assert_eq!(donetsk["values"], "0.75|0.7");
}

#[test]
fn cleaning_metadata_reaches_documents_csv_and_headings_the_json() {
    let dir = default_run();
    let docs = csv_maps(&dir.join("documents.csv"));
    let d003 = docs
        .iter()
        .find(|d| d["doc_id"].starts_with("003"))
        .unwrap();
    assert_eq!(
        d003["title"],
        "Trump’s Envoy Claims Major Concessions From Putin for Ukraine Security Guarantees"
    );
    assert_eq!(d003["published"], "2025-08-21");
    assert_eq!(d003["author"], "Charlotte Hayes");
    assert_eq!(d003["image_credit"], "aol");
    let json = read_document(dir, "004_7d4e47de9d2a7c7e");
    assert_eq!(json["headings"].as_array().unwrap().len(), 5);
    assert_eq!(
        json["headings"][0]["text"],
        "Security Guarantees: A NATO-Like Commitment"
    );
}

#[test]
fn the_two_exports_example_differs_only_by_the_formula_guard() {
    let (dir, out) = run_config("examples/two-exports.toml", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut guarded = 0;
    for table in ["documents", "quotes", "removed"] {
        let excel = read_csv(&dir.path().join(format!("excel/{table}.csv")));
        let raw = read_csv(&dir.path().join(format!("raw/{table}.csv")));
        assert_eq!(excel.len(), raw.len(), "{table}");
        for (excel_row, raw_row) in excel.iter().zip(&raw) {
            for (e, r) in excel_row.iter().zip(raw_row) {
                if e != r {
                    assert!(r.starts_with(['=', '+', '-', '@']), "{table}: {r}");
                    assert_eq!(*e, format!("'{r}"), "{table}");
                    guarded += 1;
                }
            }
        }
    }
    // Three quotations (+, -, =) and the removed `- Advertisement -` line.
    assert!(guarded >= 4, "{guarded} cells guarded");
}
