//! The `csv` stage: one RFC 4180 table per record kind, UTF-8, header row first.

use std::fs::File;
use std::io::BufWriter;

use model::{Document, ExportSummary, Exporter, StageError, StageOptions, Table};
use serde::{Deserialize, Serialize};

use crate::staging::Staging;
use crate::tables::{rows, table_names, TABLES};
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

struct OpenTable {
    name: String,
    writer: csv::Writer<BufWriter<File>>,
    rows: usize,
}

pub struct CsvExporter {
    staging: Staging,
    tables: Vec<OpenTable>,
    prefix: String,
    formula_guard: bool,
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
            let mut table = open(&mut staging, &prefix, name)?;
            write_record(&mut table, spec.columns.iter().copied(), false)?;
            tables.push(table);
        }
        Ok(CsvExporter {
            staging,
            tables,
            prefix,
            formula_guard: options.formula_guard,
        })
    }
}

fn open(staging: &mut Staging, prefix: &str, name: &str) -> Result<OpenTable, StageError> {
    let file = staging.create(&format!("{prefix}{name}.csv"))?;
    Ok(OpenTable {
        name: name.to_string(),
        writer: csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(file),
        rows: 0,
    })
}

fn write_record<'a>(
    table: &mut OpenTable,
    cells: impl Iterator<Item = &'a str>,
    guard: bool,
) -> Result<(), StageError> {
    let result = if guard {
        table
            .writer
            .write_record(cells.map(|c| guard_formula(c).into_owned()))
    } else {
        table.writer.write_record(cells)
    };
    result.map_err(|e| StageError::new(format!("{}.csv: {e}", table.name)))
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` (or tab/CR) as a formula;
/// numbers such as `-5` are left alone.
fn guard_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

impl Exporter for CsvExporter {
    fn write_document(&mut self, doc: &Document) -> Result<(), StageError> {
        for table in &mut self.tables {
            for row in rows(&table.name, doc) {
                write_record(table, row.iter().map(String::as_str), self.formula_guard)?;
                table.rows += 1;
            }
        }
        Ok(())
    }

    fn write_table(&mut self, table: &Table) -> Result<(), StageError> {
        let mut out = open(&mut self.staging, &self.prefix, &table.name)?;
        write_record(&mut out, table.columns.iter().map(String::as_str), false)?;
        for row in table.rows() {
            let row = row.map_err(|e| StageError::new(format!("{}: {e}", table.name)))?;
            write_record(&mut out, row.iter().map(String::as_str), self.formula_guard)?;
            out.rows += 1;
        }
        self.tables.push(out);
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<ExportSummary, StageError> {
        let this = *self;
        let mut summary = ExportSummary::default();
        for table in this.tables {
            let name = format!("{}{}.csv", this.prefix, table.name);
            let mut file = table
                .writer
                .into_inner()
                .map_err(|e| StageError::new(format!("{name}: {}", e.error())))?;
            std::io::Write::flush(&mut file)
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
    fn formulas_are_guarded_but_numbers_are_not() {
        assert_eq!(guard_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard_formula("- Category"), "'- Category");
        assert_eq!(guard_formula("-5"), "-5");
        assert_eq!(guard_formula("He said"), "He said");
    }
}
