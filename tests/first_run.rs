//! The first run of an installed binary: no pipeline.toml in the folder. `newsmill run
//! --input` runs the built-in default pipeline and says so; `newsmill init` writes it out.

mod common;

use common::*;

const NOTICE: &str = "no pipeline.toml here: using the built-in default pipeline";

fn folder_with_an_article() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    std::fs::write(
        dir.path().join("articles/harbour.txt"),
        "Harbour plan approved\n\nThe council approved the harbour plan on Monday. \"We have waited ten years for this,\" said Maria Lopez, who chairs the port committee.\n",
    )
    .unwrap();
    dir
}

fn stage_list(toml_text: &str) -> Vec<String> {
    let table: toml::Table = toml_text.parse().unwrap();
    table["pipeline"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_built_in_pipeline_lists_the_same_stages_as_the_repository_pipeline() {
    let repo = std::fs::read_to_string(root().join("pipeline.toml")).unwrap();
    let built_in =
        std::fs::read_to_string(root().join("crates/runner/src/default_pipeline.toml")).unwrap();
    assert_eq!(stage_list(&built_in), stage_list(&repo));
}

#[test]
fn without_pipeline_toml_run_with_input_uses_the_built_in_pipeline_and_says_so() {
    let dir = folder_with_an_article();
    let out = newsmill(
        dir.path(),
        &["run", "--input", "articles", "--output", "results"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out).matches(NOTICE).count(), 1, "{}", stderr(&out));
    let quotes = read_csv(&dir.path().join("results/quotes.csv"));
    assert!(
        quotes
            .iter()
            .any(|row| row.iter().any(|c| c.contains("waited ten years"))),
        "{quotes:?}"
    );
    for file in ["documents.csv", "documents.jsonl", "report.html"] {
        assert!(dir.path().join("results").join(file).exists(), "{file}");
    }
    // --quiet keeps stderr empty, the notice included.
    let quiet = newsmill(
        dir.path(),
        &[
            "run", "--quiet", "--input", "articles", "--output", "results",
        ],
    );
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(stderr(&quiet), "");
}

#[test]
fn without_pipeline_toml_and_without_input_nothing_runs_and_the_message_says_what_to_do() {
    let dir = folder_with_an_article();
    for args in [
        &["run"][..],
        &[],
        &["check"],
        &["run", "--output", "results"],
    ] {
        let out = newsmill(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("no pipeline.toml here and no --input"),
            "{err}"
        );
        assert!(err.contains("newsmill init"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert!(!dir.path().join("results").exists());
}

#[test]
fn an_explicit_config_that_is_missing_is_still_an_error() {
    let dir = folder_with_an_article();
    let out = newsmill(
        dir.path(),
        &["run", "-c", "pipeline.toml", "--input", "articles"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read config pipeline.toml"));
}

#[test]
fn init_writes_a_pipeline_that_checks_and_never_overwrites_without_force() {
    let dir = folder_with_an_article();
    let init = newsmill(dir.path(), &["init"]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let path = dir.path().join("pipeline.toml");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.lines().filter(|l| l.starts_with('#')).count() >= 5);
    let repo = std::fs::read_to_string(root().join("pipeline.toml")).unwrap();
    assert_eq!(stage_list(&written), stage_list(&repo));

    let check = newsmill(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(String::from_utf8_lossy(&check.stdout).starts_with("pipeline.toml: ok: "));

    std::fs::write(&path, "# my own edits\n").unwrap();
    let again = newsmill(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# my own edits\n");

    let forced = newsmill(dir.path(), &["init", "--force"]);
    assert_eq!(forced.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);

    // The written file is what runs: no notice about the built-in one.
    let run = newsmill(dir.path(), &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stderr(&run).contains(NOTICE));
    assert!(dir.path().join("results/quotes.csv").exists());
}
