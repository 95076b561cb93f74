//! The `json` stage (`documents/<doc_id>.json`, `documents.jsonl`, corpus tables as JSONL)
//! and the stream writer of streaming mode (one JSON line per input document on stdout).

use std::fs::File;
use std::io::{BufWriter, Write};

use model::{
    Cell, Claim, Dateline, Document, DocumentEncoder, Encoded, EncodedPart, Entity, ExportSummary,
    Exporter, Failure, Heading, Mention, Quote, RemovedLine, StageError, StageOptions, Status,
    Table, Warning,
};
use serde::{Deserialize, Serialize};

use crate::json_encode::{line_into, push_document};
use crate::staging::Staging;
use crate::ExportContext;

/// Bytes of JSON lines collected before they are handed to the file: as large as the staging
/// file's buffer, so that every hand-over is one direct write.
const CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JsonOptions {
    /// Write `documents/<doc_id>.json`, one pretty file per document.
    pub per_document: bool,
    /// Write `documents.jsonl`, one line per document.
    pub jsonl: bool,
    /// Sub-folder of the output folder to write into ("" = the output folder itself).
    pub dir: String,
}

impl Default for JsonOptions {
    fn default() -> Self {
        JsonOptions {
            per_document: true,
            jsonl: true,
            dir: String::new(),
        }
    }
}

impl StageOptions for JsonOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            (
                "per_document",
                "write documents/<doc_id>.json (pretty), one file per document",
            ),
            ("jsonl", "write documents.jsonl, one document per line"),
            ("dir", "sub-folder of the output folder for the JSON files"),
        ]
    }
}

/// Everything known about a document, as exported. Every field is always present (null or
/// empty when unknown) so that engines reading it with a fixed schema never miss a column.
///
/// This is the definition of the JSON; compact lines are written by `json_encode`, which must
/// (and in debug builds is checked to) produce the same bytes.
#[derive(Serialize)]
struct DocumentJson<'a> {
    id: &'a str,
    source: &'a str,
    status: &'a Status,
    error: Option<&'a Failure>,
    title: Option<&'a str>,
    published: Option<String>,
    authors: &'a [String],
    image_credits: &'a [String],
    volume: Option<&'a str>,
    issue: Option<&'a str>,
    dateline: Option<&'a Dateline>,
    url: Option<&'a str>,
    outlet: Option<&'a str>,
    modified: Option<String>,
    language: Option<&'a str>,
    section: Option<&'a str>,
    words: usize,
    paragraphs: usize,
    headings: &'a [Heading],
    text: &'a str,
    removed: &'a [RemovedLine],
    quotes: &'a [Quote],
    entities: &'a [Entity],
    mentions: &'a [Mention],
    claims: &'a [Claim],
    warnings: &'a [Warning],
}

/// `words` is the word count, passed in so that it is counted once per document.
fn view(doc: &Document, words: usize) -> DocumentJson<'_> {
    let m = &doc.meta;
    let ok = doc.is_ok();
    DocumentJson {
        id: &doc.id,
        source: &doc.source,
        status: &doc.status,
        error: doc.failure.as_ref(),
        title: m.title.as_deref(),
        published: m.published.map(|d| d.to_string()),
        authors: &m.authors,
        image_credits: &m.image_credits,
        volume: m.volume.as_deref(),
        issue: m.issue.as_deref(),
        dateline: m.dateline.as_ref(),
        url: m.url.as_deref(),
        outlet: m.outlet.as_deref(),
        modified: m.modified.map(|d| d.to_string()),
        language: m.language.as_deref(),
        section: m.section.as_deref(),
        words: if ok { words } else { 0 },
        paragraphs: if ok { doc.paragraphs.len() } else { 0 },
        headings: &doc.headings,
        text: doc.text(),
        removed: &doc.removed,
        quotes: &doc.quotes,
        entities: &doc.entities,
        mentions: &doc.mentions,
        claims: &doc.claims,
        warnings: &doc.warnings,
    }
}

/// The JSON value of a document, as written to `documents.jsonl` and streamed.
pub fn document_json(doc: &Document) -> serde_json::Value {
    serde_json::to_value(view(doc, doc.word_count())).expect("documents serialize")
}

pub struct JsonExporter {
    staging: Staging,
    options: JsonOptions,
    prefix: String,
    jsonl: Option<BufWriter<File>>,
    /// Lines for `jsonl` not yet handed to it are `pending[..filled]`; the rest is room that
    /// the next line is written into in place (see `encode::Cursor`).
    pending: Vec<u8>,
    filled: usize,
    documents: usize,
    files: Vec<(String, usize)>,
}

impl JsonExporter {
    pub fn new(options: JsonOptions, context: &ExportContext) -> Result<Self, StageError> {
        let mut staging = Staging::new(&context.output_dir, &context.instance)?;
        let prefix = if options.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", options.dir.trim_end_matches('/'))
        };
        let jsonl = if options.jsonl {
            Some(staging.create(&format!("{prefix}documents.jsonl"))?)
        } else {
            None
        };
        Ok(JsonExporter {
            staging,
            options,
            prefix,
            // Room is only made for lines that are written.
            pending: if jsonl.is_some() {
                vec![0; 2 * CHUNK]
            } else {
                Vec::new()
            },
            jsonl,
            filled: 0,
            documents: 0,
            files: Vec::new(),
        })
    }
}

fn io_error(name: &str) -> impl Fn(std::io::Error) -> StageError + '_ {
    move |e| StageError::new(format!("{name}: {e}"))
}

impl Exporter for JsonExporter {
    fn write_document(&mut self, doc: &Document) -> Result<(), StageError> {
        let words = doc.word_count();
        if let Some(out) = &mut self.jsonl {
            loop {
                match line_into(&mut self.pending[self.filled..], doc, words) {
                    Some(len) => {
                        check_line(&self.pending[self.filled..self.filled + len], doc);
                        self.filled += len;
                        break;
                    }
                    // No room after the lines before: hand those over and write again.
                    None if self.filled > 0 => {
                        out.write_all(&self.pending[..self.filled])
                            .map_err(io_error("documents.jsonl"))?;
                        self.filled = 0;
                    }
                    None => {
                        let len = 2 * self.pending.len();
                        self.pending.resize(len, 0);
                    }
                }
            }
            if self.filled >= CHUNK {
                out.write_all(&self.pending[..self.filled])
                    .map_err(io_error("documents.jsonl"))?;
                self.filled = 0;
            }
        }
        if self.options.per_document {
            let name = format!("{}documents/{}.json", self.prefix, doc.id);
            let mut out = self.staging.create(&name)?;
            serde_json::to_writer_pretty(&mut out, &view(doc, words))
                .map_err(|e| StageError::new(format!("{name}: {e}")))?;
            out.write_all(b"\n").map_err(io_error(&name))?;
            out.flush().map_err(io_error(&name))?;
        }
        self.documents += 1;
        Ok(())
    }

    fn encoder(&self) -> Option<Box<dyn DocumentEncoder>> {
        // A file per document is created (and named) by the exporter itself.
        if self.options.per_document {
            return None;
        }
        let jsonl = self.jsonl.is_some();
        Some(Box::new(JsonEncoder {
            jsonl,
            pending: if jsonl { vec![0; CHUNK] } else { Vec::new() },
            filled: 0,
            documents: 0,
            spare: Vec::new(),
        }))
    }

    fn write_encoded(&mut self, encoded: &Encoded) -> Result<(), StageError> {
        let Some(part) = encoded.parts.first() else {
            return Ok(());
        };
        if let Some(out) = &mut self.jsonl {
            out.write_all(&self.pending[..self.filled])
                .map_err(io_error("documents.jsonl"))?;
            self.filled = 0;
            out.write_all(part.bytes())
                .map_err(io_error("documents.jsonl"))?;
        }
        self.documents += part.rows;
        Ok(())
    }

    fn write_table(&mut self, table: &Table) -> Result<(), StageError> {
        let name = format!("{}{}.jsonl", self.prefix, table.name);
        let mut out = self.staging.create(&name)?;
        for row in table.cells() {
            let row = row.map_err(|e| StageError::new(format!("{}: {e}", table.name)))?;
            if row.iter().any(|c| c.text().is_none()) {
                write_large_row(&mut out, table, &row).map_err(io_error(&name))?;
                continue;
            }
            let object: serde_json::Map<String, serde_json::Value> = table
                .columns
                .iter()
                // Every cell is in memory (large ones are written above); a map rather than
                // a filter keeps the length known, for the map's one allocation.
                .zip(row.into_iter().map(|v| match v {
                    Cell::Text(v) => v,
                    Cell::Large { .. } => String::new(),
                }))
                .map(|(c, v)| (c.clone(), serde_json::Value::String(v)))
                .collect();
            serde_json::to_writer(&mut out, &object)
                .map_err(|e| StageError::new(format!("{name}: {e}")))?;
            out.write_all(b"\n").map_err(io_error(&name))?;
        }
        out.flush().map_err(io_error(&name))?;
        self.files.push((name, table.len()));
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<ExportSummary, StageError> {
        let mut this = *self;
        let mut summary = ExportSummary::default();
        if let Some(mut out) = this.jsonl.take() {
            out.write_all(&this.pending[..this.filled])
                .map_err(io_error("documents.jsonl"))?;
            out.flush().map_err(io_error("documents.jsonl"))?;
            summary
                .files
                .push((format!("{}documents.jsonl", this.prefix), this.documents));
        }
        if this.options.per_document {
            summary
                .files
                .push((format!("{}documents/*.json", this.prefix), this.documents));
        }
        summary.files.append(&mut this.files);
        this.staging.commit()?;
        Ok(summary)
    }
}

/// A row with cells left in the table's file, written as `serde_json` writes the object of
/// the other rows (keys in order, the last of equal keys), the large cells escaped piece by
/// piece as they come from the file.
fn write_large_row(out: &mut impl Write, table: &Table, row: &[Cell]) -> std::io::Result<()> {
    let mut order: Vec<usize> = (0..table.columns.len().min(row.len())).collect();
    order.sort_by(|&a, &b| table.columns[a].cmp(&table.columns[b]));
    order.dedup_by(|later, earlier| {
        let same = table.columns[*later] == table.columns[*earlier];
        if same {
            *earlier = *later;
        }
        same
    });
    let mut escaped = Vec::new();
    out.write_all(b"{")?;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &table.columns[i])?;
        out.write_all(b":\"")?;
        table.read_cell(&row[i], |piece| {
            // A piece is whole characters, and JSON escapes character by character.
            escaped.clear();
            serde_json::to_writer(&mut escaped, piece)?;
            out.write_all(&escaped[1..escaped.len() - 1])
        })?;
        out.write_all(b"\"")?;
    }
    out.write_all(b"}\n")
}

/// Encodes `documents.jsonl` lines into memory, as [`JsonExporter::write_document`] does
/// (without files per document): one per worker thread.
pub struct JsonEncoder {
    jsonl: bool,
    /// Lines written are `pending[..filled]`; the rest is room (see `encode::Cursor`).
    pending: Vec<u8>,
    filled: usize,
    documents: usize,
    /// Buffers taken earlier and given back once written, to be taken again.
    spare: Vec<Vec<u8>>,
}

impl DocumentEncoder for JsonEncoder {
    fn encode(&mut self, doc: &Document) {
        self.documents += 1;
        if !self.jsonl {
            return;
        }
        let words = doc.word_count();
        loop {
            if let Some(len) = line_into(&mut self.pending[self.filled..], doc, words) {
                check_line(&self.pending[self.filled..self.filled + len], doc);
                self.filled += len;
                return;
            }
            let len = 2 * self.pending.len();
            self.pending.resize(len, 0);
        }
    }

    fn take(&mut self) -> Encoded {
        let buf = if self.filled == 0 {
            Vec::new()
        } else {
            // The buffer itself goes (a copy of the lines cost a tenth of encoding them), and
            // a spare one written before is the next room.
            let room = self.spare.pop().unwrap_or_else(|| vec![0; CHUNK]);
            std::mem::replace(&mut self.pending, room)
        };
        let part = EncodedPart {
            buf,
            len: self.filled,
            rows: self.documents,
        };
        self.filled = 0;
        self.documents = 0;
        Encoded { parts: vec![part] }
    }

    fn recycle(&mut self, encoded: Encoded) {
        for part in encoded.parts {
            if !part.buf.is_empty() {
                self.spare.push(part.buf);
            }
        }
    }
}

/// Streaming mode: one compact JSON line per document, flushed per window by the caller.
pub struct StreamWriter<W: Write> {
    out: W,
    /// The line being written, reused from document to document.
    line: Vec<u8>,
}

impl<W: Write> StreamWriter<W> {
    pub fn new(out: W) -> Self {
        StreamWriter {
            out,
            line: Vec::new(),
        }
    }

    pub fn write(&mut self, doc: &Document) -> std::io::Result<()> {
        self.line.clear();
        push_line(&mut self.line, doc, doc.word_count());
        self.out.write_all(&self.line)
    }

    /// Writes lines made by [`stream_line`].
    pub fn write_encoded(&mut self, lines: &[u8]) -> std::io::Result<()> {
        self.out.write_all(lines)
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Appends the line [`StreamWriter::write`] writes for `doc`, newline included.
pub fn stream_line(out: &mut Vec<u8>, doc: &Document) {
    push_line(out, doc, doc.word_count());
}

/// Appends the compact JSON line of `doc`, newline included.
fn push_line(out: &mut Vec<u8>, doc: &Document, words: usize) {
    let start = out.len();
    push_document(out, doc, words);
    out.push(b'\n');
    check_line(&out[start..], doc);
}

/// In debug builds, checks a written line (newline included) against serde's output, which
/// defines the format.
fn check_line(line: &[u8], doc: &Document) {
    if cfg!(debug_assertions) {
        let mut expected = serde_json::to_vec(&view(doc, doc.word_count())).expect("serializes");
        expected.push(b'\n');
        assert!(
            line == &expected[..],
            "documents.jsonl: the JSON writer differs from serde for {}:\n{}\n{}",
            doc.id,
            String::from_utf8_lossy(line),
            String::from_utf8_lossy(&expected),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_metadata_is_written_after_the_outlet() {
        let mut doc = Document::new("d1", "page.html", "Text.".to_string());
        doc.meta.outlet = Some("The Ledger".into());
        doc.meta.modified = chrono::NaiveDate::from_ymd_opt(2025, 3, 4);
        doc.meta.language = Some("en-GB".into());
        doc.meta.section = Some("Environment".into());
        // `stream_line` also checks, in debug builds, that the hand-written line is serde's.
        let mut line = Vec::new();
        stream_line(&mut line, &doc);
        let line = String::from_utf8(line).unwrap();
        assert!(
            line.contains(r#""outlet":"The Ledger","modified":"2025-03-04","language":"en-GB","section":"Environment","words""#),
            "{line}"
        );
    }

    #[test]
    fn a_row_with_large_cells_is_the_object_serde_json_writes() {
        let columns = ["texts", "kind", "doc_ids", "kind", "a\"b"];
        let cells: Vec<String> = ["x \"é“€𝄞\"\n\\\u{1}|", "claim", "d1|d2", "speaker", ""]
            .iter()
            .map(|c| c.repeat(10_000))
            .collect();
        let mut table = Table::new("t", &columns);
        let mut row = table.push_streamed().unwrap();
        for cell in &cells {
            row.cell(cell).unwrap();
        }
        row.finish().unwrap();
        let read = table.cells().next().unwrap().unwrap();
        assert!(read.iter().any(|c| c.text().is_none()));
        let mut out = Vec::new();
        write_large_row(&mut out, &table, &read).unwrap();
        let object: serde_json::Map<String, serde_json::Value> = columns
            .iter()
            .zip(&cells)
            .map(|(c, v)| (c.to_string(), serde_json::Value::String(v.clone())))
            .collect();
        let mut want = serde_json::to_vec(&object).unwrap();
        want.push(b'\n');
        assert!(out == want);
    }
}
