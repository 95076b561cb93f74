//! Hostile and careless input against the real binary (issue 20): special files, a config
//! that is a device, endless lines, the output folder inside the input, symlink loops, the
//! same folder twice, hidden folders, unreadable entries, UTF-16, odd `published` values, and
//! one id rule for files, JSONL, standard input and shards.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use proptest::prelude::*;

const CONFIG: &str = r#"
[pipeline]
input = ["articles"]
output = "out"
stages = ["clean", "quotes", "csv", "json"]
"#;

fn write(path: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A folder with `pipeline.toml` and two short articles in `articles/`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("pipeline.toml"), CONFIG);
    write(
        &dir.path().join("articles/rain.txt"),
        "Rain returns\n\nThe first rain in months fell on Tuesday. \"It came just in time,\" said Ana Ruiz, a farmer.\n",
    );
    write(
        &dir.path().join("articles/bridge.md"),
        "Bridge reopens\n\nThe old bridge reopened on Friday after two years of repairs.\n",
    );
    dir
}

/// Runs the binary in `dir`, killing it if it has not finished within 60 s (a run that
/// blocks on a FIFO would otherwise hang the test suite).
fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsmill"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("newsmill starts");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("newsmill {args:?} still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The `doc_id` column of `documents.csv` under `out`.
fn doc_ids(out: &Path) -> Vec<String> {
    read_csv(&out.join("documents.csv"))[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect()
}

#[cfg(unix)]
#[test]
fn special_files_are_skipped_with_a_warning_naming_them() {
    let dir = project();
    let articles = dir.path().join("articles");
    std::os::unix::fs::symlink("/dev/zero", articles.join("zero.txt")).unwrap();
    let fifo = articles.join("pipe.txt");
    let fifo_made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let out = run_bounded(dir.path(), &["run"]);
    let log = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{log}");
    assert!(
        log.contains("zero.txt: skipped: not a regular file (character device)"),
        "{log}"
    );
    if fifo_made {
        assert!(
            log.contains("pipe.txt: skipped: not a regular file (named pipe (FIFO))"),
            "{log}"
        );
    }
    assert_eq!(doc_ids(&dir.path().join("out")), ["bridge", "rain"]);
    // Named on the command line, they are skipped alike.
    let out = run_bounded(
        dir.path(),
        &["run", "--input", "/dev/zero", "--input", "articles"],
    );
    assert!(
        stderr(&out).contains("warning: /dev/zero: skipped"),
        "{}",
        stderr(&out)
    );
    assert_eq!(doc_ids(&dir.path().join("out")), ["bridge", "rain"]);
}

#[cfg(unix)]
#[test]
fn a_config_that_is_a_device_or_huge_is_refused_unread() {
    let dir = project();
    let out = run_bounded(dir.path(), &["check", "-c", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("cannot read config /dev/zero: not a regular file (character device)"),
        "{}",
        stderr(&out)
    );
    let mut huge = CONFIG.to_string();
    huge.push_str(&format!("# {}\n", "x".repeat(2 << 20)));
    write(&dir.path().join("huge.toml"), huge);
    let out = run_bounded(dir.path(), &["check", "-c", "huge.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("over the limit of 1048576 bytes"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_stdin_line_over_the_limit_is_refused_and_the_next_one_read() {
    let dir = project();
    write(
        &dir.path().join("stream.toml"),
        "[pipeline]\nstages = [\"clean\"]\n[ingest]\nmax_file_bytes = 100000\n",
    );
    let mut input = format!(
        "{{\"id\":\"big\",\"text\":\"{}\"}}\n",
        "word ".repeat(4 << 20)
    );
    input.push_str("{\"id\":\"small\",\"text\":\"Still read.\"}\n");
    let args = ["run", "-c", "stream.toml", "--input", "-", "--output", "-"];
    let out = newsmill_with_stdin(dir.path(), &args, &input);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["source"], "<stdin>:1");
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("over the limit of 100000"), "{message}");
    assert_eq!(
        (&lines[1]["id"], &lines[1]["status"]),
        (&"small".into(), &"ok".into())
    );
}

#[test]
fn the_output_folder_inside_the_input_is_not_read_again() {
    let dir = project();
    let args = ["run", "--input", ".", "--output", "results"];
    write(
        &dir.path().join("pipeline.toml"),
        CONFIG.replace("\"articles\"", "\".\""),
    );
    let first = run_bounded(dir.path(), &args);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let second = run_bounded(dir.path(), &args);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("results: the output folder"),
        "{}",
        stderr(&second)
    );
    assert_eq!(doc_ids(&dir.path().join("results")), ["bridge", "rain"]);
}

#[cfg(unix)]
#[test]
fn loops_repeated_inputs_and_hidden_folders_read_each_article_once() {
    let dir = project();
    let articles = dir.path().join("articles");
    std::os::unix::fs::symlink("..", articles.join("up")).unwrap();
    std::os::unix::fs::symlink(".", articles.join("here")).unwrap();
    write(&articles.join(".git/notes.txt"), "Not an article.");
    let args = [
        "run",
        "--input",
        "articles",
        "--input",
        "articles",
        "--input",
        "articles/rain.txt",
    ];
    let out = run_bounded(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(doc_ids(&dir.path().join("out")), ["bridge", "rain"]);
    let log = stderr(&out);
    assert!(log.contains("e.g. articles/.git"), "{log}");
    assert!(
        log.contains("skipped 4 paths to files or folders already read (symlinks, hard links, inputs given twice; e.g. articles/here: the same as articles)"),
        "{log}"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_entry_is_a_row_in_errors_csv_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project();
    let articles = dir.path().join("articles");
    std::os::unix::fs::symlink("gone.txt", articles.join("dangling.txt")).unwrap();
    let private = articles.join("private");
    write(&private.join("secret.txt"), "Not for us.");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o000)).unwrap();
    let root_reads_all = std::fs::read_dir(&private).is_ok();
    let out = run_bounded(dir.path(), &["run"]);
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let errors = read_csv(&dir.path().join("out/errors.csv"));
    let failed: Vec<(&str, &str)> = errors[1..]
        .iter()
        .map(|r| (r[3].as_str(), r[1].as_str()))
        .collect();
    let mut expected = vec![("dangling", "ingest")];
    if !root_reads_all {
        expected.push(("private", "ingest"));
        assert!(errors[2][2].starts_with("cannot list folder"), "{errors:?}");
    }
    assert_eq!(failed, expected);
    assert!(errors[1][2].starts_with("cannot read"), "{errors:?}");
    let ok: Vec<String> = read_csv(&dir.path().join("out/documents.csv"))[1..]
        .iter()
        .filter(|r| r[2] == "ok")
        .map(|r| r[0].clone())
        .collect();
    assert!(ok.contains(&"rain".to_string()) && ok.contains(&"bridge".to_string()));
}

#[test]
fn utf16_files_and_odd_published_values_are_read() {
    let dir = project();
    let text = "Tide turns\r\n\r\n\u{201c}We are ready,\u{201d} said Ana Ruiz.\r\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    write(&dir.path().join("articles/tide.txt"), le);
    write(
        &dir.path().join("articles/feed.jsonl"),
        "{\"id\":\"n\",\"text\":\"Numbers.\",\"published\":20250821}\n{\"id\":\"w\",\"text\":\"Words.\",\"published\":\"soon\"}\n",
    );
    let out = run_bounded(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let docs: Vec<serde_json::Value> =
        std::fs::read_to_string(dir.path().join("out/documents.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    let tide = docs.iter().find(|d| d["id"] == "tide").unwrap();
    assert_eq!(tide["status"], "ok");
    assert!(tide["text"]
        .as_str()
        .unwrap()
        .contains("“We are ready,” said Ana Ruiz."));
    for id in ["n", "w"] {
        let doc = docs.iter().find(|d| d["id"] == id).unwrap();
        assert_eq!(doc["status"], "ok");
        let warning = doc["warnings"][0]["message"].as_str().unwrap();
        assert!(
            warning.starts_with("\"published\" is not a date"),
            "{warning}"
        );
    }
}

/// Stems that repeat across folders, JSONL ids that repeat stems and each other, ids that
/// are not safe for file names.
fn id_corpus(articles: &Path) {
    for (path, text) in [
        ("a/story.txt", "One said, \"yes.\""),
        ("b/story.txt", "Two."),
        ("b/story-2.md", "Three."),
        ("c/wire.txt", "Four."),
        ("d/wire.txt", "Five."),
    ] {
        write(&articles.join(path), text);
    }
    write(
        &articles.join("c/feed.jsonl"),
        "{\"id\":\"story\",\"text\":\"Six.\"}\n{\"id\":\"../../x\",\"text\":\"Seven.\"}\n{\"text\":\"No id.\"}\n{\"id\":\"wire\",\"text\":\"Eight.\"}\n",
    );
}

#[test]
fn an_id_never_starts_like_an_option_or_a_formula() {
    let dir = project();
    write(&dir.path().join("articles/-2 3.txt"), "Minus two three.");
    let out = run_bounded(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The CSV cell (formula guard on) and the file name say the same.
    assert_eq!(doc_ids(&dir.path().join("out")), ["_2_3", "bridge", "rain"]);
    assert!(dir.path().join("out/documents/_2_3.json").exists());
}

#[test]
fn jsonl_ids_are_the_same_from_a_file_and_from_stdin() {
    let dir = project();
    let lines = "{\"id\":\"../../x\",\"text\":\"One.\"}\n{\"id\":\"../../x\",\"text\":\"Two.\"}\n{\"id\":7,\"text\":\"Three.\"}\n{\"text\":\"Four.\"}\n";
    write(&dir.path().join("feed.jsonl"), lines);
    let out = run_bounded(
        dir.path(),
        &["run", "--input", "feed.jsonl", "--output", "files"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let from_file = doc_ids(&dir.path().join("files"));
    assert_eq!(from_file, ["_.._x", "_.._x-2", "7", "line-4"]);
    let args = ["run", "--input", "-", "--output", "-"];
    let out = newsmill_with_stdin(dir.path(), &args, lines);
    let from_stdin: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(from_stdin, from_file);
}

#[test]
fn shards_merge_to_exactly_the_ids_of_one_run() {
    let dir = project();
    id_corpus(&dir.path().join("articles"));
    let out = run_bounded(dir.path(), &["run", "--output", "whole"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let whole = doc_ids(&dir.path().join("whole"));
    assert_eq!(whole.len(), 2 + 5 + 4);
    let mut unique = whole.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), whole.len(), "{whole:?}");
    for count in [2, 3, 5] {
        let mut merged = Vec::new();
        for index in 0..count {
            let (i, n) = (index.to_string(), count.to_string());
            let output = format!("sharded-{count}");
            let args = [
                "run",
                "--output",
                &output,
                "--shard-index",
                &i,
                "--shard-count",
                &n,
            ];
            let out = run_bounded(dir.path(), &args);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let folder = dir
                .path()
                .join(&output)
                .join(format!("shard-{index:05}-of-{count:05}"));
            merged.extend(doc_ids(&folder));
        }
        assert_eq!(merged, whole, "{count} shards");
    }
}

/// TOML-ish text: real keys and values, broken brackets and quotes, and arbitrary strings.
fn toml_ish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[pipeline]\n".to_string()),
        Just("[ingest]\n".to_string()),
        Just("[stages.quotes]\n".to_string()),
        Just("[[stages]]\n".to_string()),
        Just("stages = [\"clean\", \"csv\"]\n".to_string()),
        Just("stages = []\n".to_string()),
        Just("input = \"articles\"\n".to_string()),
        Just("output = \"out\"\n".to_string()),
        Just("max_file_bytes = -1\n".to_string()),
        Just("threads = 99999999999999999999\n".to_string()),
        Just("extensions = [1, {a = 2}]\n".to_string()),
        Just("\"\"\"".to_string()),
        Just("= = [\n".to_string()),
        Just("é\u{0}\r\n".to_string()),
        "[a-z_.\\[\\]=\" \n0-9]{0,24}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

proptest! {
    // Each case starts the binary: few cases, still every kind of piece many times over.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn config_parsing_never_panics(text in toml_ish()) {
        let dir = project();
        write(&dir.path().join("fuzz.toml"), &text);
        let out = run_bounded(dir.path(), &["check", "-c", "fuzz.toml"]);
        let log = stderr(&out);
        prop_assert!(matches!(out.status.code(), Some(0) | Some(2)), "{:?}: {}", out.status, log);
        prop_assert!(!log.contains("panicked"), "{}", log);
        if out.status.code() == Some(2) {
            prop_assert!(log.contains("error"), "{}", log);
        }
    }
}
