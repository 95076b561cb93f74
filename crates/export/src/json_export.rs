//! The `json` stage (`documents/<doc_id>.json`, `documents.jsonl`, corpus tables as JSONL)
//! and the stream writer of streaming mode (one JSON line per input document on stdout).

use std::fs::File;
use std::io::{BufWriter, Write};

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use model::{
    Claim, Dateline, Document, DocumentEncoder, Encoded, EncodedPart, Entity, ExportSummary,
    Exporter, Failure, Heading, Mention, Quote, RemovedLine, StageError, StageOptions, Status,
    Table, Warning,
};

use crate::staging::Staging;
use crate::ExportContext;

/// Documents `write_document` encodes before their lines go to the file.
const BATCH: usize = 64;

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
            per_document: false,
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
                "also write documents/<doc_id>.json (pretty), one file per document",
            ),
            ("jsonl", "write documents.jsonl, one document per line"),
            ("dir", "sub-folder of the output folder for the JSON files"),
        ]
    }
}

/// Everything known about a document, as exported. Every field is always present (null or
/// empty when unknown) so that engines reading it with a fixed schema never miss a column.
///
/// This is the definition of the JSON document (with the records' `Serialize` in `model`);
/// `newsmill schema` reads its schema from it.
#[derive(Serialize)]
pub(crate) struct DocumentJson<'a> {
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
pub(crate) fn view(doc: &Document, words: usize) -> DocumentJson<'_> {
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

/// Appends the compact JSON line of `doc` (as in `documents.jsonl` and the stdout stream),
/// newline included.
pub fn stream_line(out: &mut Vec<u8>, doc: &Document) {
    // Serializing into memory cannot fail: every key is a string.
    serde_json::to_writer(&mut *out, &view(doc, doc.word_count())).expect("JSON into memory");
    out.push(b'\n');
}

pub struct JsonExporter {
    staging: Staging,
    options: JsonOptions,
    prefix: String,
    jsonl: Option<BufWriter<File>>,
    /// Lines of the documents handed to `write_document`, not yet written.
    own: JsonEncoder,
    documents: usize,
    files: Vec<(String, usize)>,
}

impl JsonExporter {
    pub fn new(options: JsonOptions, context: &ExportContext) -> Result<Self, StageError> {
        let mut staging = Staging::new(&context.output_dir, &context.instance)?;
        let prefix = crate::dir_prefix(&options.dir);
        let jsonl = if options.jsonl {
            Some(staging.create(&format!("{prefix}documents.jsonl"))?)
        } else {
            None
        };
        Ok(JsonExporter {
            staging,
            own: JsonEncoder::new(options.jsonl),
            options,
            prefix,
            jsonl,
            documents: 0,
            files: Vec::new(),
        })
    }

    /// `documents/<doc_id>.json`, pretty.
    fn write_file(&mut self, doc: &Document) -> Result<(), StageError> {
        let name = format!("{}documents/{}.json", self.prefix, doc.id);
        let mut out = self.staging.create(&name)?;
        serde_json::to_writer_pretty(&mut out, &view(doc, doc.word_count()))
            .map_err(|e| StageError::new(format!("{name}: {e}")))?;
        out.write_all(b"\n").map_err(io_error(&name))?;
        out.flush().map_err(io_error(&name))
    }
}

fn io_error(name: &str) -> impl Fn(std::io::Error) -> StageError + '_ {
    move |e| StageError::new(format!("{name}: {e}"))
}

impl Exporter for JsonExporter {
    fn write_document(&mut self, doc: &Document) -> Result<(), StageError> {
        self.own.encode(doc);
        if self.options.per_document {
            self.write_file(doc)?;
        }
        if self.own.documents >= BATCH {
            crate::write_own(&mut *self, |x: &mut Self| &mut x.own)?;
        }
        Ok(())
    }

    fn encoder(&self) -> Option<Box<dyn DocumentEncoder>> {
        // A file per document is created (and named) by the exporter itself.
        if self.options.per_document {
            return None;
        }
        Some(Box::new(JsonEncoder::new(self.jsonl.is_some())))
    }

    fn write_encoded(&mut self, encoded: &Encoded) -> Result<(), StageError> {
        let Some(part) = encoded.parts.first() else {
            return Ok(());
        };
        if let Some(out) = &mut self.jsonl {
            out.write_all(part.bytes())
                .map_err(io_error("documents.jsonl"))?;
        }
        self.documents += part.rows;
        Ok(())
    }

    fn write_table(&mut self, table: &Table) -> Result<(), StageError> {
        let name = format!("{}{}.jsonl", self.prefix, table.name);
        let mut out = self.staging.create(&name)?;
        let keys = KeyOrder::of(&table.columns);
        for row in table.cells() {
            let row = row.map_err(|e| StageError::new(format!("{}: {e}", table.name)))?;
            let mut cells = Vec::with_capacity(row.len());
            for cell in &row {
                // A cell too large to be kept in memory with the table is read back for its
                // row: a corpus row can join thousands of quotes (tens of MB).
                cells.push(match cell.text() {
                    Some(text) => std::borrow::Cow::Borrowed(text),
                    None => std::borrow::Cow::Owned(crate::read_large_cell(table, cell)?),
                });
            }
            // A row of another width than the header has the keys of the cells it has.
            let width = cells.len().min(table.columns.len());
            let narrow;
            let keys = if width == table.columns.len() {
                &keys
            } else {
                narrow = KeyOrder::of(&table.columns[..width]);
                &narrow
            };
            let object = RowObject {
                columns: &table.columns,
                keys,
                cells: &cells,
            };
            serde_json::to_writer(&mut out, &object)
                .map_err(|e| StageError::new(format!("{name}: {e}")))?;
            out.write_all(b"\n").map_err(io_error(&name))?;
        }
        out.flush().map_err(io_error(&name))?;
        self.files.push((name, table.len()));
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<ExportSummary, StageError> {
        crate::write_own(&mut *self, |x: &mut Self| &mut x.own)?;
        let mut this = *self;
        let mut summary = ExportSummary::default();
        if let Some(mut out) = this.jsonl.take() {
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

/// The order of a corpus table's keys in its JSON objects: sorted, and the last of equal
/// column names kept (as a JSON object read into a map would have them).
struct KeyOrder(Vec<usize>);

impl KeyOrder {
    fn of(columns: &[String]) -> Self {
        let mut order: Vec<usize> = (0..columns.len()).collect();
        // Stable: equal names stay in column order, and the last of them is kept.
        order.sort_by(|&a, &b| columns[a].cmp(&columns[b]));
        order.dedup_by(|later, earlier| {
            let same = columns[*later] == columns[*earlier];
            if same {
                *earlier = *later;
            }
            same
        });
        KeyOrder(order)
    }
}

/// A corpus table's row as a JSON object of strings, serialized as it streams.
struct RowObject<'a> {
    columns: &'a [String],
    keys: &'a KeyOrder,
    cells: &'a [std::borrow::Cow<'a, str>],
}

impl Serialize for RowObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.keys.0.len()))?;
        for &i in &self.keys.0 {
            map.serialize_entry(&self.columns[i], &self.cells[i])?;
        }
        map.end()
    }
}

/// Encodes `documents.jsonl` lines into memory: one per worker thread, and one in the
/// exporter for documents it is handed itself.
pub struct JsonEncoder {
    jsonl: bool,
    lines: Vec<u8>,
    documents: usize,
    /// Buffers taken earlier and given back once written, to be taken again.
    spare: Vec<Vec<u8>>,
}

impl JsonEncoder {
    fn new(jsonl: bool) -> Self {
        JsonEncoder {
            jsonl,
            lines: Vec::new(),
            documents: 0,
            spare: Vec::new(),
        }
    }
}

impl DocumentEncoder for JsonEncoder {
    fn encode(&mut self, doc: &Document) {
        self.documents += 1;
        if self.jsonl {
            stream_line(&mut self.lines, doc);
        }
    }

    fn take(&mut self) -> Encoded {
        let room = self.spare.pop().unwrap_or_default();
        let buf = std::mem::replace(&mut self.lines, room);
        let part = EncodedPart {
            len: buf.len(),
            buf,
            rows: std::mem::take(&mut self.documents),
        };
        Encoded { parts: vec![part] }
    }

    fn recycle(&mut self, encoded: Encoded) {
        for part in encoded.parts {
            crate::keep_spare(part, &mut self.spare);
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
        stream_line(&mut self.line, doc);
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
        let mut line = Vec::new();
        stream_line(&mut line, &doc);
        let line = String::from_utf8(line).unwrap();
        assert!(
            line.contains(r#""outlet":"The Ledger","modified":"2025-03-04","language":"en-GB","section":"Environment","words""#),
            "{line}"
        );
    }

    #[test]
    fn a_corpus_row_is_the_object_of_its_columns_sorted_with_the_last_of_equal_names() {
        let columns: Vec<String> = ["texts", "kind", "doc_ids", "kind", "a\"b"]
            .iter()
            .map(|c| c.to_string())
            .collect();
        let cells: Vec<std::borrow::Cow<str>> =
            ["x \"é\"\n\\\u{1}|", "claim", "d1|d2", "speaker", ""]
                .iter()
                .map(|c| std::borrow::Cow::Borrowed(*c))
                .collect();
        let keys = KeyOrder::of(&columns);
        let line = serde_json::to_string(&RowObject {
            columns: &columns,
            keys: &keys,
            cells: &cells,
        })
        .unwrap();
        assert_eq!(
            line,
            r#"{"a\"b":"","doc_ids":"d1|d2","kind":"speaker","texts":"x \"é\"\n\\\u0001|"}"#
        );
    }
}
