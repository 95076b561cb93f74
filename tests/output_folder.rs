//! The output folder as a whole: a run's tables appear together or not at all, tables of
//! earlier runs do not survive beside them, what dead runs left is cleaned at the next start,
//! and two runs on one folder do not interleave.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

const HARBOUR: &str = "Harbour plan approved\n\nThe council approved the harbour plan on Monday. \"We have waited ten years for this,\" said Maria Lopez, who chairs the port committee.\n";
const BRIDGE: &str = "Bridge reopens\n\nThe old bridge reopened on Friday after two years of repairs, the city said. \"Traffic will flow again,\" said Tom Reed, the city engineer.\n";

/// A folder with `articles/` holding the given (name, text) files.
fn folder(articles: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    for (name, text) in articles {
        std::fs::write(dir.path().join("articles").join(name), text).unwrap();
    }
    dir
}

fn run(dir: &Path, stages: &str, extra: &str) -> std::process::Output {
    let config =
        format!("[pipeline]\ninput = \"articles\"\noutput = \"out\"\nstages = [{stages}]\n{extra}");
    std::fs::write(dir.join("pipeline.toml"), config).unwrap();
    newsmill(dir, &["run", "--quiet"])
}

/// The names in the output folder users see (the `.newsmill` folder left out).
fn listing(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".newsmill")
        .collect();
    names.sort();
    names
}

/// The generations kept under `.newsmill/`.
fn generations(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join(".newsmill"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    names.sort();
    names
}

#[test]
fn tables_of_an_earlier_run_do_not_survive_a_smaller_run() {
    let dir = folder(&[("harbour.txt", HARBOUR), ("bridge.txt", BRIDGE)]);
    let full = run(
        dir.path(),
        r#""clean", "quotes", "entities", "csv", "json""#,
        "",
    );
    assert_eq!(full.status.code(), Some(0), "{}", stderr(&full));
    let out = dir.path().join("out");
    assert!(out.join("entities.csv").is_file());
    assert_eq!(std::fs::read_dir(out.join("documents")).unwrap().count(), 2);

    std::fs::remove_file(dir.path().join("articles/bridge.txt")).unwrap();
    let quotes_only = run(dir.path(), r#""clean", "quotes", "csv""#, "");
    assert_eq!(
        quotes_only.status.code(),
        Some(0),
        "{}",
        stderr(&quotes_only)
    );
    assert_eq!(
        listing(&out),
        ["documents.csv", "errors.csv", "quotes.csv", "removed.csv"],
        "no entities.csv, documents.jsonl or documents/ of the earlier run"
    );
    assert_eq!(
        read_csv(&out.join("documents.csv")).len(),
        2,
        "header and one"
    );
    assert_eq!(
        generations(&out),
        ["gen-000002"],
        "the replaced run is removed"
    );

    // The per-document JSON files are the current run's only.
    let again = run(dir.path(), r#""clean", "json""#, "");
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let json: Vec<_> = std::fs::read_dir(out.join("documents")).unwrap().collect();
    assert_eq!(json.len(), 1);
}

#[test]
fn what_dead_runs_left_is_removed_at_the_next_start() {
    let dir = folder(&[("harbour.txt", HARBOUR)]);
    let out = dir.path().join("out");
    // A generation a killed run was writing, an older version's staging folder, and a link
    // into the current generation to a table it does not have.
    std::fs::create_dir_all(out.join(".newsmill/gen-000007/documents")).unwrap();
    std::fs::write(out.join(".newsmill/gen-000007/quotes.csv"), "half written").unwrap();
    std::fs::create_dir_all(out.join(".newsmill-staging-csv-4242")).unwrap();
    std::fs::write(out.join(".newsmill-staging-csv-4242/quotes.csv"), "x").unwrap();
    std::fs::write(out.join(".newsmill-staging-report.html-4242"), "<html>").unwrap();
    std::os::unix::fs::symlink(".newsmill/current/claims.csv", out.join("claims.csv")).unwrap();

    let first = run(dir.path(), r#""clean", "quotes", "csv""#, "");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(generations(&out), ["gen-000001"]);
    assert!(!out.join(".newsmill-staging-csv-4242").exists());
    assert!(!out.join(".newsmill-staging-report.html-4242").exists());
    assert!(!listing(&out).contains(&"claims.csv".to_string()));
    let quotes = read_csv(&out.join("quotes.csv"));
    assert!(
        quotes
            .iter()
            .flatten()
            .any(|c| c.contains("waited ten years")),
        "{quotes:?}"
    );
}

/// A run killed half way leaves the previous run whole and readable; the next run removes
/// what it left.
#[test]
fn a_killed_run_leaves_the_previous_outputs_whole() {
    let dir = folder(&[("harbour.txt", HARBOUR)]);
    let config = "[pipeline]\ninput = \"articles\"\noutput = \"out\"\nstages = [\"clean\", \"quotes\", \"csv\"]\n";
    std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
    let first = newsmill(dir.path(), &["run", "--quiet"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let out = dir.path().join("out");
    let before = read_tree(&out);

    // The second run reads standard input, which stays open: it is killed while writing.
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsmill"))
        .current_dir(dir.path())
        .args(["run", "--quiet", "--input", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for i in 0..50 {
        let line = serde_json::json!({"id": format!("late-{i}"), "text": BRIDGE});
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
    let staging = out.join(".newsmill/gen-000002");
    for _ in 0..200 {
        if staging.join("quotes.csv").exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(staging.exists(), "the second run writes its own generation");
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert_eq!(read_tree(&out), before, "the first run, whole");

    let third = newsmill(dir.path(), &["run", "--quiet"]);
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    assert_eq!(
        generations(&out),
        ["gen-000002"],
        "the dead generation is gone"
    );
    assert_eq!(read_tree(&out), before, "same input, same outputs");
}

#[test]
fn a_second_run_on_a_folder_in_use_stops_with_a_clear_error() {
    let dir = folder(&[("harbour.txt", HARBOUR)]);
    let first = run(dir.path(), r#""clean", "csv""#, "");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let out = dir.path().join("out");
    let before = read_tree(&out);
    // Holds the lock as a running newsmill would.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(out.join(".newsmill/lock"))
        .unwrap();
    lock.lock().unwrap();
    let second = newsmill(dir.path(), &["run"]);
    assert_eq!(second.status.code(), Some(1));
    let err = stderr(&second);
    assert!(
        err.contains("is being written by another newsmill run"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(read_tree(&out), before);
    drop(lock);
    let third = newsmill(dir.path(), &["run", "--quiet"]);
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
}
