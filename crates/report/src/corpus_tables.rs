//! What the report keeps of the corpus tables (`corroborate`'s quote groups, their members
//! and the discrepancies): the top groups and the first rows, whatever the tables' size.

use std::collections::HashMap;

use model::{Cell, Table};

/// Versions of one quote shown per group.
const MEMBERS_SHOWN: usize = 12;

/// A quote group: one speaker's words as the documents carry them.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub id: String,
    pub speaker: String,
    pub text: String,
    pub sources: u64,
    pub members: u64,
    pub corroborated: bool,
    /// Full quote (not a phrase inside the writer's sentence).
    pub full: bool,
    /// Position in the table, to keep its order among equals.
    order: u64,
    pub versions: Vec<Member>,
}

/// One document's version of a group's quote.
#[derive(Debug, Clone, Default)]
pub struct Member {
    pub doc_id: String,
    pub text: String,
    pub outlet: String,
    /// `exact`, `normalized`, `truncated` or `changed`, against the group's fullest wording.
    pub wording: String,
}

/// A subject documents disagree on: its first `MEMBERS_SHOWN` values, each with its
/// document and words, and how many values there are in all.
#[derive(Debug, Clone, Default)]
pub struct Discrepancy {
    pub kind: String,
    pub subject: String,
    pub unit: String,
    pub values: Vec<String>,
    pub doc_ids: Vec<String>,
    pub texts: Vec<String>,
    pub total: usize,
}

/// The corpus tables as far as the report shows them.
#[derive(Debug, Default)]
pub struct CorpusTables {
    /// A corroboration stage ran (its tables reached the exporter).
    pub present: bool,
    /// Groups of two or more outlets, best first, at most `top` of them.
    pub shared: Vec<Group>,
    pub shared_total: u64,
    /// Full quotes of one outlet, in table order.
    pub single: Vec<Group>,
    pub single_total: u64,
    pub discrepancies: Vec<Discrepancy>,
    pub discrepancies_total: u64,
    top: usize,
    max_rows: usize,
}

/// The cells of a row by column name; a cell too large to hold reads as empty.
struct Row<'a> {
    columns: &'a HashMap<&'a str, usize>,
    cells: Vec<Cell>,
}

impl Row<'_> {
    fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.cells.get(i))
            .and_then(Cell::text)
            .unwrap_or("")
    }

    fn number(&self, column: &str) -> u64 {
        self.get(column).parse().unwrap_or(0)
    }
}

fn for_each_row(table: &Table, mut f: impl FnMut(&Row)) -> std::io::Result<()> {
    let columns: HashMap<&str, usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    for cells in table.cells() {
        f(&Row {
            columns: &columns,
            cells: cells?,
        });
    }
    Ok(())
}

/// The first `MEMBERS_SHOWN` items of a joined list.
fn split(list: &str, separator: &str) -> Vec<String> {
    if list.is_empty() {
        return Vec::new();
    }
    list.split(separator)
        .take(MEMBERS_SHOWN)
        .map(str::to_string)
        .collect()
}

/// Best first: corroborated, then carried by more outlets, then more versions, then earlier.
fn rank(a: &Group, b: &Group) -> std::cmp::Ordering {
    (b.corroborated, b.sources, b.members)
        .cmp(&(a.corroborated, a.sources, a.members))
        .then(a.order.cmp(&b.order))
}

impl CorpusTables {
    pub fn new(top: usize, max_rows: usize) -> Self {
        CorpusTables {
            top,
            max_rows,
            ..Default::default()
        }
    }

    pub fn read(&mut self, table: &Table) -> std::io::Result<()> {
        match table.name.as_str() {
            "quote_groups" => self.read_groups(table),
            "quote_group_members" => self.read_members(table),
            "discrepancies" => self.read_discrepancies(table),
            _ => Ok(()),
        }
    }

    fn read_groups(&mut self, table: &Table) -> std::io::Result<()> {
        self.present = true;
        let mut order = 0;
        for_each_row(table, |row| {
            order += 1;
            let group = Group {
                id: row.get("group_id").to_string(),
                speaker: row.get("speaker").to_string(),
                text: row.get("text").to_string(),
                sources: row.number("sources"),
                members: row.number("members"),
                corroborated: row.get("corroborated") == "true",
                full: row.get("kind") == "full",
                order,
                versions: Vec::new(),
            };
            if group.sources >= 2 {
                self.shared_total += 1;
                self.shared.push(group);
                if self.shared.len() >= 2 * self.top.max(1) {
                    self.keep_best();
                }
            } else {
                self.single_total += 1;
                if group.full && self.single.len() < self.max_rows {
                    self.single.push(group);
                }
            }
        })?;
        self.keep_best();
        Ok(())
    }

    fn keep_best(&mut self) {
        self.shared.sort_by(rank);
        self.shared.truncate(self.top);
    }

    /// Adds each shown group's versions (the members table follows the groups table).
    fn read_members(&mut self, table: &Table) -> std::io::Result<()> {
        let shown: HashMap<String, usize> = self
            .shared
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.clone(), i))
            .collect();
        let shared = &mut self.shared;
        for_each_row(table, |row| {
            let Some(&i) = shown.get(row.get("group_id")) else {
                return;
            };
            let versions = &mut shared[i].versions;
            if versions.len() < MEMBERS_SHOWN {
                versions.push(Member {
                    doc_id: row.get("doc_id").to_string(),
                    text: row.get("text").to_string(),
                    outlet: row.get("outlet").to_string(),
                    wording: row.get("wording").to_string(),
                });
            }
        })
    }

    fn read_discrepancies(&mut self, table: &Table) -> std::io::Result<()> {
        self.present = true;
        let (list, max_rows) = (&mut self.discrepancies, self.max_rows);
        let mut total = 0;
        for_each_row(table, |row| {
            total += 1;
            if list.len() < max_rows {
                list.push(Discrepancy {
                    kind: row.get("kind").to_string(),
                    subject: row.get("subject").to_string(),
                    unit: row.get("unit").to_string(),
                    values: split(row.get("values"), "|"),
                    total: row.get("values").split('|').count(),
                    doc_ids: split(row.get("doc_ids"), "|"),
                    texts: split(row.get("texts"), " | "),
                });
            }
        })?;
        self.discrepancies_total += total;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups_table(rows: &[(&str, &str, u64, bool)]) -> Table {
        let columns = [
            "group_id",
            "speaker",
            "text",
            "sources",
            "corroborated",
            "kind",
        ];
        let rows = rows
            .iter()
            .map(|(id, text, sources, corroborated)| {
                vec![
                    id.to_string(),
                    "Ana Lima".into(),
                    text.to_string(),
                    sources.to_string(),
                    corroborated.to_string(),
                    "full".into(),
                ]
            })
            .collect();
        Table::from_rows("quote_groups", &columns, rows)
    }

    #[test]
    fn the_best_shared_groups_are_kept_and_the_rest_counted() {
        let mut tables = CorpusTables::new(2, 10);
        let table = groups_table(&[
            ("g1", "yes", 3, false),
            ("g2", "we will rebuild the bridge", 2, true),
            ("g3", "the port reopens in May", 4, true),
            ("g4", "only here", 1, false),
            ("g5", "the fares stay as they are", 2, true),
        ]);
        tables.read(&table).unwrap();
        let ids: Vec<&str> = tables.shared.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["g3", "g2"]);
        assert_eq!((tables.shared_total, tables.single_total), (4, 1));
        assert_eq!(tables.single[0].text, "only here");
        let members = Table::from_rows(
            "quote_group_members",
            &["group_id", "doc_id", "text", "outlet", "wording"],
            vec![
                vec![
                    "g1".into(),
                    "a".into(),
                    "yes".into(),
                    "".into(),
                    "exact".into(),
                ],
                vec![
                    "g3".into(),
                    "b".into(),
                    "t".into(),
                    "Ledger".into(),
                    "exact".into(),
                ],
            ],
        );
        tables.read(&members).unwrap();
        assert_eq!(tables.shared[0].versions.len(), 1);
        assert_eq!(tables.shared[0].versions[0].outlet, "Ledger");
    }

    #[test]
    fn a_discrepancy_of_many_documents_keeps_its_first_values_and_their_count() {
        let values: Vec<String> = (0..20).map(|i| format!("{}", 50 + i)).collect();
        let docs: Vec<String> = (0..20).map(|i| format!("d{i}")).collect();
        let texts: Vec<String> = (0..20).map(|i| format!("{} ferries", 50 + i)).collect();
        let table = Table::from_rows(
            "discrepancies",
            &["kind", "subject", "values", "doc_ids", "texts", "unit"],
            vec![vec![
                "claim".into(),
                "ferries".into(),
                values.join("|"),
                docs.join("|"),
                texts.join(" | "),
                "count".into(),
            ]],
        );
        let mut tables = CorpusTables::new(10, 10);
        tables.read(&table).unwrap();
        let d = &tables.discrepancies[0];
        assert_eq!(
            (d.values.len(), d.doc_ids.len(), d.texts.len()),
            (12, 12, 12)
        );
        assert_eq!(d.total, 20);
        assert_eq!(
            (d.values[11].as_str(), d.texts[11].as_str()),
            ("61", "61 ferries")
        );
    }
}
