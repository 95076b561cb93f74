//! The folder walk: sorted, each file once however it is reached, never through a symlink
//! loop, into the output folder or into hidden folders; special files skipped with a reason;
//! what cannot be examined planned as a failed document.

use std::path::{Path, PathBuf};

use ingest::{plan_inputs, FileReader, IngestOptions, InputKind, Planned, SkipReason, WalkOptions};

fn plan(paths: &[PathBuf], output: Option<&Path>) -> Planned {
    let extensions = IngestOptions::default().extensions;
    let walk = WalkOptions {
        extensions: &extensions,
        output,
    };
    plan_inputs(paths, &walk).unwrap()
}

/// The planned files, relative to `base`.
fn names(planned: &Planned, base: &Path) -> Vec<String> {
    planned
        .files
        .iter()
        .map(|f| f.path.strip_prefix(base).unwrap().display().to_string())
        .collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn files_come_sorted_by_path_and_hidden_entries_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for name in [
        "b.txt",
        "a/z.md",
        "a.txt",
        "a-b.txt",
        ".git/HEAD.txt",
        "notes.pdf",
        ".x.txt",
    ] {
        write(&root.join(name), "Text.");
    }
    let planned = plan(&[root.to_path_buf()], None);
    assert_eq!(
        names(&planned, root),
        ["a/z.md", "a-b.txt", "a.txt", "b.txt"]
    );
    let skipped: Vec<(String, &SkipReason)> = planned
        .skipped
        .iter()
        .map(|s| {
            (
                s.path.strip_prefix(root).unwrap().display().to_string(),
                &s.reason,
            )
        })
        .collect();
    assert_eq!(
        skipped,
        [
            (".git".to_string(), &SkipReason::Hidden),
            (".x.txt".to_string(), &SkipReason::Hidden),
            ("notes.pdf".to_string(), &SkipReason::OtherExtension),
        ]
    );
}

#[test]
fn the_output_folder_inside_an_input_folder_is_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("story.txt"), "Text.");
    write(
        &root.join("out/documents/story.txt"),
        "An earlier run's output.",
    );
    let planned = plan(&[root.to_path_buf()], Some(&root.join("out")));
    assert_eq!(names(&planned, root), ["story.txt"]);
    assert_eq!(planned.skipped[0].reason, SkipReason::OutputFolder);
    // Named by another path to the same folder, it is still the output folder.
    let planned = plan(&[root.to_path_buf()], Some(&root.join("out/../out")));
    assert_eq!(names(&planned, root), ["story.txt"]);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_second_paths_read_each_file_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    write(&root.join("a/story.txt"), "Text.");
    symlink("..", root.join("a/up")).unwrap(); // a loop: a/up/a/up/…
    symlink("a", root.join("b")).unwrap(); // the same folder by a second path
    symlink("a/story.txt", root.join("c.txt")).unwrap(); // the same file by a second path
    std::fs::hard_link(root.join("a/story.txt"), root.join("d.txt")).unwrap();
    let given = [root.clone(), root.clone(), root.join("a")];
    let planned = plan(&given, None);
    assert_eq!(names(&planned, &root), ["a/story.txt"]);
    let reasons: Vec<String> = planned
        .skipped
        .iter()
        .map(|s| s.reason.to_string())
        .collect();
    let first = |p: &str| {
        let path = if p.is_empty() {
            root.clone()
        } else {
            root.join(p)
        };
        format!("the same as {}", path.display())
    };
    assert_eq!(
        reasons,
        [
            first(""),
            first("a"),
            first("a/story.txt"),
            first("a/story.txt"),
            first(""),
            first("a")
        ]
    );
}

#[cfg(unix)]
#[test]
fn special_files_are_skipped_and_named_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("story.txt"), "Text.");
    std::os::unix::fs::symlink("/dev/zero", root.join("zero.txt")).unwrap();
    let fifo = root.join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let fifo_made = made.is_ok_and(|s| s.success());
    let planned = plan(&[root.to_path_buf(), root.join("zero.txt")], None);
    assert_eq!(names(&planned, root), ["story.txt"]);
    let mut special: Vec<String> = planned
        .skipped
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s.path.file_name().unwrap().to_string_lossy(),
                s.reason
            )
        })
        .collect();
    special.dedup();
    let mut expected = vec!["zero.txt: not a regular file (character device)"];
    if fifo_made {
        expected.insert(0, "pipe.txt: not a regular file (named pipe (FIFO))");
    }
    assert_eq!(special, expected);
    let summary = ingest::skipped_summary(&planned.skipped);
    assert!(
        summary.iter().all(|l| l.starts_with("warning: ")),
        "{summary:?}"
    );
    assert!(
        summary[0].contains(&root.display().to_string()),
        "{summary:?}"
    );
}

#[cfg(unix)]
#[test]
fn what_cannot_be_examined_is_a_failed_document_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("a.txt"), "First.");
    write(&root.join("z.txt"), "Last.");
    // A dangling link with an article's name, and one without.
    std::os::unix::fs::symlink("gone.txt", root.join("m.txt")).unwrap();
    std::os::unix::fs::symlink("gone", root.join("n.pdf")).unwrap();
    let planned = plan(&[root.to_path_buf()], None);
    assert_eq!(names(&planned, root), ["a.txt", "m.txt", "z.txt"]);
    assert!(
        matches!(&planned.files[1].kind, InputKind::Unreadable(m) if m.starts_with("cannot read"))
    );
    let docs: Vec<model::Document> =
        FileReader::new(planned.files, IngestOptions::default()).collect();
    let summary: Vec<(&str, bool)> = docs.iter().map(|d| (d.id.as_str(), d.is_ok())).collect();
    assert_eq!(summary, [("a", true), ("m", false), ("z", true)]);
    assert_eq!(docs[1].failure.as_ref().unwrap().stage, "ingest");
}

/// Listing a folder that cannot be read (permissions; root reads everything, so this is
/// skipped there) plans it as one failed document.
#[cfg(unix)]
#[test]
fn an_unlistable_folder_is_a_failed_document() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("a.txt"), "First.");
    write(&root.join("private/b.txt"), "Hidden by permissions.");
    let private = root.join("private");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o000)).unwrap();
    let listable = std::fs::read_dir(&private).is_ok();
    let planned = plan(&[root.to_path_buf()], None);
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o755)).unwrap();
    if listable {
        eprintln!("running as root: permissions do not stop a listing, nothing to test");
        return;
    }
    assert_eq!(names(&planned, root), ["a.txt", "private"]);
    assert!(
        matches!(&planned.files[1].kind, InputKind::Unreadable(m) if m.starts_with("cannot list folder")),
        "{:?}",
        planned.files[1]
    );
}
