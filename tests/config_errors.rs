//! Every kind of config problem, as the user sees it: exit code 2, nothing read or written,
//! each message naming the file and line:column.

mod common;

use common::*;

/// (name, config) pairs; each runs `newsmill check` and `newsmill run` in a folder that
/// holds `data/` and a file called `occupied` (to stand in for an unusable output folder).
const CASES: &[(&str, &str)] = &[
    (
        "typo_in_stage_name",
        r#"[pipeline]
input = ["data"]
stages = ["clen", "quotes", "csv"]
"#,
    ),
    (
        "unknown_option_key",
        r#"[pipeline]
input = ["data"]
stages = ["clean", "csv"]

[stages.csv]
formula_gaurd = false
"#,
    ),
    (
        "wrong_value_type",
        r#"[pipeline]
input = ["data"]
stages = ["csv", "json"]
threads = "two"

[stages.json]
per_document = "yes"
"#,
    ),
    (
        "need_not_provided",
        r#"[pipeline]
input = ["data"]
stages = ["quotes", "corroborate", "csv"]
"#,
    ),
    (
        "missing_input_path",
        r#"[pipeline]
input = ["data", "no-such-folder"]
stages = ["csv"]
"#,
    ),
    (
        "output_is_a_file",
        r#"[pipeline]
input = "data"
output = "occupied"
stages = ["csv"]
"#,
    ),
    (
        "invalid_toml",
        r#"[pipeline]
input = ["data"
stages = ["csv"]
"#,
    ),
    (
        "unknown_top_level_and_pipeline_keys",
        r#"[pipline]
stages = ["csv"]

[pipeline]
inputs = ["data"]
stages = ["csv"]
"#,
    ),
    (
        "stage_listed_twice",
        r#"[pipeline]
input = ["data"]
stages = ["csv", "json", "csv"]
"#,
    ),
    (
        "cleaning_after_extraction",
        r#"[pipeline]
input = ["data"]
stages = ["quotes", "clean", "csv"]
"#,
    ),
    (
        "bad_on_error_and_named_instance_of_unknown_type",
        r#"[pipeline]
input = ["data"]
stages = ["quotes_strict", "csv"]

[stages.quotes_strict]
type = "qoutes"

[stages.csv]
on_error = "ignore"
"#,
    ),
    (
        "no_pipeline_table",
        r#"[stages.csv]
formula_guard = true
"#,
    ),
    (
        "no_exporter",
        r#"[pipeline]
input = ["data"]
stages = ["clean"]
"#,
    ),
    (
        "bad_user_regex",
        r#"[pipeline]
input = ["data"]
stages = ["clean", "csv"]

[stages.clean.byline]
extra_patterns = ["(unclosed"]
"#,
    ),
    (
        "every_bad_key_of_every_section",
        r#"[pipeline]
input = ["data"]
stages = ["clean", "csv"]

[ingest]
max_file_bytes = "big"
extensionz = ["txt"]

[stages.clean]
date_order = 5
straighten_qoutes = true

[stages.clean.masthead]
enabled = "no"
bogus = 1

[stages.csv]
formula_gaurd = false
dir = 7
"#,
    ),
    (
        "exporter_folders_outside_the_output_or_shared",
        r#"[pipeline]
input = ["data"]
stages = ["csv", "csv_again", "json", "json_up", "report", "report_abs", "report_too"]

[stages.csv]
dir = "tables"

[stages.csv_again]
type = "csv"
dir = "./tables/"

[stages.json]
dir = ".newsmill"

[stages.json_up]
type = "json"
dir = "tables/../../elsewhere"

[stages.report_abs]
type = "report"
file = "/tmp/report.html"

[stages.report_too]
type = "report"
"#,
    ),
];

#[test]
fn config_errors_are_reported_all_at_once_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/a.txt"), "Text.").unwrap();
    std::fs::write(dir.path().join("occupied"), "a file, not a folder").unwrap();
    for (name, config) in CASES {
        std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
        let check = newsmill(dir.path(), &["check"]);
        assert_eq!(check.status.code(), Some(2), "{name}: {}", stderr(&check));
        let run = newsmill(dir.path(), &["run"]);
        assert_eq!(run.status.code(), Some(2), "{name}");
        assert_eq!(stderr(&run), stderr(&check), "{name}: run and check agree");
        assert!(
            !dir.path().join("out").exists(),
            "{name}: nothing was written"
        );
        insta::assert_snapshot!(*name, format!("{config}\n---\n{}", stderr(&check)));
    }
}

#[test]
fn the_default_pipeline_with_clean_misspelled_names_file_line_column_and_suggests_clean() {
    let dir = tempfile::tempdir().unwrap();
    let config = std::fs::read_to_string(root().join("pipeline.toml")).unwrap();
    assert!(config.contains("\"clean\""));
    let broken = config.replacen("\"clean\"", "\"clen\"", 1);
    std::fs::write(dir.path().join("pipeline.toml"), &broken).unwrap();
    std::fs::create_dir_all(dir.path().join("data/articles")).unwrap();
    let out = newsmill(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let line = broken.lines().position(|l| l.contains("\"clen\"")).unwrap() + 1;
    let column = broken
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("\"clen\"")
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "pipeline.toml:{line}:{column}: unknown stage `clen`"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `clean`?"), "{err}");
}
