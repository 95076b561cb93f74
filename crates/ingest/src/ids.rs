//! Document ids unique within a run, in memory that does not grow with the corpus.
//!
//! Every id handed out must be remembered to tell a later duplicate, so the memory would grow
//! with the number of documents (an id string per document: ~20 MB for a million). Instead the
//! allocator remembers a 64-bit hash of each id: the newest ones in a hash set of bounded size,
//! the older ones sorted on disk in runs, with one hash of every block of a run in memory so a
//! lookup reads one block per run. Two different ids with the same 64-bit hash (odds about
//! 1 in 10^7 for five million documents) make the later one take a suffix it did not need;
//! ids are never repeated.

use std::collections::HashSet;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::io::{BufWriter, Write};

use crate::safe_id;

/// Hands out file-name-safe ids, unique within a run (`x`, `x-2`, `x-3`, …).
#[derive(Default)]
pub struct IdAllocator {
    seen: SeenHashes,
}

impl std::fmt::Debug for IdAllocator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdAllocator")
            .field("in_memory", &self.seen.recent.len())
            .field("runs_on_disk", &self.seen.runs.len())
            .finish()
    }
}

impl IdAllocator {
    pub fn allocate(&mut self, raw: &str) -> String {
        let base = safe_id(raw);
        if self.seen.insert(hash_of(&base)) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| self.seen.insert(hash_of(candidate)))
            .expect("an unused suffix exists")
    }
}

/// SipHash with fixed keys, so that the same ids give the same hashes (and suffixes) on
/// every run.
fn hash_of(id: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// The hashes are uniform already; the set uses them as they are.
#[derive(Default)]
struct AsIs(u64);

impl Hasher for AsIs {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Limits of [`SeenHashes`]; tests make them small to exercise the runs.
#[derive(Clone, Copy)]
struct Limits {
    /// Hashes held in memory before they go to disk as a sorted run.
    in_memory: usize,
    /// Hashes in a block of a run: a lookup reads one block.
    block: usize,
    /// More runs than this are merged into one, so a lookup reads few blocks.
    runs: usize,
}

/// 7/8 of 2^19 is the most a hash set keeps in 2^19 buckets: at most 4.5 MB in memory.
/// Blocks of 512 hashes are 4 KB reads, and keep 1/512 of a run in memory.
const LIMITS: Limits = Limits {
    in_memory: 458_752,
    block: 512,
    runs: 4,
};

struct SeenHashes {
    limits: Limits,
    recent: HashSet<u64, BuildHasherDefault<AsIs>>,
    runs: Vec<Run>,
    /// Set when a run could not be written (no temporary space): from then on every hash stays
    /// in memory, which is correct, only not bounded.
    memory_only: bool,
}

impl Default for SeenHashes {
    fn default() -> Self {
        SeenHashes::with_limits(LIMITS)
    }
}

impl SeenHashes {
    fn with_limits(limits: Limits) -> Self {
        SeenHashes {
            limits,
            recent: HashSet::default(),
            runs: Vec::new(),
            memory_only: false,
        }
    }

    /// Remembers `hash`; false if it was seen before.
    fn insert(&mut self, hash: u64) -> bool {
        if self.recent.contains(&hash) || self.runs.iter().any(|run| run.contains(hash)) {
            return false;
        }
        self.recent.insert(hash);
        if self.recent.len() >= self.limits.in_memory && !self.memory_only {
            self.spill();
        }
        true
    }

    fn spill(&mut self) {
        let mut hashes: Vec<u64> = self.recent.iter().copied().collect();
        hashes.sort_unstable();
        let block = self.limits.block;
        let written = if self.runs.len() >= self.limits.runs {
            match Run::merge(std::mem::take(&mut self.runs), &hashes, block) {
                Ok(run) => Some(run),
                Err(runs) => {
                    self.runs = runs;
                    None
                }
            }
        } else {
            Run::write(hashes.iter().copied(), block).ok()
        };
        match written {
            Some(run) => {
                self.runs.push(run);
                self.recent = HashSet::default();
            }
            None => self.memory_only = true,
        }
    }
}

/// Sorted hashes in an unnamed temporary file.
struct Run {
    file: File,
    len: usize,
    block: usize,
    /// The first hash of each block.
    firsts: Vec<u64>,
}

impl Run {
    fn write(sorted: impl Iterator<Item = u64>, block: usize) -> std::io::Result<Run> {
        let file = tempfile::tempfile()?;
        let mut out = BufWriter::new(&file);
        let (mut len, mut firsts) = (0, Vec::new());
        for hash in sorted {
            if len % block == 0 {
                firsts.push(hash);
            }
            out.write_all(&hash.to_le_bytes())?;
            len += 1;
        }
        out.flush()?;
        drop(out);
        Ok(Run {
            file,
            len,
            block,
            firsts,
        })
    }

    /// One run from `runs` and the sorted `newest`, read a block at a time; on failure the
    /// runs are handed back.
    fn merge(runs: Vec<Run>, newest: &[u64], block: usize) -> Result<Run, Vec<Run>> {
        let failed = std::cell::Cell::new(false);
        let merged = {
            let mut sources: Vec<Box<dyn Iterator<Item = u64> + '_>> = runs
                .iter()
                .map(|run| Box::new(run.hashes(&failed)) as Box<dyn Iterator<Item = u64>>)
                .collect();
            sources.push(Box::new(newest.iter().copied()));
            Run::write(MergeSorted::new(sources), block)
        };
        match merged {
            Ok(run) if !failed.get() => Ok(run),
            _ => Err(runs),
        }
    }

    /// The run's hashes in order; a read error ends them early and sets `failed`.
    fn hashes<'r>(&'r self, failed: &'r std::cell::Cell<bool>) -> impl Iterator<Item = u64> + 'r {
        let mut block = Vec::new();
        (0..self.firsts.len()).flat_map(move |b| {
            if self.read_block(b, &mut block).is_err() {
                failed.set(true);
                block.clear();
            }
            std::mem::take(&mut block)
        })
    }

    fn read_block(&self, b: usize, into: &mut Vec<u64>) -> std::io::Result<()> {
        let start = b * self.block;
        let count = self.block.min(self.len - start);
        let mut bytes = vec![0u8; count * 8];
        read_exact_at(&self.file, &mut bytes, (start * 8) as u64)?;
        into.clear();
        into.extend(
            bytes
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().expect("eight bytes"))),
        );
        Ok(())
    }

    fn contains(&self, hash: u64) -> bool {
        let b = self.firsts.partition_point(|&first| first <= hash);
        if b == 0 {
            return false;
        }
        let mut block = Vec::new();
        match self.read_block(b - 1, &mut block) {
            Ok(()) => block.binary_search(&hash).is_ok(),
            // Taken as seen: the id then gets a suffix, which is never wrong.
            Err(_) => true,
        }
    }
}

fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_exact_at(file, buf, offset);
    #[cfg(windows)]
    {
        let mut filled = 0;
        while filled < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buf[filled..],
                offset + filled as u64,
            )?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            filled += n;
        }
        Ok(())
    }
}

/// Merges sorted sources into one sorted sequence (a handful of sources: a linear pick).
struct MergeSorted<'s> {
    sources: Vec<std::iter::Peekable<Box<dyn Iterator<Item = u64> + 's>>>,
}

impl<'s> MergeSorted<'s> {
    fn new(sources: Vec<Box<dyn Iterator<Item = u64> + 's>>) -> Self {
        MergeSorted {
            sources: sources.into_iter().map(Iterator::peekable).collect(),
        }
    }
}

impl Iterator for MergeSorted<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let mut least: Option<(usize, u64)> = None;
        for (i, source) in self.sources.iter_mut().enumerate() {
            if let Some(&h) = source.peek() {
                if least.is_none_or(|(_, l)| h < l) {
                    least = Some((i, h));
                }
            }
        }
        let (i, _) = least?;
        self.sources[i].next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::RngExt;
    use proptest::test_runner::{RngAlgorithm, TestRng};

    #[test]
    fn ids_are_safe_and_unique() {
        let mut ids = IdAllocator::default();
        assert_eq!(
            ids.allocate("Putin’s talks (draft)"),
            "Putin_s_talks__draft_"
        );
        assert_eq!(ids.allocate("a"), "a");
        assert_eq!(ids.allocate("a"), "a-2");
        assert_eq!(ids.allocate("a"), "a-3");
        assert_eq!(ids.allocate("..hidden"), "hidden");
        assert_eq!(ids.allocate("-2 3"), "_2_3");
        assert_eq!(ids.allocate(".-x"), "_x");
        assert_eq!(ids.allocate("a-"), "a-");
        assert_eq!(ids.allocate(&"x".repeat(300)).len(), 200);
    }

    /// The plain way: every id string kept.
    fn allocate_plainly(seen: &mut std::collections::HashSet<String>, raw: &str) -> String {
        let base = safe_id(raw);
        if seen.insert(base.clone()) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| seen.insert(candidate.clone()))
            .unwrap()
    }

    #[test]
    fn runs_on_disk_give_the_ids_that_memory_alone_gives() {
        let limits = Limits {
            in_memory: 50,
            block: 8,
            runs: 3,
        };
        let mut ids = IdAllocator {
            seen: SeenHashes::with_limits(limits),
        };
        let mut plain = std::collections::HashSet::new();
        // Ids repeat near and far apart, and some raw ids are another's suffixed form.
        let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
        for i in 0..5_000u64 {
            let raw = match rng.random_range(0..4) {
                0 => format!("doc-{}", rng.random_range(0..400)),
                1 => format!("doc-{}-2", rng.random_range(0..50)),
                _ => format!("article {i}"),
            };
            assert_eq!(
                ids.allocate(&raw),
                allocate_plainly(&mut plain, &raw),
                "{raw}"
            );
        }
        assert!(ids.seen.runs.len() <= limits.runs);
        assert!(ids.seen.recent.len() < limits.in_memory);
        assert!(!ids.seen.memory_only);
        assert!(!ids.seen.runs.is_empty());
    }
}
