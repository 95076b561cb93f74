//! Numeric disagreements: claims about the same subject in the same unit whose values
//! cannot both hold, once qualifiers (`about`, `more than`, `up to`) and a tolerance are
//! taken into account.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};

use crate::runsort::RunSorter;
use crate::spill::{read_exact_at, Addr, Interner, SpillReader};

/// The compact record of each claim with a subject: strings are interned. `observe` writes
/// it to the claims' spill file with the claim's text, and `finish` reads it back.
#[derive(Debug, Clone, Copy)]
pub struct ClaimRec {
    pub doc: u32,
    /// Where `[record, text]` is in the claims' spill file.
    pub at: Addr,
    pub value: f64,
    pub unit: u32,
    pub subject: u32,
    pub qualifier: Option<u32>,
}

const NO_QUALIFIER: u32 = u32::MAX;

impl ClaimRec {
    /// The record's fields but `at`, for the spill file.
    pub fn encode(&self) -> [u8; 24] {
        let mut out = [0; 24];
        out[..4].copy_from_slice(&self.doc.to_le_bytes());
        out[4..12].copy_from_slice(&self.value.to_bits().to_le_bytes());
        out[12..16].copy_from_slice(&self.unit.to_le_bytes());
        out[16..20].copy_from_slice(&self.subject.to_le_bytes());
        let qualifier = self.qualifier.unwrap_or(NO_QUALIFIER);
        out[20..].copy_from_slice(&qualifier.to_le_bytes());
        out
    }

    fn decode(at: Addr, bytes: &[u8]) -> Option<ClaimRec> {
        let u32_at = |i: usize| Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?));
        let bits = u64::from_le_bytes(bytes.get(4..12)?.try_into().ok()?);
        Some(ClaimRec {
            doc: u32_at(0)?,
            at,
            value: f64::from_bits(bits),
            unit: u32_at(12)?,
            subject: u32_at(16)?,
            qualifier: Some(u32_at(20)?).filter(|&q| q != NO_QUALIFIER),
        })
    }

    /// The claim whose record is at `at` in the claims' spill file.
    pub fn read(spill: &SpillReader, at: Addr) -> Result<ClaimRec, String> {
        let record = spill.read(at, 2)?;
        ClaimRec::decode(at, record.bytes(0))
            .ok_or_else(|| "temporary file: corrupt claim".to_string())
    }
}

/// A claim's strings, as [`disagree`] and [`clash`] read them.
struct Claim<'a> {
    value: f64,
    qualifier: Option<&'a str>,
}

/// Claims on one subject and unit that disagree across sources. Its claims' addresses wait
/// in [`Conflicts`]' file: a subject reported across the corpus lists claims from every part
/// of it.
#[derive(Debug, Clone, Copy)]
pub struct Conflict {
    /// The subject as the first claim writes it (interned).
    pub subject: u32,
    /// The unit class, an index into [`Conflicts::units`].
    pub unit: u32,
    /// Index (in input order) of the first claim.
    first: u32,
    /// Where the list of the claims' addresses starts in the file, in addresses.
    start: u64,
    len: u32,
}

/// The conflicts, in order of their first claim.
#[derive(Default)]
pub struct Conflicts {
    heads: Vec<Conflict>,
    /// Unit classes by number.
    pub units: Vec<String>,
    writer: Option<BufWriter<File>>,
    file: Option<File>,
    written: u64,
}

impl Conflicts {
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// Conflict `i`, the addresses of its claims (all claims on its subject and unit, in
    /// input order) read into `out`.
    pub fn read(&self, i: usize, out: &mut Vec<Addr>) -> Result<Conflict, String> {
        let c = self.heads[i];
        let file = self
            .file
            .as_ref()
            .ok_or("temporary file: nothing was written")?;
        let mut bytes = vec![0u8; c.len as usize * 4];
        read_exact_at(file, &mut bytes, c.start * 4)?;
        out.clear();
        out.extend(
            bytes
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
        Ok(c)
    }

    fn push(&mut self, head: Conflict, ats: impl Iterator<Item = Addr>) -> std::io::Result<()> {
        let w = match &mut self.writer {
            Some(w) => w,
            None => self
                .writer
                .insert(BufWriter::with_capacity(1 << 16, tempfile::tempfile()?)),
        };
        let mut len = 0;
        for at in ats {
            w.write_all(&at.to_le_bytes())?;
            len += 1;
        }
        self.heads.push(Conflict {
            start: self.written,
            len,
            ..head
        });
        self.written += u64::from(len);
        Ok(())
    }

    /// Bytes held, for [`crate::memory`].
    pub fn bytes(&self) -> usize {
        crate::memory::vec(&self.heads)
            + self
                .units
                .iter()
                .map(|u| crate::memory::chunk(u.capacity()))
                .sum::<usize>()
    }
}

const LOWER_BOUNDS: &[&str] = &[
    "more than",
    "over",
    "at least",
    "above",
    "exceeding",
    "upwards of",
    "in excess of",
    "greater than",
    "no less than",
    "not less than",
    "more",
];
const UPPER_BOUNDS: &[&str] = &[
    "less than",
    "under",
    "up to",
    "fewer than",
    "at most",
    "below",
    "no more than",
    "not more than",
    "as many as",
    "as much as",
    "nearly",
    "almost",
    "just under",
];

/// Units that measure the same thing (a share: `70%` and `three-quarters` are both stored as
/// fractions).
fn unit_class(unit: &str) -> String {
    let unit = unit.trim().to_lowercase();
    match unit.as_str() {
        "percent" | "per cent" | "%" | "percentage" | "fraction" | "share" | "proportion" => {
            "share".to_string()
        }
        _ => unit,
    }
}

/// The values a claim admits: `[value, value]`, or open on one side for bounds.
fn interval(value: f64, qualifier: Option<&str>) -> (f64, f64) {
    let q = qualifier
        .map(|q| q.trim().to_lowercase())
        .unwrap_or_default();
    let is = |list: &[&str]| {
        list.iter()
            .any(|b| q == *b || q.starts_with(&format!("{b} ")))
    };
    if is(LOWER_BOUNDS) {
        (value, f64::INFINITY)
    } else if is(UPPER_BOUNDS) {
        (f64::NEG_INFINITY, value)
    } else {
        (value, value)
    }
}

/// Whether two claims cannot both hold: the gap between what they admit is more than
/// `tolerance` of the larger value.
fn disagree(a: &Claim, b: &Claim, tolerance: f64) -> bool {
    let (alo, ahi) = interval(a.value, a.qualifier);
    let (blo, bhi) = interval(b.value, b.qualifier);
    let gap = (alo - bhi).max(blo - ahi);
    gap > tolerance * a.value.abs().max(b.value.abs())
}

/// Conflicts among the claims of the claims' spill file. `subject_key` folds a subject so
/// that spellings of one place meet; `source` gives a document's source.
///
/// The claims are sorted by subject and unit through a temporary file, and one subject's
/// claims at a time come back from the spill file, so that the claims are never all held.
pub fn conflicts(
    spill: &SpillReader,
    strings: &Interner,
    subject_key: impl Fn(&str) -> String,
    source: impl Fn(u32) -> u64,
    tolerance: f64,
) -> Result<Conflicts, String> {
    let fail = |e: std::io::Error| format!("temporary file: {e}");
    // Subjects and units are interned: each distinct one is folded once.
    let mut key_of: HashMap<u32, u32> = HashMap::new();
    let mut key_ids: HashMap<String, u32> = HashMap::new();
    let mut class_of: HashMap<u32, u32> = HashMap::new();
    let mut class_ids: HashMap<String, u32> = HashMap::new();
    let mut out = Conflicts::default();
    let mut sorter = RunSorter::default();
    for (i, r) in spill.records(2).enumerate() {
        let (at, record) = r?;
        let c = ClaimRec::decode(at, record.bytes(0))
            .ok_or_else(|| "temporary file: corrupt claim".to_string())?;
        let key = *key_of.entry(c.subject).or_insert_with(|| {
            let key = subject_key(strings.get(c.subject));
            if key.is_empty() {
                return NO_KEY;
            }
            let next = key_ids.len() as u32;
            *key_ids.entry(key).or_insert(next)
        });
        if key == NO_KEY {
            continue;
        }
        let class = *class_of.entry(c.unit).or_insert_with(|| {
            let class = unit_class(strings.get(c.unit));
            let next = out.units.len() as u32;
            *class_ids.entry(class).or_insert_with_key(|class| {
                out.units.push(class.clone());
                next
            })
        });
        sorter.push([key, class, i as u32, at]);
    }
    drop((key_of, key_ids, class_of, class_ids));

    let mut error: Option<String> = None;
    let mut group: Vec<(u32, ClaimRec)> = Vec::new();
    let mut current = None;
    let close = |group: &mut Vec<(u32, ClaimRec)>, class: u32, out: &mut Conflicts| {
        if group.is_empty() {
            return Ok(());
        }
        if clash(group, strings, &source, tolerance) {
            let head = Conflict {
                subject: group[0].1.subject,
                unit: class,
                first: group[0].0,
                start: 0,
                len: 0,
            };
            out.push(head, group.iter().map(|(_, c)| c.at))
                .map_err(fail)?;
        }
        group.clear();
        Ok::<(), String>(())
    };
    sorter.for_each(|[key, class, i, at]| {
        if error.is_some() {
            return;
        }
        if current != Some((key, class)) {
            if let Some((_, c)) = current {
                if let Err(e) = close(&mut group, c, &mut out) {
                    error = Some(e);
                    return;
                }
            }
            current = Some((key, class));
        }
        match ClaimRec::read(spill, at) {
            Ok(c) => group.push((i, c)),
            Err(e) => error = Some(e),
        }
    })?;
    if let Some(e) = error {
        return Err(e);
    }
    if let Some((_, c)) = current {
        close(&mut group, c, &mut out)?;
    }
    out.heads.sort_by_key(|c| c.first);
    if let Some(w) = out.writer.take() {
        out.file = Some(w.into_inner().map_err(|e| fail(e.into_error()))?);
    }
    Ok(out)
}

const NO_KEY: u32 = u32::MAX;

/// Whether the claims of one subject and unit (in input order) disagree across sources.
fn clash(
    list: &[(u32, ClaimRec)],
    strings: &Interner,
    source: impl Fn(u32) -> u64,
    tolerance: f64,
) -> bool {
    let view = |i: usize| {
        let c = &list[i].1;
        Claim {
            value: c.value,
            qualifier: c.qualifier.map(|q| strings.get(q)),
        }
    };
    let clashes = |a: usize, b: usize| {
        let (ca, cb) = (&list[a].1, &list[b].1);
        source(ca.doc) != source(cb.doc) && disagree(&view(a), &view(b), tolerance)
    };
    // All pairs on small subjects; on large ones the extremes, which hold the widest gap.
    let candidates: Vec<usize> = if list.len() <= 64 {
        (0..list.len()).collect()
    } else {
        // Each claim's interval once, not once per comparison of the two sorts.
        let spans: Vec<(f64, f64)> = (0..list.len())
            .map(|i| {
                let c = view(i);
                interval(c.value, c.qualifier)
            })
            .collect();
        let mut by_lo: Vec<usize> = (0..list.len()).collect();
        by_lo.sort_by(|&a, &b| spans[b].0.total_cmp(&spans[a].0));
        let mut by_hi: Vec<usize> = (0..list.len()).collect();
        by_hi.sort_by(|&a, &b| spans[a].1.total_cmp(&spans[b].1));
        let mut c: Vec<usize> = by_lo
            .into_iter()
            .take(16)
            .chain(by_hi.into_iter().take(16))
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    candidates
        .iter()
        .enumerate()
        .any(|(i, &a)| candidates[i + 1..].iter().any(|&b| clashes(a, b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(value: f64, qualifier: Option<&str>) -> Claim<'_> {
        Claim { value, qualifier }
    }

    #[test]
    fn qualifiers_bound_the_values() {
        assert!(disagree(
            &claim(0.7, Some("about")),
            &claim(0.75, Some("approximately")),
            0.02
        ));
        assert!(!disagree(&claim(0.7, None), &claim(0.705, None), 0.02));
        assert!(!disagree(
            &claim(0.5, Some("more than")),
            &claim(0.75, None),
            0.02
        ));
        assert!(disagree(
            &claim(0.8, Some("more than")),
            &claim(0.75, None),
            0.02
        ));
        assert!(!disagree(
            &claim(0.8, Some("up to")),
            &claim(0.75, Some("nearly")),
            0.02
        ));
    }
}
