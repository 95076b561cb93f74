//! The `csv` stage: one RFC 4180 table per record kind, UTF-8, header row first.

use std::fs::File;
use std::io::{BufWriter, Write};

use model::{
    Cell, Document, DocumentEncoder, Encoded, EncodedPart, ExportSummary, Exporter, StageError,
    StageOptions, Table,
};
use serde::{Deserialize, Serialize};

use crate::encode::{
    csv_field, csv_needs_quotes, csv_quoted, push_separated_usize, push_usize, Cursor, Out,
};
use crate::staging::Staging;
use crate::tables::{fill_rows, table_names, FillRows, TABLES};
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

/// Bytes of encoded rows a table collects before handing them to its file: as large as the
/// staging file's buffer, so that every hand-over is one direct write.
const CHUNK: usize = 64 * 1024;

struct OpenTable {
    name: String,
    file: BufWriter<File>,
    /// Encoded rows not yet handed to `file` are `buf[..filled]`; the rest is room that rows
    /// are written into in place (see `encode::Cursor`).
    buf: Vec<u8>,
    filled: usize,
    /// Cells per row (the header's), which every row must have.
    columns: usize,
    /// How a document fills this table (`None` for corpus tables).
    fill: Option<FillRows>,
    rows: usize,
}

impl OpenTable {
    fn rows<'a>(&'a mut self, guard: bool, scratch: &'a mut String, id: &'a [u8]) -> Rows<'a> {
        Rows {
            buf: &mut self.buf,
            filled: &mut self.filled,
            rows: &mut self.rows,
            scratch,
            id,
            guard,
        }
    }

    /// Hands the collected rows to the file once there is a chunk of them.
    fn spill(&mut self, at_least: usize) -> Result<(), StageError> {
        if self.filled >= at_least {
            self.file
                .write_all(&self.buf[..self.filled])
                .map_err(|e| StageError::new(format!("{}.csv: {e}", self.name)))?;
            self.filled = 0;
        }
        Ok(())
    }
}

pub struct CsvExporter {
    staging: Staging,
    tables: Vec<OpenTable>,
    prefix: String,
    formula_guard: bool,
    /// Reused for cells assembled from several values (joined lists, dates).
    scratch: String,
    /// The current document's id as a cell: every row of every table starts with it.
    id: Vec<u8>,
}

impl CsvExporter {
    pub fn new(options: CsvOptions, context: &ExportContext) -> Result<Self, StageError> {
        let mut staging = Staging::new(&context.output_dir, &context.instance)?;
        let prefix = if options.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", options.dir.trim_end_matches('/'))
        };
        let mut tables = Vec::new();
        for name in table_names(&context.capabilities) {
            let spec = TABLES.iter().find(|t| t.name == name).expect("known table");
            let mut table = open(&mut staging, &prefix, name, spec.columns)?;
            table.fill = fill_rows(name);
            tables.push(table);
        }
        Ok(CsvExporter {
            staging,
            tables,
            prefix,
            formula_guard: options.formula_guard,
            scratch: String::new(),
            id: Vec::new(),
        })
    }
}

/// Creates a table's file and writes its header row (never formula-guarded).
fn open<S: AsRef<str>>(
    staging: &mut Staging,
    prefix: &str,
    name: &str,
    columns: &[S],
) -> Result<OpenTable, StageError> {
    let file = staging.create(&format!("{prefix}{name}.csv"))?;
    let mut table = OpenTable {
        name: name.to_string(),
        file,
        // Room for a chunk and a document's rows after it (more is made when needed).
        buf: vec![0; 2 * CHUNK],
        filled: 0,
        columns: columns.len(),
        fill: None,
        rows: 0,
    };
    let mut scratch = String::new();
    table.rows(false, &mut scratch, &[]).write(|header| {
        for column in columns {
            header.text(column.as_ref());
        }
        header.end();
    });
    table.rows = 0;
    Ok(table)
}

/// A table's buffer, lent to a document's row filler (or to the header, or a corpus row).
pub(crate) struct Rows<'a> {
    buf: &'a mut Vec<u8>,
    filled: &'a mut usize,
    rows: &'a mut usize,
    scratch: &'a mut String,
    /// The document id's cell, encoded once per document.
    id: &'a [u8],
    guard: bool,
}

impl Rows<'_> {
    /// Writes rows with `fill` after the rows collected, making more room (and writing them
    /// again) when they do not fit. Inlined, so that the [`RowWriter`] is a local of the
    /// filler and its cursor stays in registers.
    #[inline(always)]
    pub(crate) fn write(&mut self, mut fill: impl FnMut(&mut RowWriter)) {
        loop {
            let room = &mut self.buf[*self.filled..];
            let len = room.len();
            let mut row = RowWriter {
                out: Cursor {
                    rest: room,
                    full: false,
                },
                scratch: self.scratch,
                id: self.id,
                guard: self.guard,
                row_start: None,
                rows: 0,
            };
            fill(&mut row);
            if !row.out.full {
                *self.filled += len - row.out.rest.len();
                *self.rows += row.rows;
                return;
            }
            let grown = 2 * self.buf.len();
            self.buf.resize(grown, 0);
        }
    }
}

/// Encodes rows in RFC 4180 exactly as the csv crate's default writer with CRLF terminators
/// did: a field is quoted when it holds `,`, `"`, CR or LF, inner quotes are doubled, and a
/// row that would be empty is written as `""`. Cells go straight into the table's buffer; no
/// row or cell is built as a `String` of its own.
pub(crate) struct RowWriter<'a> {
    out: Cursor<'a>,
    scratch: &'a mut String,
    /// The document id's cell, encoded once per document.
    id: &'a [u8],
    guard: bool,
    /// The room left when the current row started; `None` before its first cell.
    row_start: Option<usize>,
    rows: usize,
}

impl RowWriter<'_> {
    /// Starts a cell: a delimiter unless it is the row's first.
    #[inline(always)]
    pub(crate) fn delimit(&mut self) {
        match self.row_start {
            Some(_) => self.out.put_byte(b','),
            None => self.row_start = Some(self.out.rest.len()),
        }
    }

    /// A text cell, formula-guarded and quoted as needed.
    #[inline(always)]
    pub(crate) fn text(&mut self, cell: &str) {
        self.delimit();
        let guarded = self.guard && needs_guard(cell);
        if !guarded && !csv_needs_quotes(cell.as_bytes()) {
            // Nearly every cell: copied as it is, in one piece.
            self.out.put(cell.as_bytes());
            return;
        }
        let rest = std::mem::take(&mut self.out.rest);
        match special_into(rest, cell, guarded) {
            Some(used) => self.out.rest = &mut rest[used..],
            None => self.out.full = true,
        }
    }

    /// The document id's cell.
    #[inline(always)]
    pub(crate) fn doc_id(&mut self) {
        self.delimit();
        self.out.put(self.id);
    }

    /// An optional text cell; empty when absent.
    #[inline(always)]
    pub(crate) fn opt(&mut self, cell: &Option<String>) {
        match cell {
            Some(cell) => self.text(cell),
            // An empty cell is only its delimiter.
            None => self.delimit(),
        }
    }

    /// A count or offset. Digits never need quotes, nor the guard (which leaves numbers alone).
    #[inline(always)]
    pub(crate) fn number(&mut self, n: usize) {
        // The comma goes with the digits, in one append.
        match self.row_start {
            Some(_) => push_separated_usize(&mut self.out, b',', n),
            None => {
                self.row_start = Some(self.out.rest.len());
                push_usize(&mut self.out, n);
            }
        }
    }

    /// A cell of several values with `separator` between them.
    #[inline(always)]
    pub(crate) fn joined(&mut self, parts: &[String], separator: &str) {
        // Lists of aliases, authors and credits mostly have one item or none.
        match parts {
            [] => self.delimit(),
            [only] => self.text(only),
            _ => {
                let mut cell = std::mem::take(self.scratch);
                join_into(&mut cell, parts, separator);
                self.text(&cell);
                *self.scratch = cell;
            }
        }
    }

    /// A text cell that `fill` assembles (in a reused buffer, since quoting and the guard
    /// depend on the whole cell).
    #[inline(always)]
    pub(crate) fn text_with(&mut self, fill: impl FnOnce(&mut String)) {
        let mut cell = std::mem::take(self.scratch);
        cell.clear();
        fill(&mut cell);
        self.text(&cell);
        *self.scratch = cell;
    }

    /// Ends the row.
    #[inline(always)]
    pub(crate) fn end(&mut self) {
        // A row with no bytes at all would read back as no row: the csv crate writes `""`.
        match self.row_start.take() {
            Some(start) if self.out.rest.len() < start => {}
            _ => self.out.put(b"\"\""),
        }
        self.out.put(b"\r\n");
        self.rows += 1;
    }
}

/// A cell that needs the guard or quotes (rare: kept out of the inlined common case), written
/// at the start of `room`: the bytes used, or `None` when the room ran out. The room comes by
/// value, so that the row writer's cursor stays in registers.
#[inline(never)]
fn special_into(room: &mut [u8], cell: &str, guarded: bool) -> Option<usize> {
    let len = room.len();
    let mut out = Cursor {
        rest: room,
        full: false,
    };
    if guarded {
        csv_field(cell, true, |piece| out.put(piece));
    } else {
        // Unguarded cells come here only for their quotes: no need to look again.
        csv_quoted(cell, b"", |piece| out.put(piece));
    }
    (!out.full).then(|| len - out.rest.len())
}

/// `parts` with `separator` between them, in `cell` (cleared first).
#[inline(never)]
fn join_into(cell: &mut String, parts: &[String], separator: &str) {
    cell.clear();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            cell.push_str(separator);
        }
        cell.push_str(part);
    }
}

/// A row too large to collect in a table's buffer, as [`RowWriter`] would encode it (the
/// row is not empty: it has more than a chunk of bytes).
fn write_big_row(
    file: &mut BufWriter<File>,
    table: &Table,
    cells: &[Cell],
    guard: bool,
) -> std::io::Result<()> {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            file.write_all(b",")?;
        }
        let Some(cell) = cell.text() else {
            write_large_field(file, table, &cells[i], guard)?;
            continue;
        };
        let mut result = Ok(());
        csv_field(cell, guard && needs_guard(cell), |piece| {
            if result.is_ok() {
                result = file.write_all(piece);
            }
        });
        result?;
    }
    file.write_all(b"\r\n")
}

/// A cell left in the table's file, as `csv_field` would write it: read once to decide on
/// quotes and the guard, and once to write it.
fn write_large_field(
    file: &mut BufWriter<File>,
    table: &Table,
    cell: &Cell,
    guard: bool,
) -> std::io::Result<()> {
    let (mut quotes, mut first, mut numeric) = (false, None, true);
    table.read_cell(cell, |piece| {
        quotes |= csv_needs_quotes(piece.as_bytes());
        first = first.or(piece.bytes().next());
        numeric &= piece
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
        Ok(())
    })?;
    let guarded = guard
        && matches!(first, Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
        && !(numeric && {
            // Only digits and signs: whether it is a number takes the whole text.
            let mut text = String::new();
            table.read_cell(cell, |piece| {
                text.push_str(piece);
                Ok(())
            })?;
            text.parse::<f64>().is_ok()
        });
    let guard_mark: &[u8] = if guarded { b"'" } else { b"" };
    if quotes {
        file.write_all(b"\"")?;
    }
    file.write_all(guard_mark)?;
    table.read_cell(cell, |piece| {
        if !quotes {
            return file.write_all(piece.as_bytes());
        }
        let mut parts = piece.split('"');
        if let Some(first) = parts.next() {
            file.write_all(first.as_bytes())?;
        }
        for part in parts {
            file.write_all(b"\"\"")?;
            file.write_all(part.as_bytes())?;
        }
        Ok(())
    })?;
    if quotes {
        file.write_all(b"\"")?;
    }
    Ok(())
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` (or tab/CR) as a formula;
/// numbers such as `-5` are left alone. A guarded cell is written with a leading `'`.
fn needs_guard(cell: &str) -> bool {
    // Tested on the first byte: all six are ASCII, and decoding a character per cell showed.
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) && cell.parse::<f64>().is_err()
}

/// The document id's cell, in `id` (cleared first).
fn encode_id(id: &mut Vec<u8>, doc_id: &str, formula_guard: bool) {
    id.clear();
    let guarded = formula_guard && needs_guard(doc_id);
    csv_field(doc_id, guarded, |piece| id.extend_from_slice(piece));
}

/// A document table's rows as a worker encodes them, waiting to be taken.
struct EncodedTable {
    fill: FillRows,
    /// Encoded rows are `buf[..filled]`; the rest is room (see `encode::Cursor`).
    buf: Vec<u8>,
    filled: usize,
    rows: usize,
    /// Buffers taken earlier and given back once written, to be taken again.
    spare: Vec<Vec<u8>>,
}

/// Encodes documents' rows of every document table, as [`CsvExporter::write_document`]
/// does, into memory: one per worker thread.
pub struct CsvEncoder {
    tables: Vec<EncodedTable>,
    formula_guard: bool,
    scratch: String,
    id: Vec<u8>,
}

impl DocumentEncoder for CsvEncoder {
    fn encode(&mut self, doc: &Document) {
        encode_id(&mut self.id, &doc.id, self.formula_guard);
        for table in &mut self.tables {
            (table.fill)(
                doc,
                &mut Rows {
                    buf: &mut table.buf,
                    filled: &mut table.filled,
                    rows: &mut table.rows,
                    scratch: &mut self.scratch,
                    id: &self.id,
                    guard: self.formula_guard,
                },
            );
        }
    }

    fn take(&mut self) -> Encoded {
        let parts = self
            .tables
            .iter_mut()
            .map(|table| {
                if table.filled == 0 {
                    return EncodedPart::default();
                }
                // The buffer itself goes (copying what it holds cost more than the encoding
                // of some tables), and a spare one written before is the next room.
                let room = table.spare.pop().unwrap_or_else(|| vec![0; ROOM]);
                let part = EncodedPart {
                    buf: std::mem::replace(&mut table.buf, room),
                    len: table.filled,
                    rows: table.rows,
                };
                table.filled = 0;
                table.rows = 0;
                part
            })
            .collect();
        Encoded { parts }
    }

    fn recycle(&mut self, encoded: Encoded) {
        for (table, part) in self.tables.iter_mut().zip(encoded.parts) {
            if !part.buf.is_empty() {
                table.spare.push(part.buf);
            }
        }
    }
}

/// Room an encoder's table starts with: most tables hold a few kB of a handful of documents,
/// and a buffer that grows keeps its size when it is given back.
const ROOM: usize = 16 * 1024;

impl Exporter for CsvExporter {
    fn write_document(&mut self, doc: &Document) -> Result<(), StageError> {
        encode_id(&mut self.id, &doc.id, self.formula_guard);
        for table in &mut self.tables {
            if let Some(fill) = table.fill {
                fill(
                    doc,
                    &mut table.rows(self.formula_guard, &mut self.scratch, &self.id),
                );
                table.spill(CHUNK)?;
            }
        }
        Ok(())
    }

    fn write_table(&mut self, table: &Table) -> Result<(), StageError> {
        let mut out = open(&mut self.staging, &self.prefix, &table.name, &table.columns)?;
        for cells in table.cells() {
            let cells = cells.map_err(|e| StageError::new(format!("{}: {e}", table.name)))?;
            if cells.len() != out.columns {
                // What the csv crate reported for a row of another width.
                return Err(StageError::new(format!(
                    "{}.csv: CSV error: found record with {} fields, \
                     but the previous record has {} fields",
                    table.name,
                    cells.len(),
                    out.columns
                )));
            }
            // A corpus row can join a hundred thousand quotes (tens of MB): it goes straight
            // to the file, after the rows before it, rather than through the buffer, which
            // would double up to its size (old and new buffers alive at once) and keep it;
            // its large cells come from the table's file in pieces.
            if cells.iter().map(Cell::len).sum::<u64>() > CHUNK as u64 {
                out.spill(0)?;
                write_big_row(&mut out.file, table, &cells, self.formula_guard)
                    .map_err(|e| StageError::new(format!("{}.csv: {e}", out.name)))?;
                out.rows += 1;
                continue;
            }
            out.rows(self.formula_guard, &mut self.scratch, &[])
                .write(|row| {
                    for cell in &cells {
                        row.text(cell.text().unwrap_or_default());
                    }
                    row.end();
                });
            out.spill(CHUNK)?;
        }
        self.tables.push(out);
        Ok(())
    }

    fn encoder(&self) -> Option<Box<dyn DocumentEncoder>> {
        let tables = self
            .tables
            .iter()
            .filter_map(|table| table.fill)
            .map(|fill| EncodedTable {
                fill,
                buf: vec![0; ROOM],
                filled: 0,
                rows: 0,
                spare: Vec::new(),
            })
            .collect();
        Some(Box::new(CsvEncoder {
            tables,
            formula_guard: self.formula_guard,
            scratch: String::new(),
            id: Vec::new(),
        }))
    }

    fn write_encoded(&mut self, encoded: &Encoded) -> Result<(), StageError> {
        // The encoder's parts are the document tables, in the order they were opened.
        let tables = self.tables.iter_mut().filter(|table| table.fill.is_some());
        for (table, part) in tables.zip(&encoded.parts) {
            // The header (or rows of documents written one by one) go first.
            table.spill(0)?;
            table
                .file
                .write_all(part.bytes())
                .map_err(|e| StageError::new(format!("{}.csv: {e}", table.name)))?;
            table.rows += part.rows;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<ExportSummary, StageError> {
        let this = *self;
        let mut summary = ExportSummary::default();
        for mut table in this.tables {
            let name = format!("{}{}.csv", this.prefix, table.name);
            table.spill(0)?;
            table
                .file
                .flush()
                .map_err(|e| StageError::new(format!("{name}: {e}")))?;
            summary.files.push((name, table.rows));
        }
        this.staging.commit()?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_row_is_encoded_as_a_row_in_the_buffer() {
        let cells = [
            "plain",
            "=SUM(A1)",
            "-5",
            "with, comma",
            "say \"hi\"",
            "+\"quoted\" guard",
            "",
            "line\nbreak",
            "é“€𝄞\"",
        ];
        // Once as cells in memory, once as cells left in the table's file (a number too).
        let small: Vec<String> = cells.iter().map(|c| c.repeat(3)).collect();
        let mut large: Vec<String> = cells.iter().map(|c| c.repeat(20_000)).collect();
        large.push(format!("-{}", "1".repeat(70_000)));
        for cells in [small, large] {
            let mut table = Table::new("t", &[]);
            let mut row = table.push_streamed().unwrap();
            for cell in &cells {
                row.cell(cell).unwrap();
            }
            row.finish().unwrap();
            let read = table.cells().next().unwrap().unwrap();
            for guard in [false, true] {
                // Little room to start with: the row is written again as room is made.
                let (mut buf, mut filled, mut rows, mut scratch) =
                    (vec![0; 8], 0, 0, String::new());
                Rows {
                    buf: &mut buf,
                    filled: &mut filled,
                    rows: &mut rows,
                    scratch: &mut scratch,
                    id: &[],
                    guard,
                }
                .write(|row| {
                    for cell in &cells {
                        row.text(cell);
                    }
                    row.end();
                });
                assert_eq!(rows, 1);
                buf.truncate(filled);
                let path = tempfile::NamedTempFile::new().unwrap();
                let mut file = BufWriter::new(path.reopen().unwrap());
                write_big_row(&mut file, &table, &read, guard).unwrap();
                file.flush().unwrap();
                assert!(std::fs::read(path.path()).unwrap() == buf, "guard {guard}");
            }
        }
    }

    #[test]
    fn formulas_are_guarded_but_numbers_are_not() {
        assert!(needs_guard("=HYPERLINK(\"x\")"));
        assert!(needs_guard("@SUM(A1)"));
        assert!(needs_guard("- Category"));
        assert!(!needs_guard("-5"));
        assert!(!needs_guard("He said"));
    }
}
