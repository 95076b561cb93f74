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
pub mod warc;

use std::fs::File;
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
pub use plan::{plan_inputs, InputFile, InputKind};

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
    #[error("{path}: cannot list folder: {source}")]
    Walk {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Reads the planned input files one document at a time.
pub struct FileReader {
    files: std::vec::IntoIter<InputFile>,
    options: IngestOptions,
    ids: IdAllocator,
    /// The JSONL file being read, by the label its documents' sources start with.
    current_jsonl: Option<(String, jsonl::Lines<BufReader<File>>)>,
    /// The web archive being read.
    current_warc: Option<pages::WarcFile>,
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
            current_jsonl: None,
            current_warc: None,
            skipped_records: Arc::default(),
        }
    }

    /// The count of WARC records skipped because they are not HTML responses, updated as
    /// each archive is finished (clone it before handing the reader to the run).
    pub fn skipped_records(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.skipped_records)
    }

    /// A failed document for an input file that could not be opened.
    fn unreadable(&mut self, path: &Path, error: &std::io::Error) -> Document {
        let id = self.ids.allocate(&file_stem(path));
        let source = path.display().to_string();
        Document::failed(id, source, STAGE, format!("cannot read: {error}"))
    }

    fn read_text_file(&mut self, path: &Path) -> Document {
        let id = self.ids.allocate(&file_stem(path));
        let source = path.display().to_string();
        match std::fs::metadata(path) {
            Ok(meta) if meta.len() > self.options.max_file_bytes => {
                return Document::failed(
                    id,
                    source,
                    STAGE,
                    format!(
                        "file is {} bytes, over the limit of {} (ingest.max_file_bytes)",
                        meta.len(),
                        self.options.max_file_bytes
                    ),
                )
            }
            Ok(_) => {}
            Err(e) => return Document::failed(id, source, STAGE, format!("cannot read: {e}")),
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return Document::failed(id, source, STAGE, format!("cannot read: {e}")),
        };
        document_from_bytes(id, source, &bytes)
    }
}

impl Iterator for FileReader {
    type Item = Document;

    fn next(&mut self) -> Option<Document> {
        loop {
            if let Some((label, lines)) = &mut self.current_jsonl {
                match lines.next() {
                    Some(line) => {
                        let mut doc = jsonl::parse_line(line, label, &self.options);
                        doc.id = self.ids.allocate(&doc.id);
                        return Some(doc);
                    }
                    None => self.current_jsonl = None,
                }
            }
            if let Some(warc) = &mut self.current_warc {
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
            let file = self.files.next()?;
            match file.kind {
                InputKind::Article => return Some(self.read_text_file(&file.path)),
                InputKind::Html => {
                    let id = self.ids.allocate(&page_stem(&file.path));
                    let max = self.options.max_file_bytes;
                    return Some(pages::read_html_file(&file.path, id, max));
                }
                InputKind::Warc => {
                    match pages::WarcFile::open(&file.path, self.options.max_file_bytes) {
                        Ok(w) => self.current_warc = Some(w),
                        Err(e) => {
                            return Some(self.unreadable(&file.path, &e));
                        }
                    }
                }
                InputKind::Jsonl => match File::open(&file.path) {
                    Ok(f) => {
                        let lines =
                            jsonl::Lines::new(BufReader::new(f), self.options.max_file_bytes);
                        self.current_jsonl = Some((file.path.display().to_string(), lines));
                    }
                    Err(e) => {
                        return Some(self.unreadable(&file.path, &e));
                    }
                },
            }
        }
    }
}

/// Reads a JSONL stream (standard input in streaming mode), one document per line, without
/// reading ahead. Ids are the caller's own and are kept as given.
pub struct JsonlStreamReader<R: BufRead> {
    lines: jsonl::Lines<R>,
    label: String,
    options: IngestOptions,
}

impl<R: BufRead> JsonlStreamReader<R> {
    pub fn new(reader: R, label: impl Into<String>, options: IngestOptions) -> Self {
        JsonlStreamReader {
            lines: jsonl::Lines::new(reader, options.max_file_bytes),
            label: label.into(),
            options,
        }
    }
}

impl<R: BufRead> Iterator for JsonlStreamReader<R> {
    type Item = Document;

    fn next(&mut self) -> Option<Document> {
        let line = self.lines.next()?;
        Some(jsonl::parse_line(line, &self.label, &self.options))
    }
}

/// A document from a whole file's bytes: decoding, BOM, line endings, emptiness, binaries.
pub fn document_from_bytes(id: String, source: String, bytes: &[u8]) -> Document {
    if bytes.contains(&0) {
        return Document::failed(
            id,
            source,
            STAGE,
            "binary file (contains NUL bytes), not an article",
        );
    }
    let decoded = decode(bytes);
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
/// else becomes `_`.
pub fn safe_id(raw: &str) -> String {
    // Ids given in JSONL are nearly always safe already: returned as they are, without
    // being rebuilt a character at a time.
    if !raw.is_empty()
        && raw.len() <= MAX_ID_BYTES
        && !raw.starts_with('.')
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
    if id.is_empty() {
        "document".to_string()
    } else {
        id.to_string()
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
