//! Ingest: turns input paths (files, folders, JSONL) or a JSONL stream into [`Document`]s,
//! lazily and in a deterministic order.
//!
//! Unreadable inputs do not stop a run: they become failed documents (stage `ingest`) that the
//! exporters list in `errors.csv`, so nothing is dropped silently.

mod charset;
mod decode;
mod ids;
mod jsonl;
mod pages;
mod plan;
mod read;
mod utf16;
pub mod warc;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use model::{Document, StageOptions};
use serde::{Deserialize, Serialize};

pub use charset::decode_page;
pub use decode::{decode, Decoded};
pub use ids::IdAllocator;
pub use pages::html_document;
pub use plan::{
    plan_inputs, skipped_summary, InputFile, InputKind, Planned, SkipReason, Skipped, WalkOptions,
};
pub use read::{open_regular, read_bounded, read_string_bounded, ReadError};

const STAGE: &str = "ingest";

/// Options of the `[ingest]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestOptions {
    /// Files larger than this are reported as failed documents instead of being read.
    pub max_file_bytes: u64,
    /// File extensions read when walking a folder (files named explicitly are always read).
    pub extensions: Vec<String>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_file_bytes: 10 * 1024 * 1024,
            extensions: [
                "txt", "md", "jsonl", "html", "htm", "html.gz", "warc", "warc.gz",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl StageOptions for IngestOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            (
                "max_file_bytes",
                "files (and JSONL lines) larger than this fail instead of being read",
            ),
            (
                "extensions",
                "extensions read when walking a folder; .jsonl files hold one article per line, .html/.htm (also gzipped) one web page, .warc/.warc.gz one page per HTML response",
            ),
        ]
    }
}

/// A problem with the input paths themselves, found before any article is read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: input path does not exist")]
    Missing { path: PathBuf },
}

/// A source of JSONL lines: a JSONL file, or the standard input after the files.
type JsonlSource = (String, jsonl::Lines<Box<dyn BufRead + Send>>);

/// Reads the planned input files, then an optional JSONL stream (standard input), one
/// document at a time, giving every document its id by one rule (see [`IdAllocator`]).
pub struct FileReader {
    files: std::vec::IntoIter<InputFile>,
    options: IngestOptions,
    ids: IdAllocator,
    /// Files taken so far; the documents of the first `ids_only` files are not returned,
    /// only given their ids (a shard allocates the ids of the shards before it).
    taken: usize,
    ids_only: usize,
    /// The JSONL file (or stream) being read, by the label its documents' sources start with.
    current_jsonl: Option<JsonlSource>,
    /// The web archive being read.
    current_warc: Option<pages::WarcFile>,
    /// A JSONL stream read once the files are done (not looked at before: it may be a
    /// terminal or a pipe that is not written yet).
    stream: Option<(String, Box<dyn BufRead + Send>)>,
    /// WARC records that are not HTML responses (requests, metadata, redirects…), over all
    /// the archives read: shared so that the run's summary can report it once reading ends.
    skipped_records: Arc<AtomicUsize>,
}

impl FileReader {
    pub fn new(files: Vec<InputFile>, options: IngestOptions) -> Self {
        FileReader {
            files: files.into_iter(),
            options,
            ids: IdAllocator::default(),
            taken: 0,
            ids_only: 0,
            current_jsonl: None,
            current_warc: None,
            stream: None,
            skipped_records: Arc::default(),
        }
    }

    /// Reads `reader` as JSONL once the files are done (`label` starts the documents'
    /// sources: `<stdin>:3`). Its ids follow the same rule as the files' and stay unique
    /// with them.
    pub fn then_stream(mut self, reader: Box<dyn BufRead + Send>, label: &str) -> Self {
        self.stream = Some((label.to_string(), reader));
        self
    }

    /// Returns only the documents of the files from index `first` on. The files before it
    /// still take their ids, so that the ids are those of a run over all the files: a shard
    /// reads only the JSONL files and web archives before its share (for the ids they hold),
    /// and allocates the other files' ids from their names alone.
    pub fn starting_at(mut self, first: usize) -> Self {
        self.ids_only = first;
        self
    }

    /// The count of WARC records skipped because they are not HTML responses, updated as
    /// each archive is finished (clone it before handing the reader to the run).
    pub fn skipped_records(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.skipped_records)
    }

    /// Whether the documents of the file being read are only counted for their ids.
    fn counting_ids(&self) -> bool {
        (1..=self.ids_only).contains(&self.taken)
    }

    /// The next document of the JSONL file or web archive being read, if any.
    fn next_of_current(&mut self) -> Option<Document> {
        let counting_ids = self.counting_ids();
        if let Some((label, lines)) = &mut self.current_jsonl {
            if counting_ids {
                // Before a shard's share: the lines' ids only, nothing else kept.
                for line in lines {
                    self.ids.allocate(&jsonl::line_id(line));
                }
                self.current_jsonl = None;
                return None;
            }
            match lines.next() {
                Some(line) => {
                    let mut doc = jsonl::parse_line(line, label);
                    doc.id = self.ids.allocate(&doc.id);
                    return Some(doc);
                }
                None => self.current_jsonl = None,
            }
        }
        if let Some(warc) = &mut self.current_warc {
            if counting_ids {
                // Before a shard's share: the records' ids only, their skips not counted.
                warc.allocate_ids(&mut self.ids);
                self.current_warc = None;
                return None;
            }
            match warc.next_document(&mut self.ids) {
                Some(doc) => return Some(doc),
                None => {
                    // Counted, not silently dropped: requests, metadata, redirects…
                    self.skipped_records
                        .fetch_add(warc.skipped, Ordering::Relaxed);
                    self.current_warc = None;
                }
            }
        }
        None
    }

    /// Starts reading `file`: its document if it holds one, else `None` with the JSONL file
    /// or web archive opened.
    fn open(&mut self, file: InputFile) -> Option<Document> {
        let id_base = match file.kind {
            InputKind::Html => page_stem(&file.path),
            _ => file_stem(&file.path),
        };
        if self.counting_ids() && file.kind.one_document() {
            self.ids.allocate(&id_base);
            return None;
        }
        let path = &file.path;
        let max = self.options.max_file_bytes;
        let opened = match file.kind {
            InputKind::Article => {
                let id = self.ids.allocate(&id_base);
                return Some(read_text_file(path, id, max));
            }
            InputKind::Html => {
                let id = self.ids.allocate(&id_base);
                return Some(pages::read_html_file(path, id, max));
            }
            InputKind::Unreadable(message) => {
                let id = self.ids.allocate(&id_base);
                let source = path.display().to_string();
                return Some(Document::failed(id, source, STAGE, message));
            }
            InputKind::Warc => pages::WarcFile::open(path, max).map(|w| {
                self.current_warc = Some(w);
            }),
            InputKind::Jsonl => read::open_regular(path).map(|f| {
                let reader = utf16::utf8_stream(Box::new(BufReader::new(f)));
                let lines = jsonl::Lines::new(reader, max);
                self.current_jsonl = Some((path.display().to_string(), lines));
            }),
        };
        let error = opened.err()?;
        let id = self.ids.allocate(&id_base);
        let source = path.display().to_string();
        Some(Document::failed(id, source, STAGE, error.to_string()))
    }
}

impl Iterator for FileReader {
    type Item = Document;

    fn next(&mut self) -> Option<Document> {
        loop {
            if let Some(doc) = self.next_of_current() {
                if self.counting_ids() {
                    continue;
                }
                return Some(doc);
            }
            let Some(file) = self.files.next() else {
                // The files are done: the stream, if any, is read last, all of it.
                let (label, reader) = self.stream.take()?;
                let reader = utf16::utf8_stream(reader);
                let lines = jsonl::Lines::new(reader, self.options.max_file_bytes);
                self.current_jsonl = Some((label, lines));
                self.ids_only = 0;
                continue;
            };
            self.taken += 1;
            if let Some(doc) = self.open(file) {
                if !self.counting_ids() {
                    return Some(doc);
                }
            }
        }
    }
}

/// A text file's document: at most `max_bytes` read, whatever its metadata says.
fn read_text_file(path: &Path, id: String, max_bytes: u64) -> Document {
    let source = path.display().to_string();
    match read::read_bounded(path, max_bytes, " (ingest.max_file_bytes)") {
        Ok(bytes) => document_from_bytes(id, source, &bytes),
        Err(e) => Document::failed(id, source, STAGE, e.to_string()),
    }
}

/// A document from a whole file's bytes: decoding, BOM, line endings, emptiness, binaries.
pub fn document_from_bytes(id: String, source: String, bytes: &[u8]) -> Document {
    let decoded = decode(bytes);
    // Looked for in the text: UTF-16 has NUL bytes in every ASCII character, not in its text.
    if memchr::memchr(0, decoded.text.as_bytes()).is_some() {
        return Document::failed(
            id,
            source,
            STAGE,
            "binary file (contains NUL bytes), not an article",
        );
    }
    if decoded.text.trim().is_empty() {
        return Document::failed(id, source, STAGE, "empty file (nothing but whitespace)");
    }
    let mut doc = Document::new(id, source, decoded.text);
    if let Some(warning) = decoded.warning {
        doc.warn(STAGE, warning);
    }
    doc
}

/// A file stem made safe for file names: letters, digits, `-`, `_` and `.` are kept, anything
/// else becomes `_`; leading dots are dropped (hidden files) and a leading `-` becomes `_` (it
/// reads as an option to a shell command given `documents/<id>.json`, and as a formula to a
/// spreadsheet, whose guard would then show the id differently from the file name).
pub fn safe_id(raw: &str) -> String {
    // Ids given in JSONL are nearly always safe already: returned as they are, without
    // being rebuilt a character at a time.
    if !raw.is_empty()
        && raw.len() <= MAX_ID_BYTES
        && !raw.starts_with(['.', '-'])
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return raw.to_string();
    }
    let id: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let id = id.trim_start_matches('.');
    // Leave room for a uniqueness suffix and `.json` within the usual 255-byte name limit.
    let id = &id[..id.len().min(MAX_ID_BYTES)];
    match id.strip_prefix('-') {
        Some(rest) => format!("_{rest}"),
        None if id.is_empty() => "document".to_string(),
        None => id.to_string(),
    }
}

const MAX_ID_BYTES: usize = 200;

/// `story.html.gz` → `story`: a page's id without its compression suffix either.
fn page_stem(path: &Path) -> String {
    let stem = file_stem(path);
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    match stem.rsplit_once('.') {
        Some((s, _)) if gz && !s.is_empty() => s.to_string(),
        _ => stem,
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
