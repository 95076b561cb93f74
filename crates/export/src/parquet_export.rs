//! The `parquet` stage: one Parquet file per table (zstd), with the column types of the output
//! contract (integers, dates as Date32, lists as list columns), written a row group at a time
//! as the run goes, so memory is bounded by a row group, not by the table.

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::types::Date32Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;
use model::{Document, ExportSummary, Exporter, StageError, StageOptions, Table};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};

use crate::contract::{tables_for, Cells, Column, ColumnType, TableSpec};
use crate::staging::Staging;
use crate::ExportContext;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParquetOptions {
    /// Sub-folder of the output folder to write into ("" = the output folder itself).
    pub dir: String,
    /// Rows a table collects before writing them as one row group.
    pub row_group_rows: usize,
    /// zstd compression level (1 – 22).
    pub zstd_level: i32,
}

impl Default for ParquetOptions {
    fn default() -> Self {
        ParquetOptions {
            dir: String::new(),
            row_group_rows: 65_536,
            zstd_level: 3,
        }
    }
}

impl StageOptions for ParquetOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            (
                "dir",
                "sub-folder of the output folder for the Parquet files",
            ),
            (
                "row_group_rows",
                "rows per row group: a table holds at most this many in memory",
            ),
            (
                "zstd_level",
                "zstd compression level, 1 (fast) to 22 (small)",
            ),
        ]
    }
}

/// The Arrow type of a contract column.
fn data_type(ty: ColumnType) -> DataType {
    match ty {
        ColumnType::String => DataType::Utf8,
        ColumnType::Integer => DataType::Int64,
        ColumnType::Float => DataType::Float64,
        ColumnType::Bool => DataType::Boolean,
        ColumnType::Date => DataType::Date32,
        // What `ListBuilder<StringBuilder>` makes.
        ColumnType::List { .. } => {
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
        }
    }
}

/// The Arrow schema of a table with these columns.
pub fn arrow_schema(columns: &[Column]) -> Schema {
    Schema::new(
        columns
            .iter()
            .map(|c| Field::new(c.name, data_type(c.ty), c.nullable))
            .collect::<Vec<_>>(),
    )
}

/// The Arrow schema of a corpus table: its columns hold text.
fn corpus_schema(columns: &[String]) -> Schema {
    Schema::new(
        columns
            .iter()
            .map(|c| Field::new(c, DataType::Utf8, false))
            .collect::<Vec<_>>(),
    )
}

/// A column's cells of the row group being collected.
enum ColumnBuilder {
    String(StringBuilder),
    Integer(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
    List(ListBuilder<StringBuilder>),
}

impl ColumnBuilder {
    fn new(ty: &DataType) -> Self {
        match ty {
            DataType::Int64 => ColumnBuilder::Integer(Int64Builder::new()),
            DataType::Float64 => ColumnBuilder::Float(Float64Builder::new()),
            DataType::Boolean => ColumnBuilder::Bool(BooleanBuilder::new()),
            DataType::Date32 => ColumnBuilder::Date(Date32Builder::new()),
            DataType::List(_) => ColumnBuilder::List(ListBuilder::new(StringBuilder::new())),
            _ => ColumnBuilder::String(StringBuilder::new()),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            ColumnBuilder::String(b) => Arc::new(b.finish()),
            ColumnBuilder::Integer(b) => Arc::new(b.finish()),
            ColumnBuilder::Float(b) => Arc::new(b.finish()),
            ColumnBuilder::Bool(b) => Arc::new(b.finish()),
            ColumnBuilder::Date(b) => Arc::new(b.finish()),
            ColumnBuilder::List(b) => Arc::new(b.finish()),
        }
    }
}

/// A table's file and the row group it is collecting.
struct ParquetTable {
    name: String,
    spec: Option<&'static TableSpec>,
    schema: SchemaRef,
    columns: Vec<ColumnBuilder>,
    writer: ArrowWriter<BufWriter<File>>,
    /// Rows collected in `columns`, not yet written.
    pending: usize,
    rows: usize,
}

impl ParquetTable {
    fn open(
        staging: &mut Staging,
        name: String,
        schema: Schema,
        options: &ParquetOptions,
    ) -> Result<Self, StageError> {
        let file = staging.create(&name)?;
        let schema = Arc::new(schema);
        let level = ZstdLevel::try_new(options.zstd_level)
            .map_err(|e| StageError::new(format!("{name}: zstd_level: {e}")))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .set_max_row_group_size(options.row_group_rows.max(1))
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(properties))
            .map_err(|e| StageError::new(format!("{name}: {e}")))?;
        let columns = schema
            .fields()
            .iter()
            .map(|f| ColumnBuilder::new(f.data_type()))
            .collect();
        Ok(ParquetTable {
            name,
            spec: None,
            schema,
            columns,
            writer,
            pending: 0,
            rows: 0,
        })
    }

    /// Writes the rows collected as a row group.
    fn write_row_group(&mut self) -> Result<(), StageError> {
        if self.pending == 0 {
            return Ok(());
        }
        let arrays = self.columns.iter_mut().map(ColumnBuilder::finish).collect();
        let error = |e: &dyn fmt::Display| StageError::new(format!("{}: {e}", self.name));
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(|e| error(&e))?;
        self.writer.write(&batch).map_err(|e| error(&e))?;
        self.writer.flush().map_err(|e| error(&e))?;
        self.pending = 0;
        Ok(())
    }

    fn close(mut self) -> Result<(String, usize), StageError> {
        self.write_row_group()?;
        let error = |e: &dyn fmt::Display| StageError::new(format!("{}: {e}", self.name));
        let mut file = self.writer.into_inner().map_err(|e| error(&e))?;
        file.flush().map_err(|e| error(&e))?;
        Ok((self.name, self.rows))
    }

    fn cells(&mut self) -> ParquetCells<'_> {
        ParquetCells {
            columns: &mut self.columns,
            column: 0,
            pending: &mut self.pending,
            rows: &mut self.rows,
        }
    }
}

/// A row's cells appended to its table's column builders.
struct ParquetCells<'a> {
    columns: &'a mut [ColumnBuilder],
    column: usize,
    pending: &'a mut usize,
    rows: &'a mut usize,
}

impl ParquetCells<'_> {
    fn next(&mut self) -> &mut ColumnBuilder {
        self.column += 1;
        &mut self.columns[self.column - 1]
    }
}

/// A filler or a corpus table wrote a cell of another type than its column's: a bug in the
/// contract, which its tests catch.
fn mismatch(what: &str) -> ! {
    panic!("a {what} cell in a column of another type")
}

impl Cells for ParquetCells<'_> {
    fn string(&mut self, value: &str) {
        match self.next() {
            ColumnBuilder::String(b) => b.append_value(value),
            _ => mismatch("string"),
        }
    }

    fn opt_string(&mut self, value: Option<&str>) {
        match self.next() {
            ColumnBuilder::String(b) => b.append_option(value),
            _ => mismatch("string"),
        }
    }

    fn integer(&mut self, value: Option<usize>) {
        match self.next() {
            ColumnBuilder::Integer(b) => b.append_option(value.map(|n| n as i64)),
            _ => mismatch("integer"),
        }
    }

    fn float(&mut self, value: f64) {
        match self.next() {
            ColumnBuilder::Float(b) => b.append_value(value),
            _ => mismatch("float"),
        }
    }

    fn date(&mut self, value: Option<NaiveDate>) {
        match self.next() {
            ColumnBuilder::Date(b) => b.append_option(value.map(Date32Type::from_naive_date)),
            _ => mismatch("date"),
        }
    }

    fn list<T: fmt::Display>(&mut self, items: &[T]) {
        match self.next() {
            ColumnBuilder::List(b) => {
                for item in items {
                    b.values().append_value(item.to_string());
                }
                b.append(true);
            }
            _ => mismatch("list"),
        }
    }

    fn end_row(&mut self) {
        debug_assert_eq!(self.column, self.columns.len(), "cells of a row");
        self.column = 0;
        *self.pending += 1;
        *self.rows += 1;
    }
}

pub struct ParquetExporter {
    staging: Staging,
    prefix: String,
    options: ParquetOptions,
    /// The document tables, in the order of the contract.
    tables: Vec<ParquetTable>,
    /// Corpus tables written: file name and rows.
    corpus: Vec<(String, usize)>,
}

impl ParquetExporter {
    pub fn new(options: ParquetOptions, context: &ExportContext) -> Result<Self, StageError> {
        let mut staging = Staging::new(&context.output_dir, &context.instance)?;
        let prefix = crate::dir_prefix(&options.dir);
        let mut tables = Vec::new();
        for spec in tables_for(&context.capabilities) {
            let name = format!("{prefix}{}.parquet", spec.name);
            let mut table =
                ParquetTable::open(&mut staging, name, arrow_schema(spec.columns), &options)?;
            table.spec = Some(spec);
            tables.push(table);
        }
        Ok(ParquetExporter {
            staging,
            prefix,
            options,
            tables,
            corpus: Vec::new(),
        })
    }
}

impl Exporter for ParquetExporter {
    fn write_document(&mut self, doc: &Document) -> Result<(), StageError> {
        for table in &mut self.tables {
            if let Some(spec) = table.spec {
                spec.fill(doc, &mut table.cells());
            }
            if table.pending >= self.options.row_group_rows {
                table.write_row_group()?;
            }
        }
        Ok(())
    }

    fn write_table(&mut self, table: &Table) -> Result<(), StageError> {
        let name = format!("{}{}.parquet", self.prefix, table.name);
        let schema = corpus_schema(&table.columns);
        let mut out = ParquetTable::open(&mut self.staging, name, schema, &self.options)?;
        for row in table.cells() {
            let row = row.map_err(|e| StageError::new(format!("{}: {e}", table.name)))?;
            if row.len() != table.columns.len() {
                return Err(StageError::new(format!(
                    "{}: a row of {} cells under {} columns",
                    out.name,
                    row.len(),
                    table.columns.len()
                )));
            }
            let mut cells = out.cells();
            for cell in &row {
                match cell.text() {
                    Some(text) => cells.string(text),
                    None => cells.string(&crate::read_large_cell(table, cell)?),
                }
            }
            cells.end_row();
            if out.pending >= self.options.row_group_rows {
                out.write_row_group()?;
            }
        }
        self.corpus.push(out.close()?);
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<ExportSummary, StageError> {
        let this = *self;
        let mut summary = ExportSummary::default();
        for table in this.tables {
            summary.files.push(table.close()?);
        }
        summary.files.extend(this.corpus);
        this.staging.commit()?;
        Ok(summary)
    }
}
