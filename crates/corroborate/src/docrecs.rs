//! What is kept of each document besides its id, on disk: the index of its first quote, its
//! outlet and where its first quote's text is in the spill file. Twelve bytes a document
//! would grow with the corpus; they are written a block of [`BLOCK`] documents at a time
//! and read back a block at a time, and memory keeps the first quote of each block's first
//! document (to find a quote's document) and the block read last: rows and grouping read
//! the documents of quotes mostly in input order.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufWriter, Write};

use crate::spill::Addr;

/// Documents per block (768 bytes).
const BLOCK: usize = 64;

const BYTES: usize = 12;

/// One document's record.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocRec {
    /// Index of the document's first quote (of the next document's, when it has none).
    pub start: u32,
    /// Interned outlet, or [`crate::NO_OUTLET`].
    pub outlet: u32,
    /// Where the first quote's record is in the spill file (the others follow it).
    pub quotes_at: Addr,
}

#[derive(Default)]
pub struct DocRecs {
    /// The records of the block being filled, and once frozen, of the last block if it is
    /// not full (it is not written).
    pending: Vec<DocRec>,
    writer: Option<BufWriter<File>>,
    file: Option<File>,
    /// The first quote of each block's first document.
    block_starts: Vec<u32>,
    len: usize,
    /// A write or read error, reported by [`DocRecs::error`].
    error: RefCell<Option<String>>,
    /// The block read from `file` last: its number and records.
    cache: RefCell<(usize, Vec<DocRec>)>,
}

impl DocRecs {
    pub fn push(&mut self, rec: DocRec) {
        if self.len.is_multiple_of(BLOCK) {
            self.block_starts.push(rec.start);
        }
        self.pending.push(rec);
        self.len += 1;
        if self.pending.len() == BLOCK {
            if let Err(e) = self.write_block() {
                self.error
                    .get_mut()
                    .get_or_insert(format!("temporary file: {e}"));
            }
            self.pending.clear();
        }
    }

    fn write_block(&mut self) -> std::io::Result<()> {
        if self.error.get_mut().is_some() {
            return Ok(());
        }
        let w = match &mut self.writer {
            Some(w) => w,
            None => self
                .writer
                .insert(BufWriter::with_capacity(1 << 16, tempfile::tempfile()?)),
        };
        for r in &self.pending {
            let mut bytes = [0u8; BYTES];
            bytes[..4].copy_from_slice(&r.start.to_le_bytes());
            bytes[4..8].copy_from_slice(&r.outlet.to_le_bytes());
            bytes[8..].copy_from_slice(&r.quotes_at.to_le_bytes());
            w.write_all(&bytes)?;
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Makes the file readable once every document is observed.
    pub fn freeze(&mut self) {
        if let Some(w) = self.writer.take() {
            match w.into_inner() {
                Ok(f) => self.file = Some(f),
                Err(e) => {
                    self.error
                        .get_mut()
                        .get_or_insert(format!("temporary file: {}", e.error()));
                }
            }
        }
        self.pending.shrink_to_fit();
        self.block_starts.shrink_to_fit();
    }

    /// A write or read error so far: records read since may be zeros.
    pub fn error(&self) -> Option<String> {
        self.error.borrow().clone()
    }

    /// Block `b`'s records, to `f`.
    fn with_block<R>(&self, b: usize, f: impl FnOnce(&[DocRec]) -> R) -> R {
        if b == self.len / BLOCK {
            return f(&self.pending);
        }
        let mut cache = self.cache.borrow_mut();
        let (cached, recs) = &mut *cache;
        if *cached != b || recs.is_empty() {
            recs.clear();
            match self.read_block(b) {
                Ok(bytes) => recs.extend(bytes.chunks_exact(BYTES).map(|r| {
                    let word = |i: usize| u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]);
                    DocRec {
                        start: word(0),
                        outlet: word(4),
                        quotes_at: word(8),
                    }
                })),
                Err(e) => {
                    self.error.borrow_mut().get_or_insert(e);
                    recs.resize(BLOCK, DocRec::default());
                }
            }
            *cached = b;
        }
        f(recs)
    }

    fn read_block(&self, b: usize) -> Result<Vec<u8>, String> {
        let file = self.file.as_ref().ok_or("temporary file: missing")?;
        let mut bytes = vec![0u8; BLOCK * BYTES];
        crate::spill::read_exact_at(file, &mut bytes, (b * BLOCK * BYTES) as u64)?;
        Ok(bytes)
    }

    /// The record of document `d`.
    pub fn get(&self, d: u32) -> DocRec {
        let d = d as usize;
        self.with_block(d / BLOCK, |recs| recs[d % BLOCK])
    }

    /// The document of quote `q`: the last whose first quote is at most `q` (documents
    /// without quotes share the next one's).
    pub fn quote_doc(&self, q: u32) -> u32 {
        let b = self.block_starts.partition_point(|&s| s <= q) - 1;
        let i = self.with_block(b, |recs| recs.partition_point(|r| r.start <= q) - 1);
        (b * BLOCK + i) as u32
    }

    /// Bytes held, for [`crate::memory`].
    pub fn bytes(&self) -> usize {
        use crate::memory::vec;
        vec(&self.pending)
            + vec(&self.block_starts)
            + vec(&self.cache.borrow().1)
            + self.writer.as_ref().map_or(0, |w| w.capacity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_quote_documents_read_back() {
        // Quotes per document: 0 to 3, several documents in a row without any.
        let counts: Vec<u32> = (0..1000u32).map(|d| (d * 7 + d / 100) % 4).collect();
        let mut recs = DocRecs::default();
        let mut start = 0;
        for (d, &n) in counts.iter().enumerate() {
            recs.push(DocRec {
                start,
                outlet: d as u32 * 3,
                quotes_at: d as u32 + 17,
            });
            start += n;
        }
        recs.freeze();
        assert!(recs.file.is_some());
        let mut q = 0;
        for (d, &n) in counts.iter().enumerate() {
            let r = recs.get(d as u32);
            assert_eq!(
                (r.start, r.outlet, r.quotes_at),
                (q, d as u32 * 3, d as u32 + 17)
            );
            for k in 0..n {
                assert_eq!(recs.quote_doc(q + k), d as u32, "quote {}", q + k);
            }
            q += n;
        }
        // Backwards, across blocks.
        assert_eq!(recs.get(3).outlet, 9);
        assert!(recs.error().is_none());
    }
}
