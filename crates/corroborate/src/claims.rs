//! Numeric disagreements: claims about the same subject in the same unit whose values
//! cannot both hold, once qualifiers (`about`, `more than`, `up to`) and a tolerance are
//! taken into account.

use std::collections::BTreeMap;

use crate::spill::{Addr, Interner, SpillReader};

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

    /// Every claim, in input order, from the claims' spill file.
    pub fn load(spill: &SpillReader) -> Result<Vec<ClaimRec>, String> {
        spill
            .records(2)
            .map(|r| {
                let (at, record) = r?;
                ClaimRec::decode(at, record.bytes(0))
                    .ok_or_else(|| "temporary file: corrupt claim".to_string())
            })
            .collect()
    }
}

/// A claim's strings, as [`disagree`] and [`conflicts`] read them.
struct Claim<'a> {
    value: f64,
    qualifier: Option<&'a str>,
}

/// Claims on one subject and unit that disagree across sources.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The subject as the first document writes it.
    pub subject: String,
    pub unit: String,
    /// Claim indices in input order: all claims on the subject, agreeing ones included.
    pub claims: Vec<u32>,
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

/// Conflicts among `claims`. `subject_key` folds a subject so that spellings of one place
/// meet; `source` gives a document's source.
pub fn conflicts(
    claims: &[ClaimRec],
    strings: &Interner,
    subject_key: impl Fn(&str) -> String,
    source: impl Fn(u32) -> u32,
    tolerance: f64,
) -> Vec<Conflict> {
    let mut by_subject: BTreeMap<(String, String), Vec<u32>> = BTreeMap::new();
    for (i, c) in claims.iter().enumerate() {
        let key = subject_key(strings.get(c.subject));
        if key.is_empty() {
            continue;
        }
        by_subject
            .entry((key, unit_class(strings.get(c.unit))))
            .or_default()
            .push(i as u32);
    }
    let view = |i: u32| {
        let c = &claims[i as usize];
        Claim {
            value: c.value,
            qualifier: c.qualifier.map(|q| strings.get(q)),
        }
    };
    let mut out = Vec::new();
    for ((_, unit), list) in by_subject {
        let clashes = |a: u32, b: u32| {
            let (ca, cb) = (&claims[a as usize], &claims[b as usize]);
            source(ca.doc) != source(cb.doc) && disagree(&view(a), &view(b), tolerance)
        };
        // All pairs on small subjects; on large ones the extremes, which hold the widest gap.
        let candidates: Vec<u32> = if list.len() <= 64 {
            list.clone()
        } else {
            let mut by_lo = list.clone();
            by_lo.sort_by(|&a, &b| {
                let (a, b) = (view(a), view(b));
                let (alo, _) = interval(a.value, a.qualifier);
                let (blo, _) = interval(b.value, b.qualifier);
                blo.total_cmp(&alo)
            });
            let mut by_hi = list.clone();
            by_hi.sort_by(|&a, &b| {
                let (a, b) = (view(a), view(b));
                let (_, ahi) = interval(a.value, a.qualifier);
                let (_, bhi) = interval(b.value, b.qualifier);
                ahi.total_cmp(&bhi)
            });
            let mut c: Vec<u32> = by_lo
                .into_iter()
                .take(16)
                .chain(by_hi.into_iter().take(16))
                .collect();
            c.sort_unstable();
            c.dedup();
            c
        };
        let clash = candidates
            .iter()
            .enumerate()
            .any(|(i, &a)| candidates[i + 1..].iter().any(|&b| clashes(a, b)));
        if clash {
            out.push(Conflict {
                subject: strings.get(claims[list[0] as usize].subject).to_string(),
                unit,
                claims: list,
            });
        }
    }
    out.sort_by_key(|c| c.claims[0]);
    out
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
