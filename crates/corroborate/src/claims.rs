//! Numeric disagreements: claims about the same subject in the same unit whose values
//! cannot both hold, once qualifiers (`about`, `more than`, `up to`) and a tolerance are
//! taken into account.

use rustc_hash::FxHashMap;

use crate::strings::Interner;
use crate::texts::TextAt;

/// What is kept of each claim with a subject; its text waits in the text file at `text`.
#[derive(Debug, Clone, Copy)]
pub struct ClaimRec {
    pub doc: u32,
    pub value: f64,
    /// Interned unit, subject and qualifier.
    pub unit: u32,
    pub subject: u32,
    pub qualifier: Option<u32>,
    pub text: TextAt,
}

/// A claim's value and qualifier, as [`disagree`] reads them.
struct Claim<'a> {
    value: f64,
    qualifier: Option<&'a str>,
}

/// Claims on one subject and unit that disagree across sources.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The subject as the first claim writes it (interned).
    pub subject: u32,
    /// The unit class (`share` for percentages and fractions).
    pub unit: String,
    /// Every claim on the subject and unit, as indices in input order.
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

/// Conflicts among `claims`, in order of their first claim. `subject_key` folds a subject so
/// that spellings of one place meet (an empty key compares with nothing); `source` gives a
/// document's source.
pub fn conflicts(
    claims: &[ClaimRec],
    strings: &Interner,
    subject_key: impl Fn(&str) -> String,
    source: impl Fn(u32) -> u64,
    tolerance: f64,
) -> Vec<Conflict> {
    // Subjects and units are interned: each distinct one is folded once.
    let mut key_of: FxHashMap<u32, String> = FxHashMap::default();
    let mut class_of: FxHashMap<u32, String> = FxHashMap::default();
    let mut keyed: Vec<(&str, &str, u32)> = Vec::new();
    for c in claims {
        key_of
            .entry(c.subject)
            .or_insert_with(|| subject_key(strings.get(c.subject)));
        class_of
            .entry(c.unit)
            .or_insert_with(|| unit_class(strings.get(c.unit)));
    }
    for (i, c) in claims.iter().enumerate() {
        let key = &key_of[&c.subject];
        if !key.is_empty() {
            keyed.push((key, &class_of[&c.unit], i as u32));
        }
    }
    keyed.sort_unstable();
    let mut out: Vec<Conflict> = keyed
        .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
        .filter_map(|group| {
            let list: Vec<&ClaimRec> = group.iter().map(|g| &claims[g.2 as usize]).collect();
            clash(&list, strings, &source, tolerance).then(|| Conflict {
                subject: list[0].subject,
                unit: group[0].1.to_string(),
                claims: group.iter().map(|g| g.2).collect(),
            })
        })
        .collect();
    out.sort_unstable_by_key(|c| c.claims[0]);
    out
}

/// Whether the claims of one subject and unit (in input order) disagree across sources.
fn clash(
    list: &[&ClaimRec],
    strings: &Interner,
    source: impl Fn(u32) -> u64,
    tolerance: f64,
) -> bool {
    let view = |i: usize| {
        let c = list[i];
        Claim {
            value: c.value,
            qualifier: c.qualifier.map(|q| strings.get(q)),
        }
    };
    let clashes = |a: usize, b: usize| {
        let (ca, cb) = (list[a], list[b]);
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
