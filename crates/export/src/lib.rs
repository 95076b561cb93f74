//! Exporters: the `csv` and `json` stages, and the JSONL stream writer of streaming mode.
//!
//! Every file is first written under a staging folder and moved to its final name only when
//! the exporter finishes; the runner gives exporters a new generation of the output folder
//! ([`OutputFolder`]) and commits the run's files together, in one rename, only when the whole
//! run has succeeded: an interrupted run never leaves a half-written table, a mix of two runs'
//! tables, or a table of an earlier run beside the new ones.

mod csv_export;
mod encode;
mod json_encode;
mod json_export;
mod schema;
mod staging;
mod tables;

use std::collections::BTreeSet;
use std::path::PathBuf;

use model::Capability;

pub use csv_export::{CsvEncoder, CsvExporter, CsvOptions};
pub use json_export::{
    document_json, stream_line, JsonEncoder, JsonExporter, JsonOptions, StreamWriter,
};
pub use schema::{document_schema, schema_mismatches};
pub use staging::{OutputFolder, Staging, STATE_DIR};
pub use tables::{table_names, TableSpec, TABLES};

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
