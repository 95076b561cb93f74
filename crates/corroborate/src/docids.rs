//! Every document id, front-coded: ids of neighbouring documents share most of their bytes
//! (`gen-0000041`, `gen-0000042`; paths in one folder; URLs of one site), so each id stores
//! only how much it shares with the one before and what follows. Every [`BLOCK`]th id is
//! stored whole, so one id is decoded from at most `BLOCK` entries. The coded ids go to a
//! temporary file as they grow (a few bytes a document, so they would grow with the corpus),
//! a block at a time, and are read back a block at a time; memory keeps where each block
//! starts and the block read last, since lists of documents are mostly ascending.

use std::cell::RefCell;
use std::fs::File;
use std::io::Write;

use crate::varint;

const BLOCK: usize = 8;

/// Coded ids kept in memory before they go to the file.
const BUFFER: usize = 1 << 16;

#[derive(Debug, Default)]
pub struct DocIds {
    /// The coded ids after the first `flushed` bytes, which are in `file`.
    bytes: Vec<u8>,
    /// Where each block of [`BLOCK`] ids starts, counted from the first id.
    blocks: Vec<u64>,
    len: usize,
    last: Vec<u8>,
    file: Option<File>,
    flushed: u64,
    /// A write error while observing, or a read error, reported by [`DocIds::error`].
    error: RefCell<Option<String>>,
    /// The block read from `file` last, and its number.
    cache: RefCell<(usize, Vec<u8>)>,
    /// Where ids are decoded.
    scratch: RefCell<Vec<u8>>,
}

impl DocIds {
    pub fn push(&mut self, id: &str) {
        let id = id.as_bytes();
        let shared = if self.len.is_multiple_of(BLOCK) {
            // A block is wholly in the file or wholly in memory.
            if self.bytes.len() >= BUFFER {
                self.flush();
            }
            crate::chunked::grow_by_eighth(&mut self.blocks);
            self.blocks.push(self.flushed + self.bytes.len() as u64);
            0
        } else {
            self.last.iter().zip(id).take_while(|(a, b)| a == b).count()
        };
        varint::put(&mut self.bytes, shared as u64);
        varint::put(&mut self.bytes, (id.len() - shared) as u64);
        self.bytes.extend_from_slice(&id[shared..]);
        self.last.clear();
        self.last.extend_from_slice(id);
        self.len += 1;
    }

    fn flush(&mut self) {
        if self.error.get_mut().is_some() {
            return;
        }
        let written = match &mut self.file {
            Some(f) => f.write_all(&self.bytes),
            None => tempfile::tempfile().and_then(|mut f| {
                f.write_all(&self.bytes)?;
                self.file = Some(f);
                Ok(())
            }),
        };
        match written {
            Ok(()) => {
                self.flushed += self.bytes.len() as u64;
                self.bytes.clear();
            }
            Err(e) => *self.error.get_mut() = Some(format!("temporary file: {e}")),
        }
    }

    /// A write or read error so far: the ids read since may be empty.
    pub fn error(&self) -> Option<String> {
        self.error.borrow().clone()
    }

    /// Block `b`'s coded ids, to `f`.
    fn with_block<R>(&self, b: usize, f: impl FnOnce(&[u8]) -> R) -> R {
        let start = self.blocks[b];
        let end = match self.blocks.get(b + 1) {
            Some(&end) => end,
            None => self.flushed + self.bytes.len() as u64,
        };
        if start >= self.flushed {
            let (s, e) = (
                (start - self.flushed) as usize,
                (end - self.flushed) as usize,
            );
            return f(&self.bytes[s..e]);
        }
        let mut cache = self.cache.borrow_mut();
        let (cached, bytes) = &mut *cache;
        if *cached != b || bytes.is_empty() {
            bytes.clear();
            bytes.resize((end - start) as usize, 0);
            if let Err(e) = self.read(bytes, start) {
                self.error.borrow_mut().get_or_insert(e);
                // Empty ids rather than garbage; the error ends the stage.
                bytes.iter_mut().for_each(|b| *b = 0);
            }
            *cached = b;
        }
        f(bytes)
    }

    fn read(&self, buf: &mut [u8], offset: u64) -> Result<(), String> {
        let file = self.file.as_ref().ok_or("temporary file: missing")?;
        crate::spill::read_exact_at(file, buf, offset)
    }

    /// Appends id `d` to `out`.
    pub fn push_to(&self, d: u32, out: &mut String) {
        let mut id = self.scratch.borrow_mut();
        self.decode(d as usize, &mut id);
        // Each id was pushed whole from a `&str`, and is rebuilt whole.
        out.push_str(std::str::from_utf8(&id).unwrap_or_default());
    }

    pub fn get(&self, d: u32) -> String {
        let mut out = String::new();
        self.push_to(d, &mut out);
        out
    }

    fn decode(&self, d: usize, id: &mut Vec<u8>) {
        id.clear();
        self.with_block(d / BLOCK, |bytes| {
            let mut at = 0;
            for _ in 0..=d % BLOCK {
                next(bytes, id, &mut at);
            }
        });
    }

    /// Ids of `docs`, `sep`-joined, appended to `out`. Ascending documents of one block are
    /// decoded in one walk (lists of documents are in input order).
    pub fn join_to(&self, docs: impl Iterator<Item = u32>, sep: &str, out: &mut String) {
        self.walk(docs, |i, _, id| {
            if i > 0 {
                out.push_str(sep);
            }
            // Each id was pushed whole from a `&str`, and is rebuilt whole.
            out.push_str(std::str::from_utf8(id).unwrap_or_default());
        });
    }

    /// Each id of `docs`, with its position in the list and its document, to `each`.
    pub fn walk(&self, docs: impl Iterator<Item = u32>, mut each: impl FnMut(usize, u32, &[u8])) {
        let mut id = self.scratch.borrow_mut();
        id.clear();
        // The document after the one `id` holds, and where its entry starts in its block.
        let (mut next_doc, mut at) = (0usize, 0usize);
        for (i, d) in docs.enumerate() {
            let d = d as usize;
            let current = next_doc.checked_sub(1);
            let walk_on = current.is_some_and(|c| c <= d && c / BLOCK == d / BLOCK) && i > 0;
            if !walk_on {
                next_doc = d - d % BLOCK;
                at = 0;
            }
            self.with_block(d / BLOCK, |bytes| {
                while next_doc <= d {
                    next(bytes, &mut id, &mut at);
                    next_doc += 1;
                }
            });
            each(i, d as u32, &id);
        }
    }

    /// Compares ids `a` and `b` (bytewise, as `str` does).
    pub fn cmp(&self, a: u32, b: u32, scratch: &mut (Vec<u8>, Vec<u8>)) -> std::cmp::Ordering {
        self.decode(a as usize, &mut scratch.0);
        self.decode(b as usize, &mut scratch.1);
        scratch.0.cmp(&scratch.1)
    }

    /// Sends the rest of the ids to the file (if it was needed) once every document is
    /// observed.
    pub fn freeze(&mut self) {
        if self.file.is_some() {
            self.flush();
            self.bytes = Vec::new();
        } else {
            self.bytes.shrink_to_fit();
        }
        self.blocks.shrink_to_fit();
        self.last = Vec::new();
    }

    /// Bytes held, for [`crate::memory`].
    pub fn bytes(&self) -> usize {
        crate::memory::vec(&self.bytes) + crate::memory::vec(&self.blocks)
    }
}

/// Turns `id` into the id whose entry starts at `at` in `bytes`, and moves `at` past it.
fn next(bytes: &[u8], id: &mut Vec<u8>, at: &mut usize) {
    let shared = varint::get(bytes, at) as usize;
    let rest = varint::get(bytes, at) as usize;
    id.truncate(shared);
    id.extend_from_slice(&bytes[*at..*at + rest]);
    *at += rest;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back() {
        let mut ids = DocIds::default();
        let list: Vec<String> = (0..100)
            .map(|i| match i % 7 {
                0 => format!("gen-{i:07}"),
                1 => String::new(),
                2 => format!("dossier/été/{i}.txt"),
                _ => format!("gen-{:07}", i / 2),
            })
            .collect();
        for id in &list {
            ids.push(id);
        }
        for (d, id) in list.iter().enumerate() {
            assert_eq!(&ids.get(d as u32), id);
        }
        let mut joined = String::new();
        let picks = [0u32, 1, 2, 2, 9, 15, 16, 17, 40, 3, 99];
        ids.join_to(picks.iter().copied(), "|", &mut joined);
        let want: Vec<&str> = picks.iter().map(|&d| list[d as usize].as_str()).collect();
        assert_eq!(joined, want.join("|"));
        let mut scratch = Default::default();
        assert_eq!(
            ids.cmp(3, 9, &mut scratch),
            list[3].as_str().cmp(list[9].as_str())
        );
    }

    #[test]
    fn ids_read_back_from_the_file() {
        let mut ids = DocIds::default();
        let list: Vec<String> = (0..40_000)
            .map(|i| format!("https://example.org/{}/article-{i}", i % 13))
            .collect();
        for id in &list {
            ids.push(id);
        }
        ids.freeze();
        assert!(ids.file.is_some() && ids.bytes.is_empty());
        for d in (0..list.len()).step_by(977).chain([list.len() - 1]) {
            assert_eq!(ids.get(d as u32), list[d]);
        }
        let picks = [5u32, 6, 7, 8, 9, 39_999, 0, 12_345, 12_346];
        let mut joined = String::new();
        ids.join_to(picks.iter().copied(), "|", &mut joined);
        let want: Vec<&str> = picks.iter().map(|&d| list[d as usize].as_str()).collect();
        assert_eq!(joined, want.join("|"));
        assert!(ids.error().is_none());
    }
}
