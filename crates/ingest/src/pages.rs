//! Web input: HTML files (plain or gzipped) and the HTML responses of WARC files become
//! documents marked [`Format::Html`], decoded by their declared charset; the `extract_html`
//! stage then finds their article text and metadata.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use model::{Document, Format};

use crate::charset::decode_page;
use crate::read::{self, ReadError};
use crate::warc::{charset_of, header, parse_http, Next, Record, Records};
use crate::{IdAllocator, STAGE};

/// A page's bytes as a document (failed when empty or binary).
pub fn html_document(id: String, source: String, bytes: &[u8], charset: Option<&str>) -> Document {
    let decoded = decode_page(bytes, charset);
    if decoded.text.trim().is_empty() {
        return Document::failed(id, source, STAGE, "empty page (nothing but whitespace)");
    }
    let mut doc = Document::new(id, source, decoded.text);
    doc.format = Format::Html;
    if let Some(w) = decoded.warning {
        doc.warn(STAGE, w);
    }
    doc
}

/// An `.html`/`.htm` file, or its gzipped `.gz`, at most `max_bytes` once decompressed.
pub fn read_html_file(path: &Path, id: String, max_bytes: u64) -> Document {
    let source = path.display().to_string();
    let gzip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let read = read::open_regular(path).and_then(|f| {
        let hint = f.metadata().map(|m| m.len()).unwrap_or(0);
        let reader: Box<dyn Read> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(f)))
        } else {
            Box::new(f)
        };
        // Once decompressed: a small .gz may hold gigabytes.
        read::read_to_limit(reader, max_bytes, hint, " (ingest.max_file_bytes)")
    });
    match read {
        Err(e) => Document::failed(id, source, STAGE, e.to_string()),
        Ok(b) if b.contains(&0) && !looks_utf16(&b) => Document::failed(
            id,
            source,
            STAGE,
            "binary file (contains NUL bytes), not a page",
        ),
        Ok(b) => html_document(id, source, &b, None),
    }
}

fn looks_utf16(b: &[u8]) -> bool {
    b.starts_with(b"\xFF\xFE") || b.starts_with(b"\xFE\xFF")
}

/// The documents of one WARC file, one per HTML response record.
pub struct WarcFile {
    label: String,
    records: Records<BufReader<File>>,
    number: usize,
    max_bytes: u64,
    /// Records that are not HTML responses (requests, metadata, images, redirects…).
    pub skipped: usize,
}

impl WarcFile {
    pub fn open(path: &Path, max_bytes: u64) -> Result<Self, ReadError> {
        let gzip = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let file = read::open_regular(path)?;
        Ok(WarcFile {
            label: path.display().to_string(),
            records: Records::new(BufReader::with_capacity(1 << 16, file), gzip, max_bytes),
            number: 0,
            max_bytes,
            skipped: 0,
        })
    }

    /// The next HTML response's document (or a failed one for a broken record).
    pub fn next_document(&mut self, ids: &mut IdAllocator) -> Option<Document> {
        loop {
            let (id, source, record) = match self.next_response(ids) {
                Step::End => return None,
                Step::Broken(doc) => return Some(*doc),
                Step::Response(id, source, record) => (id, source, record),
            };
            let response = match parse_http(&record.block, self.max_bytes) {
                Ok(r) => r,
                Err(message) => return Some(Document::failed(id, source, STAGE, message)),
            };
            let content_type = header(&response.headers, "Content-Type").unwrap_or_default();
            let html = content_type.contains("html") || content_type.is_empty();
            if !(200..300).contains(&response.status) || !html {
                self.skipped += 1;
                continue;
            }
            let mut doc = html_document(id, source, &response.body, charset_of(content_type));
            doc.meta.url = record.header("WARC-Target-URI").map(str::to_string);
            doc.meta.published = record
                .header("WARC-Date")
                .and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok());
            return Some(doc);
        }
    }

    /// Gives the rest of the archive's records their ids without making documents of them
    /// (a shard, for the archives before its share): the HTTP responses are not parsed.
    pub fn allocate_ids(&mut self, ids: &mut IdAllocator) {
        while !matches!(self.next_response(ids), Step::End) {}
    }

    /// The next `response` record with its id and source (other records are counted and
    /// passed over), a failed document for a broken record, or the end. Every response takes
    /// an id, whatever its HTTP status, so ids do not depend on what the pages hold.
    fn next_response(&mut self, ids: &mut IdAllocator) -> Step {
        loop {
            self.number += 1;
            let source = format!("{}:record {}", self.label, self.number);
            let record = match self.records.next_record() {
                Next::End => return Step::End,
                Next::Broken(message) => {
                    let id = ids.allocate(&format!("record-{}", self.number));
                    let doc = Document::failed(id, source, STAGE, message);
                    return Step::Broken(Box::new(doc));
                }
                Next::Record(r) => r,
            };
            let is_response = record
                .header("WARC-Type")
                .is_some_and(|t| t.eq_ignore_ascii_case("response"));
            if !is_response {
                self.skipped += 1;
                continue;
            }
            let raw_id = record
                .header("WARC-Record-ID")
                .map(|r| r.trim_matches(['<', '>']).trim_start_matches("urn:uuid:"))
                .unwrap_or_default();
            let id = ids.allocate(if raw_id.is_empty() { &source } else { raw_id });
            return Step::Response(id, source, record);
        }
    }
}

/// What [`WarcFile::next_response`] found.
enum Step {
    Response(String, String, Record),
    Broken(Box<Document>),
    End,
}
