//! Tables that corpus stages produce. A table may hold more rows than fit in memory (one row
//! per quote of a million-article corpus), so rows past a small in-memory budget are spilled
//! to an unnamed temporary file and read back, as often as exporters need, in order. A row
//! may also be too large to hold (a list that joins a share of the corpus): such a row is
//! written to the file cell by cell, in pieces ([`Table::push_streamed`]), and read back the
//! same way ([`Table::cells`], [`Table::read_cell`]).

use std::fs::File;
use std::io::{BufWriter, Write};

/// Bytes of rows (text plus the `String`/`Vec` headers) kept in memory before the rows go to
/// a temporary file.
const MEMORY_BUDGET: usize = 1 << 20;

/// Cells longer than this stay in the file when rows are read with [`Table::cells`].
pub const LARGE_CELL: usize = 1 << 16;

/// Bytes read from the file at a time.
const READ_BUFFER: usize = 1 << 16;

/// The temporary file's writer, the file made on first use.
fn spill_writer(spill: &mut Option<BufWriter<File>>) -> std::io::Result<&mut BufWriter<File>> {
    if spill.is_none() {
        *spill = Some(BufWriter::with_capacity(1 << 16, tempfile::tempfile()?));
    }
    Ok(spill.as_mut().expect("made above"))
}

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
    /// Bytes handed to `spill` so far, to know where a streamed row's counts go.
    spilled: u64,
    /// A streamed row was begun and not finished: the file holds part of a row.
    broken: bool,
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
            spilled: 0,
            broken: false,
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
        self.check()?;
        let header = std::mem::size_of::<String>();
        self.memory_bytes += header + row.iter().map(|c| c.capacity() + header).sum::<usize>();
        self.memory.push(row);
        self.rows += 1;
        if self.memory_bytes > MEMORY_BUDGET {
            self.spill_memory()?;
        }
        Ok(())
    }

    /// Appends a row written straight to the temporary file, cell by cell and each cell in
    /// pieces, so that a row larger than memory should hold is never held. The row counts
    /// once [`RowWriter::finish`] returns; a row left unfinished makes the table fail.
    pub fn push_streamed(&mut self) -> std::io::Result<RowWriter<'_>> {
        self.check()?;
        self.spill_memory()?;
        let at = self.spilled;
        self.broken = true;
        self.write_spill(&0u32.to_le_bytes())?;
        Ok(RowWriter {
            table: self,
            at,
            cells: 0,
            cell: None,
        })
    }

    fn check(&self) -> std::io::Result<()> {
        if self.broken {
            return Err(std::io::Error::other(format!(
                "table {}: a streamed row was left unfinished",
                self.name
            )));
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    fn write_spill(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let w = spill_writer(&mut self.spill)?;
        w.write_all(bytes)?;
        self.spilled += bytes.len() as u64;
        Ok(())
    }

    fn spill_memory(&mut self) -> std::io::Result<()> {
        if self.memory.is_empty() {
            return Ok(());
        }
        let w = spill_writer(&mut self.spill)?;
        let mut written = 0;
        for row in self.memory.drain(..) {
            w.write_all(&(row.len() as u32).to_le_bytes())?;
            for cell in &row {
                w.write_all(&(cell.len() as u32).to_le_bytes())?;
                w.write_all(cell.as_bytes())?;
                written += 4 + cell.len() as u64;
            }
            written += 4;
        }
        // Readers read the file directly, so it must hold every spilled row.
        w.flush()?;
        self.spilled += written;
        self.memory = Vec::new();
        self.memory_bytes = 0;
        Ok(())
    }

    /// The rows in order. Each call reads the table from its start; several iterators may be
    /// alive at once, since each reads at its own position.
    pub fn rows(&self) -> Rows<'_> {
        Rows {
            cells: self.cells(),
        }
    }

    /// The rows in order, as [`Table::rows`], but with cells longer than [`LARGE_CELL`] left
    /// in the file, to be read in pieces with [`Table::read_cell`].
    pub fn cells(&self) -> Cells<'_> {
        Cells {
            spilled: self.spill.as_ref().map(|w| SpillCursor {
                file: w.get_ref(),
                position: 0,
                buf: Vec::new(),
                start: 0,
            }),
            spilled_left: self.rows - self.memory.len(),
            memory: self.memory.iter(),
        }
    }

    /// Hands a cell's text to `put` in pieces (whole characters, at most [`LARGE_CELL`]
    /// bytes each, but for a cell held in memory, which is one piece).
    pub fn read_cell(
        &self,
        cell: &Cell,
        mut put: impl FnMut(&str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let (at, len) = match cell {
            Cell::Text(text) => return put(text),
            Cell::Large { at, len } => (*at, *len),
        };
        let file = self
            .spill
            .as_ref()
            .ok_or_else(|| std::io::Error::other("spilled cell without a file"))?
            .get_ref();
        // A character cut at the end of one read is carried to the start of the next.
        let mut buf = vec![0u8; LARGE_CELL];
        let (mut position, mut left, mut carry) = (at, len, 0);
        while left > 0 {
            let n = ((LARGE_CELL - carry) as u64).min(left) as usize;
            read_exact_at(file, &mut buf[carry..carry + n], position)?;
            position += n as u64;
            left -= n as u64;
            let filled = carry + n;
            let valid = match std::str::from_utf8(&buf[..filled]) {
                Ok(_) => filled,
                Err(e) if e.error_len().is_none() && left > 0 => e.valid_up_to(),
                Err(e) => return Err(invalid(e)),
            };
            put(std::str::from_utf8(&buf[..valid]).map_err(invalid)?)?;
            buf.copy_within(valid..filled, 0);
            carry = filled - valid;
        }
        Ok(())
    }

    /// Every row, in memory: for tests and small tables.
    pub fn collect_rows(&self) -> std::io::Result<Vec<Vec<String>>> {
        self.rows().collect()
    }
}

fn invalid(e: std::str::Utf8Error) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e)
}

/// Writes one row of [`Table::push_streamed`]. Each cell's length, and the row's number of
/// cells, are written where they go once known.
pub struct RowWriter<'a> {
    table: &'a mut Table,
    /// Where the row's number of cells goes.
    at: u64,
    cells: u32,
    /// The open cell: where its length goes, and its length so far.
    cell: Option<(u64, u64)>,
}

impl RowWriter<'_> {
    /// Writes a whole cell.
    pub fn cell(&mut self, text: &str) -> std::io::Result<()> {
        self.begin_cell()?;
        self.write(text)?;
        self.end_cell()
    }

    /// Opens a cell, which [`RowWriter::write`] fills and [`RowWriter::end_cell`] closes.
    pub fn begin_cell(&mut self) -> std::io::Result<()> {
        if self.cell.is_some() {
            self.end_cell()?;
        }
        self.cell = Some((self.table.spilled, 0));
        self.table.write_spill(&0u32.to_le_bytes())
    }

    /// Appends to the open cell.
    pub fn write(&mut self, piece: &str) -> std::io::Result<()> {
        let Some((_, len)) = self.cell.as_mut() else {
            return Err(std::io::Error::other("no cell is open"));
        };
        *len += piece.len() as u64;
        self.table.write_spill(piece.as_bytes())
    }

    pub fn end_cell(&mut self) -> std::io::Result<()> {
        let Some((at, len)) = self.cell.take() else {
            return Ok(());
        };
        let len = u32::try_from(len)
            .map_err(|_| std::io::Error::other("a table cell of 4 GiB or more"))?;
        self.cells += 1;
        self.patch(at, len)
    }

    /// Ends the row, which then counts in the table.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.end_cell()?;
        self.patch(self.at, self.cells)?;
        self.table.rows += 1;
        self.table.broken = false;
        Ok(())
    }

    /// Writes `value` at `at`, which the buffer may still hold: it is flushed first, or it
    /// would overwrite the value later.
    fn patch(&mut self, at: u64, value: u32) -> std::io::Result<()> {
        let Some(w) = self.table.spill.as_mut() else {
            return Err(std::io::Error::other("streamed row without a file"));
        };
        w.flush()?;
        write_all_at(w.get_mut(), &value.to_le_bytes(), at)
    }
}

fn write_all_at(file: &mut File, bytes: &[u8], at: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
    }
    #[cfg(windows)]
    {
        use std::io::{Seek, SeekFrom};
        let mut done = 0;
        while done < bytes.len() {
            done +=
                std::os::windows::fs::FileExt::seek_write(file, &bytes[done..], at + done as u64)?;
        }
        // `seek_write` moves the cursor, which appending rows relies on.
        file.seek(SeekFrom::End(0))?;
        Ok(())
    }
}

fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        let position = at + filled as u64;
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(file, &mut buf[filled..], position)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(file, &mut buf[filled..], position)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        filled += n;
    }
    Ok(())
}

/// A cell as [`Table::cells`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// `len` bytes at `at` in the table's file.
    Large {
        at: u64,
        len: u64,
    },
}

impl Cell {
    pub fn len(&self) -> u64 {
        match self {
            Cell::Text(text) => text.len() as u64,
            Cell::Large { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of a cell held in memory.
    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(text) => Some(text),
            Cell::Large { .. } => None,
        }
    }
}

/// Reads a file from its own position through a buffer, leaving the file's shared cursor
/// (and any writer appending to it) alone.
struct SpillCursor<'a> {
    file: &'a File,
    /// File position of `buf`'s end.
    position: u64,
    buf: Vec<u8>,
    /// Bytes of `buf` already used.
    start: usize,
}

impl SpillCursor<'_> {
    /// Fills `out` from the file.
    fn read_exact(&mut self, out: &mut [u8]) -> std::io::Result<()> {
        if let Some(held) = self.buf.get(self.start..self.start + out.len()) {
            out.copy_from_slice(held);
            self.start += out.len();
            return Ok(());
        }
        let mut done = 0;
        while done < out.len() {
            if self.start == self.buf.len() {
                let wanted = out.len() - done;
                if wanted >= READ_BUFFER {
                    // A long cell goes straight to its string.
                    read_exact_at(self.file, &mut out[done..], self.position)?;
                    self.position += wanted as u64;
                    return Ok(());
                }
                self.fill()?;
            }
            let n = (self.buf.len() - self.start).min(out.len() - done);
            out[done..done + n].copy_from_slice(&self.buf[self.start..self.start + n]);
            self.start += n;
            done += n;
        }
        Ok(())
    }

    /// Reads the next buffer's worth, or what is left of the file.
    fn fill(&mut self) -> std::io::Result<()> {
        self.buf.resize(READ_BUFFER, 0);
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, &mut self.buf, self.position)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, &mut self.buf, self.position)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buf.truncate(n);
        self.position += n as u64;
        self.start = 0;
        Ok(())
    }

    /// The file position of the next byte to read.
    fn at(&self) -> u64 {
        self.position - (self.buf.len() - self.start) as u64
    }

    fn skip(&mut self, n: u64) {
        let buffered = (self.buf.len() - self.start) as u64;
        if n <= buffered {
            self.start += n as usize;
        } else {
            self.position += n - buffered;
            self.start = self.buf.len();
        }
    }

    fn u32(&mut self) -> std::io::Result<u32> {
        let mut word = [0u8; 4];
        self.read_exact(&mut word)?;
        Ok(u32::from_le_bytes(word))
    }

    fn row(&mut self, keep_large: bool) -> std::io::Result<Vec<Cell>> {
        let cells = self.u32()? as usize;
        let mut row = Vec::with_capacity(cells);
        for _ in 0..cells {
            let len = self.u32()? as usize;
            if keep_large && len > LARGE_CELL {
                row.push(Cell::Large {
                    at: self.at(),
                    len: len as u64,
                });
                self.skip(len as u64);
                continue;
            }
            let bytes = match self.buf.get(self.start..self.start + len) {
                Some(held) => {
                    self.start += len;
                    held.to_vec()
                }
                None => {
                    let mut bytes = vec![0; len];
                    self.read_exact(&mut bytes)?;
                    bytes
                }
            };
            row.push(Cell::Text(String::from_utf8(bytes).map_err(|e| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, e)
            })?));
        }
        Ok(row)
    }
}

/// Iterator over a table's rows, with large cells left in the file; a spilled row that
/// cannot be read back is an error item, after which the iterator ends.
pub struct Cells<'a> {
    spilled: Option<SpillCursor<'a>>,
    spilled_left: usize,
    memory: std::slice::Iter<'a, Vec<String>>,
}

impl Cells<'_> {
    fn next_row(&mut self, keep_large: bool) -> Option<std::io::Result<Vec<Cell>>> {
        if self.spilled_left > 0 {
            self.spilled_left -= 1;
            let row = match self.spilled.as_mut() {
                Some(reader) => reader.row(keep_large),
                None => Err(std::io::Error::other("spilled rows without a file")),
            };
            if row.is_err() {
                self.spilled_left = 0;
                self.memory = [].iter();
            }
            return Some(row);
        }
        self.memory
            .next()
            .map(|row| Ok(row.iter().map(|c| Cell::Text(c.clone())).collect()))
    }
}

impl Iterator for Cells<'_> {
    type Item = std::io::Result<Vec<Cell>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_row(true)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.spilled_left + self.memory.len();
        (n, Some(n))
    }
}

/// Iterator over a table's rows, every cell read whole; a spilled row that cannot be read
/// back is an error item, after which the iterator ends.
pub struct Rows<'a> {
    cells: Cells<'a>,
}

impl Iterator for Rows<'_> {
    type Item = std::io::Result<Vec<String>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.cells.spilled_left == 0 {
            // Rows in memory are cloned as they are, not through `Cell`.
            return self.cells.memory.next().cloned().map(Ok);
        }
        let row = self.cells.next_row(false)?;
        Some(row.and_then(|cells| {
            cells
                .into_iter()
                .map(|c| match c {
                    Cell::Text(text) => Ok(text),
                    Cell::Large { .. } => Err(std::io::Error::other("a cell left unread")),
                })
                .collect()
        }))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.cells.size_hint()
    }
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
    fn streamed_rows_read_back_whole_or_in_pieces() {
        let mut table = Table::new("t", &["a", "b", "c"]);
        table
            .push(vec!["1".into(), "x".into(), "y".into()])
            .unwrap();
        // A cell past `LARGE_CELL`, with characters of 2 to 4 bytes cut by the pieces.
        let piece = "aé“€𝄞|".repeat(3000);
        let mut row = table.push_streamed().unwrap();
        row.cell("2").unwrap();
        row.begin_cell().unwrap();
        for _ in 0..10 {
            row.write(&piece).unwrap();
        }
        row.end_cell().unwrap();
        row.cell("").unwrap();
        row.finish().unwrap();
        table
            .push(vec!["3".into(), "z".into(), "w".into()])
            .unwrap();
        let big = piece.repeat(10);
        assert!(big.len() > LARGE_CELL);
        assert_eq!(
            table.collect_rows().unwrap(),
            vec![
                vec!["1".to_string(), "x".into(), "y".into()],
                vec!["2".into(), big.clone(), String::new()],
                vec!["3".into(), "z".into(), "w".into()],
            ]
        );
        let rows: Vec<Vec<Cell>> = table.cells().collect::<Result<_, _>>().unwrap();
        assert_eq!(rows[0][1], Cell::Text("x".into()));
        assert_eq!(rows[1][0], Cell::Text("2".into()));
        assert!(matches!(rows[1][1], Cell::Large { .. }));
        assert_eq!(rows[1][1].len(), big.len() as u64);
        assert_eq!(rows[2][2], Cell::Text("w".into()));
        let mut read = String::new();
        table
            .read_cell(&rows[1][1], |s| {
                assert!(s.len() <= LARGE_CELL);
                read.push_str(s);
                Ok(())
            })
            .unwrap();
        assert_eq!(read, big);
    }

    #[test]
    fn an_unfinished_streamed_row_fails_the_table() {
        let mut table = Table::new("t", &["a"]);
        table.push_streamed().unwrap().cell("x").unwrap();
        assert!(table.push(vec!["y".into()]).is_err());
    }

    #[test]
    fn small_tables_stay_in_memory() {
        let table = Table::from_rows("t", &["a"], vec![vec!["1".into()], vec!["2".into()]]);
        assert!(table.spill.is_none());
        assert_eq!(table.collect_rows().unwrap(), [["1"], ["2"]]);
    }
}
