//! The command line under hostile conditions: a reader that closes the pipe, a full disk,
//! absurd thread counts and an empty stage list end with an exit code and a message, never
//! a panic.

mod common;

use std::process::{Command, Output, Stdio};

use common::*;

fn newsmill_to(stdout: impl Into<Stdio>, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "[pipeline]\ninput = \".\"\nstages = [\"clean\", \"csv\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "The bridge opens on Friday, the council said.\n",
    )
    .unwrap();
    Command::new(env!("CARGO_BIN_EXE_newsmill"))
        .current_dir(dir.path())
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

const PRINTING: [&[&str]; 3] = [&["stages"], &["schema"], &["check"]];

#[test]
fn a_closed_pipe_ends_the_command_quietly_with_success() {
    for args in PRINTING {
        let (reader, writer) = std::io::pipe().unwrap();
        // The reader is gone before the first write: every write fails with EPIPE.
        drop(reader);
        let out = newsmill_to(writer, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

/// A streamed run whose reader is gone has not delivered its documents: that is a failure.
#[test]
fn a_streamed_run_into_a_closed_pipe_is_exit_1_with_one_line() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = newsmill_to(writer, &["run", "--quiet", "--output", "-"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("standard output"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_exit_1_with_one_line_on_stderr() {
    for args in PRINTING {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = newsmill_to(full, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("error: cannot write to standard output:"),
            "{err}"
        );
    }
}

fn limit() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores * 4).min(256)
}

#[test]
fn too_many_threads_is_a_usage_error_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/a.txt"), "Some text.").unwrap();
    let config = "[pipeline]\ninput = \"data\"\noutput = \"out\"\nstages = [\"clean\", \"csv\"]\n";
    std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
    let too_many = (limit() + 1).to_string();
    for threads in ["99999", too_many.as_str(), "18446744073709551615"] {
        let out = newsmill(dir.path(), &["run", "--threads", threads]);
        assert_eq!(out.status.code(), Some(2), "{threads}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "error: --threads: {threads} is too many: at most {}",
                limit()
            )),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            !dir.path().join("out").exists(),
            "{threads}: nothing written"
        );
    }
    for threads in ["0", "1", &limit().to_string()] {
        let out = newsmill(dir.path(), &["run", "--quiet", "--threads", threads]);
        assert_eq!(out.status.code(), Some(0), "{threads}: {}", stderr(&out));
    }

    std::fs::write(
        dir.path().join("pipeline.toml"),
        format!("{config}threads = 1000\n"),
    )
    .unwrap();
    let out = newsmill(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("pipeline.toml:5:11: [pipeline] `threads`: 1000 is too many"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_empty_stage_list_is_an_error_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("pipeline.toml"),
        "[pipeline]\ninput = \"data\"\noutput = \"out\"\nstages = []\n",
    )
    .unwrap();
    for command in ["check", "run"] {
        let out = newsmill(dir.path(), &[command]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(
            stderr(&out).contains("pipeline.toml:4:10: [pipeline] `stages` is empty"),
            "{}",
            stderr(&out)
        );
        assert!(!dir.path().join("out").exists());
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_behind_stderr_keeps_the_exit_code_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    // No pipeline.toml and no --input: a usage error whose message cannot be written.
    let out = Command::new(env!("CARGO_BIN_EXE_newsmill"))
        .current_dir(dir.path())
        .arg("run")
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
