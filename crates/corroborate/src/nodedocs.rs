//! The documents of each name node, on disk: a name found in half the corpus lists half the
//! corpus's documents, and all of them together grow with the corpus, so they are not kept
//! in memory. `observe` appends `(node, document)` pairs as they come (in document order)
//! to a fixed-size buffer; a full buffer is sorted by node and written as a run, and
//! [`NodeDocsBuilder::finish`] merges the runs into one file of per-node lists, read back
//! one node at a time. Memory holds one buffer while observing, one read buffer per run
//! while merging, and an offset per node afterwards.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

use crate::spill::read_exact_at;
use crate::varint;

/// Pairs sorted in memory at once (8 bytes each): what `observe` holds of the lists.
#[cfg(not(test))]
const RUN: usize = 1 << 18;
/// Small, so that tests merge several runs.
#[cfg(test)]
const RUN: usize = 1 << 10;

/// Bytes buffered per run file while merging.
const RUN_BUFFER: usize = 1 << 15;

/// Collects the pairs while documents are observed. Write errors are kept and reported by
/// [`NodeDocsBuilder::finish`], since `observe` cannot fail.
#[derive(Default)]
pub struct NodeDocsBuilder {
    /// `node << 32 | doc`, so that sorting the numbers sorts by node, then document.
    run: Vec<u64>,
    runs: Vec<File>,
    error: Option<String>,
}

impl NodeDocsBuilder {
    /// Document `doc` names node `node`. Documents come in input order; a node's repeats
    /// within a document are the caller's to skip.
    pub fn push(&mut self, node: u32, doc: u32) {
        self.run.push((u64::from(node) << 32) | u64::from(doc));
        if self.run.len() >= RUN {
            if let Err(e) = self.flush() {
                self.error.get_or_insert(e.to_string());
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.run.sort_unstable();
        let mut w = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        for &pair in &self.run {
            w.write_all(&pair.to_le_bytes())?;
        }
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.runs.push(file);
        self.run.clear();
        Ok(())
    }

    /// Bytes held, for [`crate::memory`].
    pub fn bytes(&self) -> usize {
        crate::memory::vec(&self.run)
    }

    /// Merges the runs into each node's list; `nodes` is the number of nodes.
    pub fn finish(mut self, nodes: usize) -> Result<NodeDocs, String> {
        let fail = |e: std::io::Error| format!("temporary file: {e}");
        if let Some(e) = self.error.take() {
            return Err(format!("temporary file: {e}"));
        }
        if self.runs.is_empty() {
            // Everything fits one run: no file to merge.
            self.run.sort_unstable();
            let run = std::mem::take(&mut self.run);
            return NodeDocs::write(run.into_iter().map(Ok), nodes).map_err(fail);
        }
        if !self.run.is_empty() {
            self.flush().map_err(fail)?;
        }
        self.run = Vec::new();
        let mut readers: Vec<BufReader<File>> = std::mem::take(&mut self.runs)
            .into_iter()
            .map(|f| BufReader::with_capacity(RUN_BUFFER, f))
            .collect();
        let next = |r: &mut BufReader<File>| -> std::io::Result<Option<u64>> {
            let mut pair = [0u8; 8];
            match r.read_exact(&mut pair) {
                Ok(()) => Ok(Some(u64::from_le_bytes(pair))),
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
                Err(e) => Err(e),
            }
        };
        let mut heap = BinaryHeap::with_capacity(readers.len());
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(pair) = next(r).map_err(fail)? {
                heap.push(Reverse((pair, i)));
            }
        }
        let merged = std::iter::from_fn(|| {
            let Reverse((pair, i)) = heap.pop()?;
            match next(&mut readers[i]) {
                Ok(Some(p)) => heap.push(Reverse((p, i))),
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            }
            Some(Ok(pair))
        });
        NodeDocs::write(merged, nodes).map_err(fail)
    }
}

/// Each node's documents, ascending, as varint-coded gaps in one file.
#[derive(Default)]
pub struct NodeDocs {
    file: Option<File>,
    /// Where each node's list starts in `file`, and after the last, the file's end.
    offsets: Vec<u64>,
    buf: std::cell::RefCell<Vec<u8>>,
}

impl NodeDocs {
    /// The lists of `nodes` nodes, from their pairs sorted.
    fn write(
        pairs: impl Iterator<Item = std::io::Result<u64>>,
        nodes: usize,
    ) -> std::io::Result<NodeDocs> {
        let mut w = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        let mut offsets = Vec::with_capacity(nodes + 1);
        let mut bytes = Vec::new();
        let (mut len, mut prev) = (0u64, None);
        for pair in pairs {
            let pair = pair?;
            if prev == Some(pair) {
                continue;
            }
            let (node, doc) = ((pair >> 32) as usize, pair as u32);
            bytes.clear();
            if prev.is_some_and(|p| (p >> 32) as usize == node) {
                varint::put(&mut bytes, u64::from(doc - prev.unwrap_or_default() as u32));
            } else {
                while offsets.len() <= node {
                    offsets.push(len);
                }
                varint::put(&mut bytes, u64::from(doc));
            }
            w.write_all(&bytes)?;
            len += bytes.len() as u64;
            prev = Some(pair);
        }
        while offsets.len() <= nodes {
            offsets.push(len);
        }
        let file = w.into_inner().map_err(|e| e.into_error())?;
        Ok(NodeDocs {
            file: Some(file),
            offsets,
            buf: Default::default(),
        })
    }

    /// The documents of `node`, ascending, into `out`.
    pub fn read(&self, node: u32, out: &mut Vec<u32>) -> Result<(), String> {
        out.clear();
        let (start, end) = (self.offsets[node as usize], self.offsets[node as usize + 1]);
        if start == end {
            return Ok(());
        }
        let file = self
            .file
            .as_ref()
            .ok_or("temporary file: nothing was written")?;
        let mut buf = self.buf.borrow_mut();
        buf.resize((end - start) as usize, 0);
        read_exact_at(file, &mut buf, start)?;
        let mut doc = 0u32;
        out.extend(varint::iter(&buf).map(|gap| {
            doc += gap as u32;
            doc
        }));
        // A list of the whole corpus need not stay allocated for the short ones after it.
        if buf.capacity() > 1 << 16 {
            *buf = Vec::new();
        }
        Ok(())
    }

    /// Bytes held, for [`crate::memory`].
    pub fn bytes(&self) -> usize {
        crate::memory::vec(&self.offsets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_come_back_by_node_across_runs() {
        // Enough pairs for several runs; node n is in every (n + 1)th document, twice in some.
        let nodes = 50u32;
        let mut builder = NodeDocsBuilder::default();
        let mut want: Vec<Vec<u32>> = vec![Vec::new(); nodes as usize + 1];
        let mut doc = 0u32;
        while builder.runs.len() < 3 {
            for n in 0..nodes {
                if doc.is_multiple_of(n + 1) {
                    builder.push(n, doc);
                    if n % 7 == 0 {
                        builder.push(n, doc);
                    }
                    want[n as usize].push(doc);
                }
            }
            doc += 1;
        }
        let docs = builder.finish(nodes as usize + 1).unwrap();
        let mut got = Vec::new();
        for n in 0..=nodes {
            docs.read(n, &mut got).unwrap();
            assert_eq!(got, want[n as usize], "node {n}");
        }
    }

    #[test]
    fn one_run_needs_no_merge() {
        let mut builder = NodeDocsBuilder::default();
        for (n, d) in [(1, 0), (0, 0), (1, 3), (2, 3), (1, 900_000)] {
            builder.push(n, d);
        }
        let docs = builder.finish(4).unwrap();
        let mut got = Vec::new();
        for (n, want) in [
            (0, vec![0]),
            (1, vec![0, 3, 900_000]),
            (2, vec![3]),
            (3, vec![]),
        ] {
            docs.read(n, &mut got).unwrap();
            assert_eq!(got, want);
        }
    }
}
