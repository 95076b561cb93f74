//! Every document id, front-coded: ids of neighbouring documents share most of their bytes
//! (`gen-0000041`, `gen-0000042`; paths in one folder; URLs of one site), so each id stores
//! only how much it shares with the one before and what follows. Every [`BLOCK`]th id is
//! stored whole, so one id is decoded from at most `BLOCK` entries. Tables list documents by
//! id in no order a file could be read in, so the ids stay in memory, at a few bytes each.

use crate::varint;

const BLOCK: usize = 8;

#[derive(Debug, Default)]
pub struct DocIds {
    bytes: Vec<u8>,
    /// Where each block of [`BLOCK`] ids starts in `bytes`.
    blocks: Vec<u64>,
    len: usize,
    last: Vec<u8>,
    /// Where ids are decoded.
    scratch: std::cell::RefCell<Vec<u8>>,
}

impl DocIds {
    pub fn push(&mut self, id: &str) {
        let id = id.as_bytes();
        let shared = if self.len.is_multiple_of(BLOCK) {
            self.blocks.push(self.bytes.len() as u64);
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
        let mut at = self.blocks[d / BLOCK] as usize;
        for _ in 0..=d % BLOCK {
            self.next(id, &mut at);
        }
    }

    /// Turns `id` into the id whose entry starts at `at`, and moves `at` past it.
    fn next(&self, id: &mut Vec<u8>, at: &mut usize) {
        let shared = varint::get(&self.bytes, at) as usize;
        let rest = varint::get(&self.bytes, at) as usize;
        id.truncate(shared);
        id.extend_from_slice(&self.bytes[*at..*at + rest]);
        *at += rest;
    }

    /// Ids of `docs`, `sep`-joined, appended to `out`. Ascending documents of one block are
    /// decoded in one walk (lists of documents are in input order).
    pub fn join_to(&self, docs: impl Iterator<Item = u32>, sep: &str, out: &mut String) {
        self.walk(docs, |i, id| {
            if i > 0 {
                out.push_str(sep);
            }
            // Each id was pushed whole from a `&str`, and is rebuilt whole.
            out.push_str(std::str::from_utf8(id).unwrap_or_default());
        });
    }

    /// The length of what [`DocIds::join_to`] appends for `docs` and `sep`.
    pub fn joined_len(&self, docs: impl Iterator<Item = u32>, sep: &str) -> usize {
        let mut len = 0;
        self.walk(docs, |i, id| {
            len += id.len() + if i > 0 { sep.len() } else { 0 };
        });
        len
    }

    /// Each id of `docs`, with its position in the list, to `each`.
    fn walk(&self, docs: impl Iterator<Item = u32>, mut each: impl FnMut(usize, &[u8])) {
        let mut id = self.scratch.borrow_mut();
        id.clear();
        // The document after the one `id` holds, and where its entry starts.
        let (mut next, mut at) = (0usize, 0usize);
        for (i, d) in docs.enumerate() {
            let d = d as usize;
            let current = next.checked_sub(1);
            let walk_on = current.is_some_and(|c| c <= d && c / BLOCK == d / BLOCK) && i > 0;
            if !walk_on {
                next = d - d % BLOCK;
                at = self.blocks[d / BLOCK] as usize;
            }
            while next <= d {
                self.next(&mut id, &mut at);
                next += 1;
            }
            each(i, &id);
        }
    }

    /// Compares ids `a` and `b` (bytewise, as `str` does).
    pub fn cmp(&self, a: u32, b: u32, scratch: &mut (Vec<u8>, Vec<u8>)) -> std::cmp::Ordering {
        self.decode(a as usize, &mut scratch.0);
        self.decode(b as usize, &mut scratch.1);
        scratch.0.cmp(&scratch.1)
    }

    /// Drops the spare capacity once every document is observed.
    pub fn freeze(&mut self) {
        self.bytes.shrink_to_fit();
        self.blocks.shrink_to_fit();
        self.last = Vec::new();
    }

    /// Bytes held, for [`crate::memory`].
    pub fn bytes(&self) -> usize {
        crate::memory::vec(&self.bytes) + crate::memory::vec(&self.blocks)
    }
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
        assert_eq!(ids.joined_len(picks.iter().copied(), "|"), joined.len());
        let mut scratch = Default::default();
        assert_eq!(
            ids.cmp(3, 9, &mut scratch),
            list[3].as_str().cmp(list[9].as_str())
        );
    }
}
