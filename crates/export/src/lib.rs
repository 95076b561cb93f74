//! Exporters: the `csv`, `json` and `parquet` stages, and the JSONL stream writer of streaming
//! mode.
//!
//! What they write is described once, in the output contract ([`contract`]): the per-document
//! tables, their columns and types. Every file is first written under a staging folder inside
//! the output folder and moved to its final name only when the whole run has succeeded, so an
//! interrupted run never leaves a half-written table and never destroys the previous run's
//! outputs.

pub mod contract;
mod csv_export;
mod json_export;
mod parquet_export;
mod schema;
mod staging;

use std::collections::BTreeSet;
use std::path::PathBuf;

use model::{Capability, Cell, DocumentEncoder, EncodedPart, Exporter, StageError, Table};

pub use contract::{table_names, tables_for, Column, ColumnType, TableSpec, TABLES};
pub use csv_export::{CsvEncoder, CsvExporter, CsvOptions};
pub use json_export::{stream_line, JsonEncoder, JsonExporter, JsonOptions, StreamWriter};
pub use parquet_export::{arrow_schema, ParquetExporter, ParquetOptions};
pub use schema::{arrow_schemas, document_schema, schema_mismatches, tables_schema, CorpusTable};
pub use staging::Staging;

/// What exporters need to know about the run.
#[derive(Debug, Clone)]
pub struct ExportContext {
    /// The output folder (created if missing).
    pub output_dir: PathBuf,
    /// What the pipeline's stages provide: a table is written only when its stage runs.
    pub capabilities: BTreeSet<Capability>,
    /// Names corpus stages' tables will have (so JSON/CSV know them up front).
    pub instance: String,
}

/// The text of a corpus table's cell that was left in the table's file.
fn read_large_cell(table: &Table, cell: &Cell) -> Result<String, StageError> {
    let mut text = String::with_capacity(cell.len() as usize);
    table
        .read_cell(cell, |piece| {
            text.push_str(piece);
            Ok(())
        })
        .map_err(|e| StageError::new(format!("{}: {e}", table.name)))?;
    Ok(text)
}

/// Writes what an exporter's own encoder (`own`) holds, the documents it was handed itself
/// (on one thread), and gives the buffers back to the encoder.
fn write_own<X: Exporter, E: DocumentEncoder>(
    exporter: &mut X,
    own: fn(&mut X) -> &mut E,
) -> Result<(), StageError> {
    let encoded = own(exporter).take();
    exporter.write_encoded(&encoded)?;
    own(exporter).recycle(encoded);
    Ok(())
}

/// Keeps a written part's buffer, emptied, to encode into again.
fn keep_spare(part: EncodedPart, spare: &mut Vec<Vec<u8>>) {
    let mut buf = part.buf;
    if buf.capacity() > 0 {
        buf.clear();
        spare.push(buf);
    }
}

/// What an exporter's `dir` option puts before its file names ("" = the output folder).
fn dir_prefix(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{}/", dir.trim_end_matches('/'))
    }
}
