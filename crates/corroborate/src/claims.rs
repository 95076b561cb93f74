//! Numeric disagreements between comparable claims: the same subject, the same kind of
//! quantity in the same unit family (a share is not a length; miles are not square miles),
//! from different sources, whose values cannot both hold once qualifiers (`about`, `more
//! than`, `up to`) and a tolerance are taken into account. Shares on either side of one half
//! are read as the two parts of one whole (Russia's 70% of a region and Ukraine's remaining
//! 30% agree); claims dated far apart are a change over time, not a conflict.

use rustc_hash::FxHashMap;

use crate::strings::Interner;
use crate::texts::TextAt;

/// What is kept of each claim with a subject; its text waits in the text file at `text`.
#[derive(Debug, Clone, Copy)]
pub struct ClaimRec {
    pub doc: u32,
    pub value: f64,
    /// Interned unit class (see [`unit_class`]), subject and qualifier.
    pub unit: u32,
    pub subject: u32,
    pub qualifier: Option<u32>,
    /// The document's date, in days (from the common era).
    pub date: Option<i32>,
    /// Where its text starts and ends in the text file.
    pub text: (TextAt, TextAt),
}

/// A claim's value and qualifier, as [`disagree`] reads them.
#[derive(Debug, Clone, Copy)]
struct Claim<'a> {
    value: f64,
    qualifier: Option<&'a str>,
}

/// What a set of claims on one subject and unit shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// Values that cannot both hold, from documents of about the same date.
    Conflict,
    /// Values that differ only between documents dated far apart.
    Change,
}

/// Claims on one subject and unit that disagree across sources.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub finding: Finding,
    /// The subject as the first claim writes it (interned).
    pub subject: u32,
    /// The unit class (`share` for percentages and fractions).
    pub unit: String,
    /// Every claim on the subject and unit, as indices in input order.
    pub claims: Vec<u32>,
    /// The two claims furthest apart (indices), which the row's evidence cites.
    pub pair: (u32, u32),
    /// Their gap, relative to the larger value.
    pub gap: f64,
    /// Their gap in the unit (a share's in points of one whole).
    pub spread: f64,
}

/// Thresholds of the comparison.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Relative gap beyond which values disagree.
    pub tolerance: f64,
    /// Days between two documents' dates beyond which their figures are a change over time.
    pub change_days: i32,
}

const LOWER_BOUNDS: &str = "more than|over|at least|above|exceeding|upwards of|in excess of|\
    greater than|no less than|not less than|more";
const UPPER_BOUNDS: &str = "less than|under|up to|fewer than|at most|below|no more than|\
    not more than|as many as|as much as|nearly|almost|just under";

/// The unit a word after a number stands for, if it is a length or an area (`6-mile`, `1,000
/// square miles`): a claim in miles is incomparable with one in square miles or people.
fn measure_unit(word: &str) -> Option<&'static str> {
    Some(match word {
        "mile" | "miles" => "mile",
        "kilometre" | "kilometres" | "kilometer" | "kilometers" | "km" => "km",
        "metre" | "metres" | "meter" | "meters" => "metre",
        "foot" | "feet" => "foot",
        "yard" | "yards" => "yard",
        "acre" | "acres" => "acre",
        "hectare" | "hectares" => "hectare",
        "km2" | "km²" => "square km",
        _ => return None,
    })
}

/// The class of a claim's unit: percentages and fractions are shares; a count in a length
/// or area unit is that unit (`square mile`, `mile`).
pub fn unit_class(unit: &str, text: &str) -> String {
    let unit = unit.trim().to_lowercase();
    match unit.as_str() {
        "percent" | "per cent" | "%" | "percentage" | "fraction" | "share" | "proportion" => {
            "share".to_string()
        }
        "count" => measure(text).unwrap_or(unit),
        _ => unit,
    }
}

/// The length or area unit after the first number of `text`, if any.
fn measure(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '²'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = words
        .iter()
        .position(|w| w.chars().any(|c| c.is_ascii_digit()))?;
    let unit_at = |i: usize| measure_unit(words.get(i)?);
    match words.get(at + 1).copied() {
        Some("square" | "sq") => unit_at(at + 2).map(|u| format!("square {u}")),
        _ => unit_at(at + 1).map(str::to_string),
    }
}

/// The values a claim admits: `[value, value]`, or open on one side for bounds.
fn interval(value: f64, qualifier: Option<&str>) -> (f64, f64) {
    let q = qualifier
        .map(|q| q.trim().to_lowercase())
        .unwrap_or_default();
    let is = |list: &str| {
        list.split('|')
            .any(|b| q == b || q.starts_with(&format!("{b} ")))
    };
    if is(LOWER_BOUNDS) {
        (value, f64::INFINITY)
    } else if is(UPPER_BOUNDS) {
        (f64::NEG_INFINITY, value)
    } else {
        (value, value)
    }
}

/// A share on the minor side of one half read as the other part of the whole (`30%` held by
/// one side is `70%` held by the other), so that parts of one whole compare as one figure.
fn major_part(c: Claim, share: bool) -> (f64, f64) {
    let (lo, hi) = interval(c.value, c.qualifier);
    if share && c.value < 0.5 {
        (1.0 - hi, 1.0 - lo)
    } else {
        (lo, hi)
    }
}

/// The gap between what two claims admit, relative to the larger value: above `tolerance`
/// they cannot both hold.
fn gap(a: Claim, b: Claim, share: bool) -> f64 {
    let gap = spread(a, b, share);
    let scale = |c: Claim| {
        if share && c.value < 0.5 {
            1.0 - c.value
        } else {
            c.value
        }
    };
    gap / scale(a).abs().max(scale(b).abs()).max(f64::MIN_POSITIVE)
}

/// The gap between what two claims admit, in their unit.
fn spread(a: Claim, b: Claim, share: bool) -> f64 {
    let ((alo, ahi), (blo, bhi)) = (major_part(a, share), major_part(b, share));
    (alo - bhi).max(blo - ahi)
}

fn disagree(a: Claim, b: Claim, share: bool, tolerance: f64) -> bool {
    gap(a, b, share) > tolerance
}

/// Conflicts among `claims`, in order of their first claim. `subject_key` folds a subject so
/// that spellings of one place meet (an empty key compares with nothing); `source` gives a
/// document's source.
pub fn conflicts(
    claims: &[ClaimRec],
    strings: &Interner,
    subject_key: impl Fn(&str) -> String,
    source: impl Fn(u32) -> u32,
    rules: Rules,
) -> Vec<Conflict> {
    // Subjects are interned: each distinct one is folded once.
    let mut key_of: FxHashMap<u32, String> = FxHashMap::default();
    for c in claims {
        key_of
            .entry(c.subject)
            .or_insert_with(|| subject_key(strings.get(c.subject)));
    }
    let mut keyed: Vec<(&str, u32, u32)> = Vec::new();
    for (i, c) in claims.iter().enumerate() {
        let key = &key_of[&c.subject];
        if !key.is_empty() {
            keyed.push((key, c.unit, i as u32));
        }
    }
    keyed.sort_unstable();
    let mut out: Vec<Conflict> = keyed
        .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
        .filter_map(|group| {
            let indices: Vec<u32> = group.iter().map(|g| g.2).collect();
            compare(&indices, claims, strings, &source, rules)
        })
        .collect();
    out.sort_unstable_by_key(|c| c.claims[0]);
    out
}

/// What the claims of one subject and unit (indices in input order) show across sources:
/// the widest disagreement between documents of about the same date, else the widest
/// between documents dated far apart.
fn compare(
    indices: &[u32],
    claims: &[ClaimRec],
    strings: &Interner,
    source: impl Fn(u32) -> u32,
    rules: Rules,
) -> Option<Conflict> {
    let rec = |i: u32| &claims[i as usize];
    let unit = strings.get(rec(indices[0]).unit);
    let share = unit == "share";
    let view = |i: u32| Claim {
        value: rec(i).value,
        qualifier: rec(i).qualifier.map(|q| strings.get(q)),
    };
    let apart = |a: u32, b: u32| match (rec(a).date, rec(b).date) {
        (Some(x), Some(y)) => (x - y).abs() > rules.change_days,
        _ => false,
    };
    let candidates = extremes(indices, |i| major_part(view(i), share));
    // (is a change over time, gap, pair): conflicts first, then the widest gap.
    let mut best: Option<(bool, f64, (u32, u32))> = None;
    for (k, &a) in candidates.iter().enumerate() {
        for &b in &candidates[k + 1..] {
            if source(rec(a).doc) == source(rec(b).doc)
                || !disagree(view(a), view(b), share, rules.tolerance)
            {
                continue;
            }
            let found = (apart(a, b), gap(view(a), view(b), share), (a, b));
            let better = best.is_none_or(|(change, g, _)| {
                (!found.0 && change) || (found.0 == change && found.1 > g)
            });
            if better {
                best = Some(found);
            }
        }
    }
    let (change, gap, pair) = best?;
    Some(Conflict {
        finding: if change {
            Finding::Change
        } else {
            Finding::Conflict
        },
        subject: rec(indices[0]).subject,
        unit: unit.to_string(),
        claims: indices.to_vec(),
        pair,
        gap,
        spread: spread(view(pair.0), view(pair.1), share),
    })
}

/// The claims worth comparing pairwise: all of a small subject; on a large one the extremes
/// of what they admit, which hold the widest gaps.
fn extremes(indices: &[u32], span: impl Fn(u32) -> (f64, f64)) -> Vec<u32> {
    if indices.len() <= 64 {
        return indices.to_vec();
    }
    let spans: Vec<(f64, f64)> = indices.iter().map(|&i| span(i)).collect();
    let mut by_lo: Vec<usize> = (0..indices.len()).collect();
    by_lo.sort_by(|&a, &b| spans[b].0.total_cmp(&spans[a].0));
    let mut by_hi: Vec<usize> = (0..indices.len()).collect();
    by_hi.sort_by(|&a, &b| spans[a].1.total_cmp(&spans[b].1));
    let mut chosen: Vec<usize> = by_lo
        .into_iter()
        .take(16)
        .chain(by_hi.into_iter().take(16))
        .collect();
    chosen.sort_unstable();
    chosen.dedup();
    chosen.into_iter().map(|k| indices[k]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(value: f64, qualifier: Option<&str>) -> Claim<'_> {
        Claim { value, qualifier }
    }

    fn differ(a: Claim, b: Claim) -> bool {
        disagree(a, b, false, 0.02)
    }

    #[test]
    fn parts_of_one_whole_agree() {
        let about_70 = claim(0.7, Some("about"));
        assert!(!disagree(
            about_70,
            claim(0.3, Some("remaining")),
            true,
            0.02
        ));
        assert!(!disagree(about_70, claim(0.3, None), true, 0.02));
        assert!(disagree(
            claim(0.75, Some("approximately")),
            claim(0.3, None),
            true,
            0.02
        ));
        assert!(!disagree(about_70, claim(0.7, Some("over")), true, 0.02));
    }

    #[test]
    fn lengths_areas_and_shares_are_different_units() {
        assert_eq!(unit_class("count", "a 6-mile advance"), "mile");
        assert_eq!(
            unit_class("count", "1,000 square miles of territory"),
            "square mile"
        );
        assert_eq!(unit_class("count", "about 4,000 sq km"), "square km");
        assert_eq!(unit_class("count", "5 regions"), "count");
        assert_eq!(unit_class("percent", "70% of Donetsk"), "share");
        assert_eq!(unit_class("fraction", "three-quarters of it"), "share");
    }

    #[test]
    fn qualifiers_bound_the_values() {
        assert!(differ(
            claim(0.7, Some("about")),
            claim(0.75, Some("approximately"))
        ));
        assert!(!differ(claim(0.7, None), claim(0.705, None)));
        assert!(!differ(claim(0.5, Some("more than")), claim(0.75, None)));
        assert!(differ(claim(0.8, Some("more than")), claim(0.75, None)));
        assert!(!differ(
            claim(0.8, Some("up to")),
            claim(0.75, Some("nearly"))
        ));
    }
}
