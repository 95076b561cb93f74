//! Helpers shared by the corroborate integration tests.

/// A corpus table with its rows read back, to compare and look rows up.
#[derive(Debug, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn collected(t: model::Table) -> Table {
    Table {
        rows: t.collect_rows().expect("rows read back"),
        name: t.name,
        columns: t.columns,
    }
}
