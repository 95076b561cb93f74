//! One id rule for every input: file stems, JSONL ids and standard input alike are made safe
//! and unique in input order, and a shard that starts at file `k` gives its documents the ids
//! a run over all the files gives them.

use std::path::Path;

use ingest::{plan_inputs, FileReader, IngestOptions, InputFile, WalkOptions};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Duplicate stems across folders, JSONL ids that repeat a stem, each other and themselves,
/// ids that are not safe, lines without ids, a page and a broken file.
fn corpus(root: &Path) -> Vec<InputFile> {
    write(&root.join("a/story.txt"), "One.");
    write(&root.join("b/story.txt"), "Two.");
    write(&root.join("b/story-2.txt"), "Three.");
    write(
        &root.join("c/feed.jsonl"),
        concat!(
            r#"{"id":"story","text":"Four."}"#,
            "\n",
            r#"{"id":"../../x","text":"Five."}"#,
            "\n",
            r#"{"text":"No id."}"#,
            "\n",
            "not json\n",
            r#"{"id":"story","text":"Six."}"#,
            "\n"
        ),
    );
    write(&root.join("c/page.html"), "<p>Seven.</p>");
    write(
        &root.join("d/feed.jsonl"),
        "{\"id\":\"line-3\",\"text\":\"Eight.\"}\n{\"id\":\"_.._x\",\"text\":\"Nine.\"}\n",
    );
    write(&root.join("d/story.txt"), "");
    write(&root.join("e/crawl.warc"), &crawl());
    let extensions = IngestOptions::default().extensions;
    let walk = WalkOptions {
        extensions: &extensions,
        output: None,
    };
    plan_inputs(&[root.to_path_buf()], &walk).unwrap().files
}

/// A web archive: a request (no document), a page whose id repeats a stem, an image
/// response (an id taken, no document), a broken record, and a page whose id repeats the
/// image's.
fn crawl() -> String {
    let record = |kind: &str, id: &str, length: &str, block: &str| {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nContent-Length: {length}\r\n\r\n{block}\r\n\r\n"
        )
    };
    let http = |content_type: &str, body: &str| {
        format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n{body}")
    };
    let page = http("text/html", "<p>Ten.</p>");
    let image = http("image/png", "PNG");
    [
        record("request", "r1", "3", "GET"),
        record("response", "story", &page.len().to_string(), &page),
        record("response", "img", &image.len().to_string(), &image),
        record("response", "bad", "many", "x"),
        record("response", "img", &page.len().to_string(), &page),
    ]
    .concat()
}

fn ids(reader: FileReader) -> Vec<String> {
    reader.map(|d| d.id).collect()
}

#[test]
fn every_input_follows_one_rule() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path());
    let all = ids(FileReader::new(files, IngestOptions::default()));
    assert_eq!(
        all,
        [
            // a/story, b/story-2 (sorted before b/story), b/story, then c/feed.jsonl
            "story", "story-2", "story-3", "story-4", "_.._x", "line-3", "line-4", "story-5",
            "page", "line-3-2", "_.._x-2", "story-6",
            // e/crawl.warc: `img` was taken by the image, which is no document
            "story-7", "record-4", "img-2"
        ]
    );
    // The same lines on standard input, after the same files, get the same ids.
    let dir2 = tempfile::tempdir().unwrap();
    let mut files = corpus(dir2.path());
    let jsonl = files.remove(3);
    assert!(jsonl.path.ends_with("c/feed.jsonl"));
    let stdin = std::fs::read(&jsonl.path).unwrap();
    let without: Vec<InputFile> = files[..3].to_vec();
    let streamed = ids(FileReader::new(without, IngestOptions::default())
        .then_stream(Box::new(std::io::Cursor::new(stdin)), "<stdin>"));
    assert_eq!(streamed, all[..8]);
}

#[test]
fn shards_give_the_ids_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path());
    let all = ids(FileReader::new(files.clone(), IngestOptions::default()));
    for count in 1..=files.len() + 1 {
        let mut merged = Vec::new();
        for index in 0..count {
            // The runner's split: a contiguous share of the sorted files.
            let (start, end) = (
                index * files.len() / count,
                (index + 1) * files.len() / count,
            );
            let reader = FileReader::new(files[..end].to_vec(), IngestOptions::default());
            merged.extend(ids(reader.starting_at(start)));
        }
        assert_eq!(merged, all, "{count} shards");
    }
}
