//! Tables that corpus stages produce. A table may hold more rows than fit in memory (one row
//! per quote of a million-article corpus), so rows past a small in-memory budget are spilled
//! to an unnamed temporary file and read back, as often as exporters need, in order.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};

/// Bytes of rows (text plus the `String`/`Vec` headers) kept in memory before the rows go to
/// a temporary file.
const MEMORY_BUDGET: usize = 1 << 20;

/// A plain table with a header, as corpus stages produce them.
#[derive(Debug)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    rows: usize,
    memory: Vec<Vec<String>>,
    memory_bytes: usize,
    /// Rows spilled so far: they come before `memory` in table order.
    spill: Option<BufWriter<File>>,
}

impl Table {
    pub fn new(name: impl Into<String>, columns: &[&str]) -> Table {
        Table {
            name: name.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: 0,
            memory: Vec::new(),
            memory_bytes: 0,
            spill: None,
        }
    }

    /// A table of rows already in memory (small tables, tests): nothing is spilled, since the
    /// rows are in memory anyway.
    pub fn from_rows(name: impl Into<String>, columns: &[&str], rows: Vec<Vec<String>>) -> Table {
        let mut table = Table::new(name, columns);
        table.rows = rows.len();
        table.memory = rows;
        table
    }

    /// Appends a row. Fails only when the temporary file cannot be written.
    pub fn push(&mut self, row: Vec<String>) -> std::io::Result<()> {
        let header = std::mem::size_of::<String>();
        self.memory_bytes += header + row.iter().map(|c| c.capacity() + header).sum::<usize>();
        self.memory.push(row);
        self.rows += 1;
        if self.memory_bytes > MEMORY_BUDGET {
            self.spill_memory()?;
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    fn spill_memory(&mut self) -> std::io::Result<()> {
        if self.spill.is_none() {
            self.spill = Some(BufWriter::with_capacity(1 << 16, tempfile::tempfile()?));
        }
        let Some(w) = self.spill.as_mut() else {
            unreachable!("just set")
        };
        for row in self.memory.drain(..) {
            w.write_all(&(row.len() as u32).to_le_bytes())?;
            for cell in &row {
                w.write_all(&(cell.len() as u32).to_le_bytes())?;
                w.write_all(cell.as_bytes())?;
            }
        }
        // Readers read the file directly, so it must hold every spilled row.
        w.flush()?;
        self.memory = Vec::new();
        self.memory_bytes = 0;
        Ok(())
    }

    /// The rows in order. Each call reads the table from its start; several iterators may be
    /// alive at once, since each reads at its own position.
    pub fn rows(&self) -> Rows<'_> {
        Rows {
            spilled: self.spill.as_ref().map(|w| {
                BufReader::with_capacity(
                    1 << 16,
                    PositionalReader {
                        file: w.get_ref(),
                        position: 0,
                    },
                )
            }),
            spilled_left: self.rows - self.memory.len(),
            memory: self.memory.iter(),
        }
    }

    /// Every row, in memory: for tests and small tables.
    pub fn collect_rows(&self) -> std::io::Result<Vec<Vec<String>>> {
        self.rows().collect()
    }
}

/// Reads a file from its own position, leaving the file's shared cursor (and any writer
/// appending to it) alone.
struct PositionalReader<'a> {
    file: &'a File,
    position: u64,
}

impl Read for PositionalReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.position)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.position)?;
        self.position += n as u64;
        Ok(n)
    }
}

/// Iterator over a table's rows; a spilled row that cannot be read back is an error item,
/// after which the iterator ends.
pub struct Rows<'a> {
    spilled: Option<BufReader<PositionalReader<'a>>>,
    spilled_left: usize,
    memory: std::slice::Iter<'a, Vec<String>>,
}

impl Iterator for Rows<'_> {
    type Item = std::io::Result<Vec<String>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.spilled_left > 0 {
            self.spilled_left -= 1;
            let row = match self.spilled.as_mut() {
                Some(reader) => read_row(reader),
                None => Err(std::io::Error::other("spilled rows without a file")),
            };
            if row.is_err() {
                self.spilled_left = 0;
                self.memory = [].iter();
            }
            return Some(row);
        }
        self.memory.next().cloned().map(Ok)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.spilled_left + self.memory.len();
        (n, Some(n))
    }
}

fn read_row(reader: &mut impl Read) -> std::io::Result<Vec<String>> {
    let mut word = [0u8; 4];
    reader.read_exact(&mut word)?;
    let cells = u32::from_le_bytes(word) as usize;
    let mut row = Vec::with_capacity(cells);
    for _ in 0..cells {
        reader.read_exact(&mut word)?;
        let mut bytes = vec![0; u32::from_le_bytes(word) as usize];
        reader.read_exact(&mut bytes)?;
        row.push(
            String::from_utf8(bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
        );
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_rows_read_back_in_order_as_often_as_asked() {
        let mut table = Table::new("t", &["n", "text"]);
        let text = "x".repeat(1000);
        let n = 2 * MEMORY_BUDGET / 1000 + 17;
        for i in 0..n {
            table.push(vec![i.to_string(), text.clone()]).unwrap();
        }
        assert!(table.spill.is_some(), "past the budget rows go to disk");
        assert_eq!(table.len(), n);
        for _ in 0..2 {
            let rows = table.collect_rows().unwrap();
            assert_eq!(rows.len(), n);
            assert!(rows.iter().enumerate().all(|(i, r)| r[0] == i.to_string()));
            assert!(rows.iter().all(|r| r[1] == text));
        }
        // Two readers at once, and rows pushed between reads.
        let mut a = table.rows();
        let mut b = table.rows();
        assert_eq!(a.next().unwrap().unwrap()[0], "0");
        assert_eq!(a.next().unwrap().unwrap()[0], "1");
        assert_eq!(b.next().unwrap().unwrap()[0], "0");
        drop((a, b));
        table.push(vec![n.to_string(), String::new()]).unwrap();
        assert_eq!(table.rows().last().unwrap().unwrap()[0], n.to_string());
    }

    #[test]
    fn small_tables_stay_in_memory() {
        let table = Table::from_rows("t", &["a"], vec![vec!["1".into()], vec!["2".into()]]);
        assert!(table.spill.is_none());
        assert_eq!(table.collect_rows().unwrap(), [["1"], ["2"]]);
    }
}
