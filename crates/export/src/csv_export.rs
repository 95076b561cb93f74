//! The `csv` stage: one RFC 4180 table per record kind (the `csv` crate's writer, CRLF line
//! ends), UTF-8, header row first, with the columns of the output contract.

use std::fmt::{self, Write as _};
use std::fs::File;
use std::io::{BufWriter, Write};

use chrono::NaiveDate;
use model::{
    Document, DocumentEncoder, Encoded, EncodedPart, ExportSummary, Exporter, StageError,
    StageOptions, Table,
};
use serde::{Deserialize, Serialize};

use crate::contract::{tables_for, Cells, Column, ColumnType, TableSpec};
use crate::staging::Staging;
use crate::ExportContext;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CsvOptions {
    /// Prefix cells that a spreadsheet would run as a formula with `'`.
    pub formula_guard: bool,
    /// Sub-folder of the output folder to write into ("" = the output folder itself).
    pub dir: String,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            formula_guard: true,
            dir: String::new(),
        }
    }
}

impl StageOptions for CsvOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            (
                "formula_guard",
                "prefix text cells starting with = + - @ (tab, CR) with ' so spreadsheets do not run them",
            ),
            ("dir", "sub-folder of the output folder for the CSV files"),
        ]
    }
}

/// Documents `write_document` encodes before their rows go to the files.
const BATCH: usize = 64;

/// Room an encoder's table starts with: most tables hold a few kB of a handful of documents,
/// and a buffer that grows keeps its size when it is given back.
const ROOM: usize = 16 * 1024;

/// The csv crate's writer as every table uses it: CRLF line ends, fields quoted when needed.
fn csv_writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` (or tab/CR) as a formula;
/// numbers such as `-5` are left alone. A guarded cell is written with a leading `'`.
fn needs_guard(cell: &str) -> bool {
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) && cell.parse::<f64>().is_err()
}

/// Writes a text cell, with the formula guard when `guard` is on and the cell needs it
/// (assembled in `scratch`).
fn write_text<W: Write>(
    out: &mut csv::Writer<W>,
    cell: &str,
    guard: bool,
    scratch: &mut String,
) -> csv::Result<()> {
    if guard && needs_guard(cell) {
        scratch.clear();
        scratch.push('\'');
        scratch.push_str(cell);
        out.write_field(scratch.as_bytes())
    } else {
        out.write_field(cell)
    }
}

/// Shortest text that reads back as the same number (`0.7`, `5`, `1250000`).
pub(crate) fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A document table's cells as CSV text: absent cells empty, lists joined with their column's
/// separator, text formula-guarded.
struct CsvCells<'a> {
    out: &'a mut csv::Writer<Vec<u8>>,
    columns: &'static [Column],
    column: usize,
    guard: bool,
    scratch: &'a mut String,
    joined: &'a mut String,
    rows: &'a mut usize,
}

impl CsvCells<'_> {
    fn text(&mut self, cell: &str) {
        self.column += 1;
        // Writing into memory cannot fail.
        write_text(self.out, cell, self.guard, self.scratch).expect("CSV into memory");
    }

    fn raw(&mut self, cell: &[u8]) {
        self.column += 1;
        self.out.write_field(cell).expect("CSV into memory");
    }
}

impl Cells for CsvCells<'_> {
    fn string(&mut self, value: &str) {
        self.text(value);
    }

    fn opt_string(&mut self, value: Option<&str>) {
        self.text(value.unwrap_or_default());
    }

    fn integer(&mut self, value: Option<usize>) {
        // Digits never need quotes, nor the guard.
        match value {
            Some(n) => self.raw(itoa::Buffer::new().format(n).as_bytes()),
            None => self.raw(b""),
        }
    }

    fn float(&mut self, value: f64) {
        self.text(&format_number(value));
    }

    fn date(&mut self, value: Option<NaiveDate>) {
        match value {
            Some(date) => {
                self.scratch.clear();
                write!(self.scratch, "{date}").expect("write to a String");
                self.column += 1;
                self.out
                    .write_field(self.scratch.as_bytes())
                    .expect("CSV into memory");
            }
            None => self.raw(b""),
        }
    }

    fn list<T: fmt::Display>(&mut self, items: &[T]) {
        let separator = match self.columns[self.column].ty {
            ColumnType::List { separator } => separator,
            other => unreachable!("a list in a {} column", other.as_str()),
        };
        let mut joined = std::mem::take(self.joined);
        joined.clear();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                joined.push_str(separator);
            }
            write!(joined, "{item}").expect("write to a String");
        }
        self.text(&joined);
        *self.joined = joined;
    }

    fn end_row(&mut self) {
        debug_assert_eq!(self.column, self.columns.len(), "cells of a row");
        self.column = 0;
        self.out
            .write_record(None::<&[u8]>)
            .expect("rows of one width");
        *self.rows += 1;
    }
}

/// A document table's rows encoded since they were last taken.
struct EncodedTable {
    spec: &'static TableSpec,
    out: csv::Writer<Vec<u8>>,
    rows: usize,
    /// Buffers taken earlier and given back once written, to be taken again.
    spare: Vec<Vec<u8>>,
}

/// Encodes documents' rows of every document table into memory: one per worker thread, and
/// one in the exporter for documents it is handed itself.
pub struct CsvEncoder {
    tables: Vec<EncodedTable>,
    formula_guard: bool,
    scratch: String,
    joined: String,
    documents: usize,
}

impl CsvEncoder {
    fn new(specs: &[&'static TableSpec], formula_guard: bool) -> Self {
        let tables = specs
            .iter()
            .map(|&spec| EncodedTable {
                spec,
                out: csv_writer(Vec::with_capacity(ROOM)),
                rows: 0,
                spare: Vec::new(),
            })
            .collect();
        CsvEncoder {
            tables,
            formula_guard,
            scratch: String::new(),
            joined: String::new(),
            documents: 0,
        }
    }
}

impl DocumentEncoder for CsvEncoder {
    fn encode(&mut self, doc: &Document) {
        self.documents += 1;
        for table in &mut self.tables {
            let mut cells = CsvCells {
                out: &mut table.out,
                columns: table.spec.columns,
                column: 0,
                guard: self.formula_guard,
                scratch: &mut self.scratch,
                joined: &mut self.joined,
                rows: &mut table.rows,
            };
            table.spec.fill(doc, &mut cells);
        }
    }

    fn take(&mut self) -> Encoded {
        self.documents = 0;
        let parts = self
            .tables
            .iter_mut()
            .map(|table| {
                let room = table.spare.pop().unwrap_or_default();
                let out = std::mem::replace(&mut table.out, csv_writer(room));
                let buf = out.into_inner().expect("CSV into memory");
                let rows = std::mem::take(&mut table.rows);
                EncodedPart {
                    len: buf.len(),
                    buf,
                    rows,
                }
            })
            .collect();
        Encoded { parts }
    }

    fn recycle(&mut self, encoded: Encoded) {
        for (table, part) in self.tables.iter_mut().zip(encoded.parts) {
            crate::keep_spare(part, &mut table.spare);
        }
    }
}

/// A table's file in the staging folder and the data rows written to it.
struct OpenFile {
    name: String,
    file: BufWriter<File>,
    rows: usize,
}

pub struct CsvExporter {
    staging: Staging,
    prefix: String,
    formula_guard: bool,
    /// The document tables' files, in the order of the contract (and of the encoders' parts).
    files: Vec<OpenFile>,
    specs: Vec<&'static TableSpec>,
    /// Corpus tables written: file name and rows.
    corpus: Vec<(String, usize)>,
    /// Encodes the documents handed to `write_document`.
    own: CsvEncoder,
}

impl CsvExporter {
    pub fn new(options: CsvOptions, context: &ExportContext) -> Result<Self, StageError> {
        let mut staging = Staging::new(&context.output_dir, &context.instance)?;
        let prefix = crate::dir_prefix(&options.dir);
        let specs: Vec<&'static TableSpec> = tables_for(&context.capabilities).collect();
        let mut files = Vec::new();
        for spec in &specs {
            let names = spec.columns.iter().map(|c| c.name);
            files.push(open(&mut staging, &prefix, spec.name, names)?);
        }
        Ok(CsvExporter {
            staging,
            prefix,
            formula_guard: options.formula_guard,
            files,
            own: CsvEncoder::new(&specs, options.formula_guard),
            specs,
            corpus: Vec::new(),
        })
    }
}

fn csv_error(name: &str) -> impl Fn(csv::Error) -> StageError + '_ {
    move |e| StageError::new(format!("{name}: {e}"))
}

/// Creates a table's file and writes its header row (never formula-guarded).
fn open<'a>(
    staging: &mut Staging,
    prefix: &str,
    name: &str,
    columns: impl IntoIterator<Item = &'a str>,
) -> Result<OpenFile, StageError> {
    let name = format!("{prefix}{name}.csv");
    let mut file = staging.create(&name)?;
    let mut header = csv_writer(Vec::new());
    header.write_record(columns).map_err(csv_error(&name))?;
    let header = header
        .into_inner()
        .map_err(|e| StageError::new(format!("{name}: {e}")))?;
    file.write_all(&header)
        .map_err(|e| StageError::new(format!("{name}: {e}")))?;
    Ok(OpenFile {
        name,
        file,
        rows: 0,
    })
}

impl Exporter for CsvExporter {
    fn write_document(&mut self, doc: &Document) -> Result<(), StageError> {
        self.own.encode(doc);
        if self.own.documents >= BATCH {
            crate::write_own(&mut *self, |x: &mut Self| &mut x.own)?;
        }
        Ok(())
    }

    fn write_table(&mut self, table: &Table) -> Result<(), StageError> {
        let columns = table.columns.iter().map(String::as_str);
        let OpenFile { name, file, .. } =
            open(&mut self.staging, &self.prefix, &table.name, columns)?;
        let mut out = csv_writer(file);
        let mut scratch = String::new();
        let mut rows = 0;
        for cells in table.cells() {
            let cells = cells.map_err(|e| StageError::new(format!("{}: {e}", table.name)))?;
            for cell in &cells {
                // A cell too large to be kept in memory with the table is read back for its
                // row: a corpus row can join thousands of quotes (tens of MB).
                let large;
                let text = match cell.text() {
                    Some(text) => text,
                    None => {
                        large = crate::read_large_cell(table, cell)?;
                        large.as_str()
                    }
                };
                write_text(&mut out, text, self.formula_guard, &mut scratch)
                    .map_err(csv_error(&name))?;
            }
            out.write_record(None::<&[u8]>).map_err(csv_error(&name))?;
            rows += 1;
        }
        out.flush()
            .map_err(|e| StageError::new(format!("{name}: {e}")))?;
        self.corpus.push((name, rows));
        Ok(())
    }

    fn encoder(&self) -> Option<Box<dyn DocumentEncoder>> {
        Some(Box::new(CsvEncoder::new(&self.specs, self.formula_guard)))
    }

    fn write_encoded(&mut self, encoded: &Encoded) -> Result<(), StageError> {
        // The encoder's parts are the document tables, in the order of the files.
        for (file, part) in self.files.iter_mut().zip(&encoded.parts) {
            file.file
                .write_all(part.bytes())
                .map_err(|e| StageError::new(format!("{}: {e}", file.name)))?;
            file.rows += part.rows;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<ExportSummary, StageError> {
        crate::write_own(&mut *self, |x: &mut Self| &mut x.own)?;
        let this = *self;
        let mut summary = ExportSummary::default();
        for mut file in this.files {
            file.file
                .flush()
                .map_err(|e| StageError::new(format!("{}: {e}", file.name)))?;
            summary.files.push((file.name, file.rows));
        }
        summary.files.extend(this.corpus);
        this.staging.commit()?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_but_numbers_are_not() {
        assert!(needs_guard("=HYPERLINK(\"x\")"));
        assert!(needs_guard("@SUM(A1)"));
        assert!(needs_guard("- Category"));
        assert!(!needs_guard("-5"));
        assert!(!needs_guard("He said"));
    }

    #[test]
    fn guarded_cells_keep_the_mark_inside_their_quotes() {
        let mut out = csv_writer(Vec::new());
        let mut scratch = String::new();
        for cell in ["=SUM(A1,B1)", "plain", "-5", "+\"x\""] {
            write_text(&mut out, cell, true, &mut scratch).unwrap();
        }
        out.write_record(None::<&[u8]>).unwrap();
        let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
        assert_eq!(text, "\"'=SUM(A1,B1)\",plain,-5,\"'+\"\"x\"\"\"\r\n");
    }
}
