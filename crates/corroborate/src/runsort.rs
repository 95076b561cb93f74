//! Records of four `u32`s sorted through a temporary file: a fixed-size buffer is sorted and
//! written as a run whenever it fills, and the runs are merged as they are read back, so that
//! memory holds one buffer and a small window per run however many records there are.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufWriter, Write};

pub type Rec = [u32; 4];

/// Records per run (2 MB).
const RUN: usize = 1 << 17;

/// Records read at once from each run while merging (64 KB).
const WINDOW: usize = 1 << 12;

const BYTES: usize = 16;

/// Sorts records in the order of their fields, the first first.
#[derive(Default)]
pub struct RunSorter {
    buf: Vec<Rec>,
    writer: Option<BufWriter<File>>,
    /// Records in each run written.
    runs: Vec<u64>,
    error: Option<String>,
}

impl RunSorter {
    pub fn push(&mut self, rec: Rec) {
        if self.buf.len() == RUN {
            self.write_run();
        }
        self.buf.push(rec);
    }

    fn write_run(&mut self) {
        self.buf.sort_unstable();
        let n = self.buf.len() as u64;
        if self.error.is_none() {
            if let Err(e) = self.write_buf() {
                self.error = Some(e.to_string());
            }
        }
        self.runs.push(n);
        self.buf.clear();
    }

    fn write_buf(&mut self) -> std::io::Result<()> {
        if self.writer.is_none() {
            self.writer = Some(BufWriter::with_capacity(1 << 16, tempfile::tempfile()?));
        }
        let Some(w) = self.writer.as_mut() else {
            return Ok(());
        };
        for rec in &self.buf {
            let mut bytes = [0u8; BYTES];
            for (i, x) in rec.iter().enumerate() {
                bytes[4 * i..4 * i + 4].copy_from_slice(&x.to_le_bytes());
            }
            w.write_all(&bytes)?;
        }
        Ok(())
    }

    pub fn bytes(&self) -> usize {
        crate::memory::vec(&self.buf) + self.writer.as_ref().map_or(0, |w| w.capacity())
    }

    /// Every record, in order, to `each`.
    pub fn for_each(mut self, mut each: impl FnMut(Rec)) -> Result<(), String> {
        if self.runs.is_empty() {
            self.buf.sort_unstable();
            self.buf.iter().for_each(|&r| each(r));
            return Ok(());
        }
        if !self.buf.is_empty() {
            self.write_run();
        }
        self.buf = Vec::new();
        if let Some(e) = self.error {
            return Err(format!("temporary file: {e}"));
        }
        let fail = |e: String| format!("temporary file: {e}");
        let file = match self.writer.take() {
            Some(w) => w.into_inner().map_err(|e| fail(e.error().to_string()))?,
            None => return Ok(()),
        };
        let mut readers = Vec::with_capacity(self.runs.len());
        let mut start = 0;
        for &n in &self.runs {
            readers.push(Run {
                offset: start * BYTES as u64,
                left: n,
                bytes: Vec::new(),
                pos: 0,
            });
            start += n;
        }
        let mut heap = BinaryHeap::with_capacity(readers.len());
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(rec) = r.next(&file)? {
                heap.push(Reverse((rec, i)));
            }
        }
        while let Some(Reverse((rec, i))) = heap.pop() {
            each(rec);
            if let Some(next) = readers[i].next(&file)? {
                heap.push(Reverse((next, i)));
            }
        }
        Ok(())
    }
}

/// A run being read back through a window.
struct Run {
    offset: u64,
    left: u64,
    bytes: Vec<u8>,
    pos: usize,
}

impl Run {
    fn next(&mut self, file: &File) -> Result<Option<Rec>, String> {
        if self.pos == self.bytes.len() {
            if self.left == 0 {
                return Ok(None);
            }
            let n = self.left.min(WINDOW as u64);
            self.bytes.resize(n as usize * BYTES, 0);
            let mut got = 0;
            while got < self.bytes.len() {
                let k = crate::spill::read_at(file, &mut self.bytes[got..], self.offset)?;
                if k == 0 {
                    return Err("temporary file: truncated".to_string());
                }
                got += k;
                self.offset += k as u64;
            }
            self.left -= n;
            self.pos = 0;
        }
        let b = &self.bytes[self.pos..self.pos + BYTES];
        self.pos += BYTES;
        let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Ok(Some([word(0), word(4), word(8), word(12)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_in_order() {
        let n = 3 * RUN as u32 + 17;
        let mut sorter = RunSorter::default();
        for i in 0..n {
            let key = i.wrapping_mul(2_654_435_761) % 1000;
            sorter.push([key, i, i ^ 5, 7]);
        }
        let mut out = Vec::new();
        sorter.for_each(|r| out.push(r)).unwrap();
        assert_eq!(out.len(), n as usize);
        assert!(out.windows(2).all(|w| w[0] < w[1]));
        assert!(out.iter().all(|r| r[2] == r[1] ^ 5 && r[3] == 7));
    }
}
