//! WARC input: one document per HTML response, other records skipped, broken records
//! failing alone, plain and gzipped (one gzip member per record, as Common Crawl writes).

use std::io::Write;

use ingest::{plan_inputs, FileReader, IngestOptions, WalkOptions};
use model::{Document, Format};

fn record(kind: &str, id: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
         WARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-05T10:11:12Z\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(id: &str, uri: &str, http_type: &str, body: &[u8]) -> Vec<u8> {
    let mut block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {http_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    block.extend_from_slice(body);
    record(
        "response",
        id,
        uri,
        "application/http; msgtype=response",
        &block,
    )
}

/// The records of the fixture, in order: warcinfo, request, page one (UTF-8), a record
/// whose Content-Length is not a number, page two (Windows-1252 by its HTTP header), an
/// image response.
fn records() -> Vec<Vec<u8>> {
    let page_one = "<html><head><title>Rain returns</title></head><body><article>\
        <p>The first rain in months fell on Tuesday, and farmers said it came just in time.</p>\
        </article></body></html>";
    let page_two = b"<html><body><p>The caf\xe9 reopened on Main Street after the \x93long\x94 repairs.</p></body></html>";
    vec![
        record(
            "warcinfo",
            "info-1",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        record(
            "request",
            "req-1",
            "https://news.example.com/rain",
            "application/http; msgtype=request",
            b"GET /rain HTTP/1.1\r\nHost: news.example.com\r\n\r\n",
        ),
        response(
            "page-1",
            "https://news.example.com/rain",
            "text/html; charset=utf-8",
            page_one.as_bytes(),
        ),
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\ngarbage\r\n\r\n".to_vec(),
        response(
            "page-2",
            "https://news.example.com/cafe",
            "text/html; charset=windows-1252",
            page_two,
        ),
        response(
            "img-1",
            "https://news.example.com/a.png",
            "image/png",
            b"\x89PNG....",
        ),
    ]
}

fn read_all(path: &std::path::Path) -> Vec<Document> {
    FileReader::new(plan(&[path.to_path_buf()]), IngestOptions::default()).collect()
}

fn plan(paths: &[std::path::PathBuf]) -> Vec<ingest::InputFile> {
    let extensions = IngestOptions::default().extensions;
    let walk = WalkOptions {
        extensions: &extensions,
        output: None,
    };
    plan_inputs(paths, &walk).unwrap().files
}

fn assert_pages(docs: &[Document], broken: &str) {
    let summary: Vec<(String, bool)> = docs.iter().map(|d| (d.id.clone(), d.is_ok())).collect();
    assert_eq!(
        summary,
        [
            ("page-1".to_string(), true),
            (broken.to_string(), false),
            ("page-2".to_string(), true)
        ]
    );
    let (one, two) = (&docs[0], &docs[2]);
    assert_eq!(one.format, Format::Html);
    assert_eq!(
        one.meta.url.as_deref(),
        Some("https://news.example.com/rain")
    );
    assert_eq!(one.meta.published.unwrap().to_string(), "2024-03-05");
    assert!(one.text().contains("first rain in months"));
    assert!(
        two.text().contains("The café reopened"),
        "decoded by the header's charset"
    );
    assert!(two.text().contains("“long”"));
    assert!(docs[1].source.ends_with(":record 4"), "{}", docs[1].source);
}

#[test]
fn plain_warc_gives_one_document_per_html_response() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc");
    let mut bytes: Vec<u8> = records().concat();
    // A last record cut short: it fails alone.
    bytes.extend_from_slice(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\n<html>",
    );
    std::fs::write(&path, bytes).unwrap();
    let docs = read_all(&path);
    assert_eq!(
        docs.len(),
        4,
        "{:?}",
        docs.iter().map(|d| &d.id).collect::<Vec<_>>()
    );
    assert_pages(&docs[..3], "record-4");
    let failure = docs[1].failure.as_ref().unwrap();
    assert!(
        failure.message.contains("Content-Length"),
        "{}",
        failure.message
    );
    let truncated = docs[3].failure.as_ref().unwrap();
    assert!(
        truncated.message.contains("truncated"),
        "{}",
        truncated.message
    );
}

#[test]
fn gzipped_warc_reads_member_by_member_and_survives_a_corrupt_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc.gz");
    let mut bytes = Vec::new();
    for (i, r) in records().into_iter().enumerate() {
        if i == 3 {
            // A member whose deflate stream is garbage.
            bytes.extend_from_slice(
                b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\xde\xad\xbe\xef\xde\xad",
            );
            continue;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&r).unwrap();
        bytes.extend_from_slice(&gz.finish().unwrap());
    }
    std::fs::write(&path, bytes).unwrap();
    let docs = read_all(&path);
    assert_pages(&docs, "record-4");
    let failure = docs[1].failure.as_ref().unwrap();
    assert!(failure.message.contains("gzip"), "{}", failure.message);
}

#[test]
fn records_that_are_not_html_responses_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc");
    std::fs::write(&path, records().concat()).unwrap();
    let reader = FileReader::new(plan(&[path]), IngestOptions::default());
    let skipped = reader.skipped_records();
    let docs: Vec<Document> = reader.collect();
    assert_eq!(docs.len(), 3);
    // The warcinfo, the request and the image response.
    assert_eq!(skipped.load(std::sync::atomic::Ordering::Relaxed), 3);
}
