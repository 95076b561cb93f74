//! What the stage needs only in some phases waits in unnamed temporary files, so that memory
//! holds what the phase at hand uses: quote ids and texts and claim texts, read back by
//! position when `finish` writes rows ([`Spill`]), and fixed-size records read back in order
//! ([`PairFile`]). The files are the operating system's page cache to hold, not the
//! process's memory.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};

/// Records start at multiples of this many bytes, so a `u32` address covers 32 GiB.
const ALIGN: u64 = 8;

/// Bytes read at once when walking a document's records.
const WINDOW: usize = 4096;

/// Where a record starts, in units of [`ALIGN`] bytes.
pub type Addr = u32;

/// The append-only file. Write errors are kept and reported by [`Spill::into_reader`], since
/// `observe` cannot fail.
#[derive(Default)]
pub struct Spill {
    writer: Option<BufWriter<File>>,
    len: u64,
    error: Option<String>,
    buf: Vec<u8>,
}

impl Spill {
    /// Appends one record of fields; returns its address.
    pub fn push(&mut self, fields: &[&str]) -> Addr {
        let fields: Vec<&[u8]> = fields.iter().map(|f| f.as_bytes()).collect();
        self.push_bytes(&fields)
    }

    /// Appends one record of binary fields (read back with [`Record::bytes`]).
    pub fn push_bytes(&mut self, fields: &[&[u8]]) -> Addr {
        let at = self.len / ALIGN;
        if self.error.is_some() {
            return 0;
        }
        if at > u64::from(u32::MAX) {
            self.error = Some("more than 32 GiB of quote and claim texts".to_string());
            return 0;
        }
        // [total length u32][field lengths u32…][field bytes…][padding]
        self.buf.clear();
        self.buf.extend_from_slice(&[0; 4]);
        for f in fields {
            self.buf.extend_from_slice(&(f.len() as u32).to_le_bytes());
        }
        for f in fields {
            self.buf.extend_from_slice(f);
        }
        let total = self.buf.len() as u32;
        self.buf[..4].copy_from_slice(&total.to_le_bytes());
        self.buf
            .resize(self.buf.len().next_multiple_of(ALIGN as usize), 0);
        if self.writer.is_none() {
            match tempfile::tempfile() {
                Ok(f) => self.writer = Some(BufWriter::with_capacity(1 << 16, f)),
                Err(e) => {
                    self.error = Some(e.to_string());
                    return 0;
                }
            }
        }
        if let Some(w) = self.writer.as_mut() {
            if let Err(e) = w.write_all(&self.buf) {
                self.error = Some(e.to_string());
            }
        }
        self.len += self.buf.len() as u64;
        at as Addr
    }

    /// Ends writing: the file, ready to be read by address.
    pub fn into_reader(self) -> Result<SpillReader, String> {
        if let Some(e) = self.error {
            return Err(format!("temporary file: {e}"));
        }
        let file = match self.writer {
            Some(w) => Some(
                w.into_inner()
                    .map_err(|e| format!("temporary file: {}", e.error()))?,
            ),
            None => None,
        };
        Ok(SpillReader {
            file,
            end: self.len,
            buf: std::cell::RefCell::new(Vec::new()),
        })
    }
}

/// Reads records back by address.
pub struct SpillReader {
    file: Option<File>,
    /// Length of the file: where the next record would have started.
    end: u64,
    buf: std::cell::RefCell<Vec<u8>>,
}

/// One record read back: its fields, in the order they were pushed.
pub struct Record {
    bytes: Vec<u8>,
    /// (start, end) of each field in `bytes`.
    fields: Vec<(usize, usize)>,
}

impl Record {
    pub fn field(&self, i: usize) -> &str {
        // Written from `&str`s by `Spill::push`.
        std::str::from_utf8(self.bytes(i)).unwrap_or_default()
    }

    pub fn bytes(&self, i: usize) -> &[u8] {
        let (a, b) = self.fields[i];
        &self.bytes[a..b]
    }

    /// Units of [`ALIGN`] bytes the record takes in the file.
    fn units(&self) -> u32 {
        (self.bytes.len() as u64)
            .next_multiple_of(ALIGN)
            .div_euclid(ALIGN) as u32
    }
}

impl SpillReader {
    /// The record `skip` records after the one at `at` (records of `n` fields each): a
    /// document's quotes are consecutive, so one address per document finds them all.
    pub fn read_nth(&self, at: Addr, skip: u32, n: usize) -> Result<Record, String> {
        if skip == 0 {
            return self.read(at, n);
        }
        let file = self
            .file
            .as_ref()
            .ok_or("temporary file: nothing was written")?;
        // Walk the length headers through one window of the file, read again only when a
        // header lies past it.
        let mut buf = self.buf.borrow_mut();
        buf.resize(WINDOW, 0);
        let mut offset = u64::from(at) * ALIGN;
        let (mut window, mut got) = (offset, 0);
        for _ in 0..skip {
            if offset + 4 > window + got as u64 {
                window = offset;
                got = read_at(file, &mut buf, offset)?;
                if got < 4 {
                    return Err("temporary file: truncated".to_string());
                }
            }
            let i = (offset - window) as usize;
            let total = u32::from_le_bytes([buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]);
            offset += u64::from(total).next_multiple_of(ALIGN);
        }
        drop(buf);
        self.read((offset / ALIGN) as Addr, n)
    }

    /// Every record (of `n` fields) with its address, in the order they were pushed.
    pub fn records(&self, n: usize) -> impl Iterator<Item = Result<(Addr, Record), String>> + '_ {
        let mut at: u64 = 0;
        std::iter::from_fn(move || {
            if at >= self.end.div_ceil(ALIGN) {
                return None;
            }
            let record = self.read(at as Addr, n);
            let item = record.map(|r| {
                let here = at as Addr;
                at += u64::from(r.units());
                (here, r)
            });
            if item.is_err() {
                at = u64::MAX;
            }
            Some(item)
        })
    }

    /// The record at `at`, which has `n` fields.
    pub fn read(&self, at: Addr, n: usize) -> Result<Record, String> {
        let file = self
            .file
            .as_ref()
            .ok_or("temporary file: nothing was written")?;
        let offset = u64::from(at) * ALIGN;
        // Most records are short: one read usually gets the whole of it.
        let mut buf = self.buf.borrow_mut();
        buf.resize(WINDOW, 0);
        let got = read_at(file, &mut buf[..512], offset)?;
        if got < 4 {
            return Err("temporary file: truncated".to_string());
        }
        let total = u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
        let mut bytes = vec![0; total];
        let have = got.min(total);
        bytes[..have].copy_from_slice(&buf[..have]);
        read_exact_at(file, &mut bytes[have..], offset + have as u64)?;
        let mut fields = Vec::with_capacity(n);
        let mut start = 4 + 4 * n;
        for i in 0..n {
            let at = 4 + 4 * i;
            let len = u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
                as usize;
            fields.push((start, start + len));
            start += len;
        }
        if start > total {
            return Err("temporary file: corrupt record".to_string());
        }
        Ok(Record { bytes, fields })
    }
}

pub(crate) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> Result<usize, String> {
    #[cfg(unix)]
    let n = std::os::unix::fs::FileExt::read_at(file, buf, offset);
    #[cfg(windows)]
    let n = std::os::windows::fs::FileExt::seek_read(file, buf, offset);
    n.map_err(|e| format!("temporary file: {e}"))
}

/// Fills `buf` from `offset` of `file`, as many reads as it takes; a file that ends first is
/// an error.
pub(crate) fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> Result<(), String> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = read_at(file, &mut buf[filled..], offset + filled as u64)?;
        if n == 0 {
            return Err("temporary file: truncated".to_string());
        }
        filled += n;
    }
    Ok(())
}

/// Repeated strings (names, aliases, units, subjects, outlets, keys) stored once; records
/// hold their `u32` ids.
#[derive(Debug, Default)]
pub struct Interner {
    ids: HashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        let s: Box<str> = s.into();
        self.strings.push(s.clone());
        self.ids.insert(s, id);
        id
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn get(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }

    /// Drops the lookup map once no more strings come: ids still resolve.
    pub fn freeze(&mut self) {
        self.ids = HashMap::new();
    }

    /// Bytes held, for [`crate::memory`].
    pub fn bytes(&self) -> usize {
        use crate::memory::{chunk, map, vec};
        let strs: usize = self.strings.iter().map(|s| chunk(s.len())).sum();
        // The map's keys are copies of the strings.
        let keys = if self.ids.is_empty() { 0 } else { strs };
        vec(&self.strings) + strs + map(&self.ids) + keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_by_address() {
        let mut spill = Spill::default();
        let long = "é".repeat(700);
        let a = spill.push(&["q1", "short text"]);
        let b = spill.push(&["q2", &long, ""]);
        let c = spill.push(&["q3", "x"]);
        let reader = spill.into_reader().unwrap();
        let r = reader.read(b, 3).unwrap();
        assert_eq!(
            (r.field(0), r.field(1), r.field(2)),
            ("q2", long.as_str(), "")
        );
        assert_eq!(reader.read(a, 2).unwrap().field(1), "short text");
        assert_eq!(reader.read(c, 2).unwrap().field(0), "q3");
    }

    #[test]
    fn records_read_back_in_order_and_by_count() {
        let mut spill = Spill::default();
        let texts: Vec<String> = (0..300).map(|i| "x".repeat(i * 7 % 90)).collect();
        let first = spill.push(&["q0", &texts[0]]);
        for (i, t) in texts.iter().enumerate().skip(1) {
            spill.push(&[&format!("q{i}"), t]);
        }
        let reader = spill.into_reader().unwrap();
        for k in [0u32, 1, 2, 57, 299] {
            let r = reader.read_nth(first, k, 2).unwrap();
            assert_eq!(r.field(0), format!("q{k}"));
            assert_eq!(r.field(1), texts[k as usize]);
        }
        let all: Vec<String> = reader
            .records(2)
            .map(|r| r.unwrap().1.field(1).to_string())
            .collect();
        assert_eq!(all, texts);
    }

    #[test]
    fn pairs_read_back_twice() {
        let mut file = PairFile::default();
        for i in 0..20_000u32 {
            file.push(i, u32::MAX - i);
        }
        for _ in 0..2 {
            let mut n = 0u32;
            file.read(|a, b| {
                assert_eq!((a, b), (n, u32::MAX - n));
                n += 1;
            })
            .unwrap();
            assert_eq!(n, 20_000);
        }
    }
}

/// Fixed-size records of two `u32`s, appended in `observe` and read back in order: records
/// the stage needs only in some phases of `finish` wait on disk for them.
#[derive(Default)]
pub struct PairFile {
    writer: Option<BufWriter<File>>,
    len: usize,
    error: Option<String>,
}

impl PairFile {
    pub fn push(&mut self, a: u32, b: u32) {
        if self.error.is_some() {
            return;
        }
        if self.writer.is_none() {
            match tempfile::tempfile() {
                Ok(f) => self.writer = Some(BufWriter::with_capacity(1 << 16, f)),
                Err(e) => {
                    self.error = Some(e.to_string());
                    return;
                }
            }
        }
        let mut record = [0u8; 8];
        record[..4].copy_from_slice(&a.to_le_bytes());
        record[4..].copy_from_slice(&b.to_le_bytes());
        if let Some(Err(e)) = self.writer.as_mut().map(|w| w.write_all(&record)) {
            self.error = Some(e.to_string());
        }
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Every record in order, to `each`; the file is kept for another pass.
    pub fn read(&mut self, mut each: impl FnMut(u32, u32)) -> Result<(), String> {
        use std::io::{BufReader, Read, Seek};
        if let Some(e) = &self.error {
            return Err(format!("temporary file: {e}"));
        }
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        let fail = |e: std::io::Error| format!("temporary file: {e}");
        writer.flush().map_err(fail)?;
        let file = writer.get_mut();
        file.rewind().map_err(fail)?;
        let mut reader = BufReader::with_capacity(1 << 16, &*file);
        let mut record = [0u8; 8];
        for _ in 0..self.len {
            reader.read_exact(&mut record).map_err(fail)?;
            let [a0, a1, a2, a3, b0, b1, b2, b3] = record;
            each(
                u32::from_le_bytes([a0, a1, a2, a3]),
                u32::from_le_bytes([b0, b1, b2, b3]),
            );
        }
        drop(reader);
        file.seek(std::io::SeekFrom::End(0)).map_err(fail)?;
        Ok(())
    }
}
