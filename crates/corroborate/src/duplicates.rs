//! Near-duplicate documents (the same article saved twice, or syndicated under two URLs):
//! a MinHash signature of each document's word 5-grams, compared for documents that agree
//! on a band of it. Near-duplicates are one source, so they never corroborate each other.

use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// Hashes in a signature: the share of equal ones estimates the documents' shingle overlap
/// (Jaccard) in steps of 1/16.
pub const HASHES: usize = 16;
/// Signature positions per band (at most four, packed in 64 bits); documents equal on a
/// whole band are compared.
const ROWS: usize = 2;
/// Words in a shingle.
const SHINGLE: usize = 5;
/// Earlier documents of a band a document is compared with: a family of copies meets its
/// first members, and a band shared by thousands of documents costs no more.
const COMPARED_PER_BAND: usize = 4;

pub type Signature = [u16; HASHES];

/// The signature of `text`, or `None` for a text without words.
pub fn signature(text: &str) -> Option<Signature> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut sig = [u16::MAX; HASHES];
    for shingle in words.windows(SHINGLE.min(words.len())) {
        let mut hasher = FxHasher::default();
        shingle.hash(&mut hasher);
        let h = hasher.finish();
        for (i, slot) in sig.iter_mut().enumerate() {
            // Independent hash functions from one: a multiply-xorshift per seed.
            let mixed = (h ^ SEEDS[i]).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            *slot = (*slot).min((mixed >> 48) as u16);
        }
    }
    Some(sig)
}

const SEEDS: [u64; HASHES] = [
    0x243F_6A88_85A3_08D3,
    0x1319_8A2E_0370_7344,
    0xA409_3822_299F_31D0,
    0x082E_FA98_EC4E_6C89,
    0x4528_21E6_38D0_1377,
    0xBE54_66CF_34E9_0C6C,
    0xC0AC_29B7_C97C_50DD,
    0x3F84_D5B5_B547_0917,
    0x9216_D5D9_8979_FB1B,
    0xD131_0BA6_98DF_B5AC,
    0x2FFD_72DB_D01A_DFB7,
    0xB8E1_AFED_6A26_7E96,
    0xBA7C_9045_F12C_7F99,
    0x24A1_9947_B391_6CF7,
    0x0801_F2E2_858E_FC16,
    0x6369_20D8_7157_1E7A,
];

/// Estimated shingle overlap of two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / HASHES as f64
}

/// A document found a near-duplicate of an earlier one.
#[derive(Debug, Clone, Copy)]
pub struct Duplicate {
    pub doc: u32,
    /// The earlier document it is most like.
    pub of: u32,
    pub similarity: f64,
}

/// Each document that is a near-duplicate (similarity at least `threshold`) of an earlier
/// one, in input order, with the earlier one it is most like. `signatures[d]` is `None` for
/// a document without words.
pub fn find(signatures: &[Option<Signature>], threshold: f64) -> Vec<Duplicate> {
    let mut best: Vec<Option<Duplicate>> = vec![None; signatures.len()];
    for band in 0..HASHES / ROWS {
        // The band's hashes packed into one number, so the sort compares integers.
        let key = |s: &Signature| {
            let rows = s[band * ROWS..(band + 1) * ROWS].iter();
            rows.fold(0u64, |key, &h| (key << 16) | u64::from(h))
        };
        let mut keyed: Vec<(u64, u32)> = signatures
            .iter()
            .enumerate()
            .filter_map(|(d, s)| Some((key(s.as_ref()?), d as u32)))
            .collect();
        keyed.sort_unstable();
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            let firsts = &run[..run.len().min(COMPARED_PER_BAND)];
            for &(_, d) in &run[1..] {
                let sig = signatures[d as usize].as_ref().map_or(&[0; HASHES], |s| s);
                for &(_, e) in firsts.iter().filter(|(_, e)| *e < d) {
                    let other = signatures[e as usize].as_ref().map_or(&[0; HASHES], |s| s);
                    let similarity = similarity(sig, other);
                    let found = &mut best[d as usize];
                    let better = found.is_none_or(|f| {
                        (similarity, std::cmp::Reverse(e)) > (f.similarity, std::cmp::Reverse(f.of))
                    });
                    if similarity >= threshold && better {
                        *found = Some(Duplicate {
                            doc: d,
                            of: e,
                            similarity,
                        });
                    }
                }
            }
        }
    }
    best.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "President Trump and President Putin met in Anchorage on Friday for \
        talks that lasted nearly three hours, but left without announcing a ceasefire in \
        Ukraine. Both men described the meeting as productive. Zelensky said he would travel \
        to Washington on Monday to meet Trump, and European leaders said they would join him.";

    #[test]
    fn copies_are_found_and_different_articles_are_not() {
        let copy = format!("By Jane Roe, Associated Press\n{STORY}\nCopyright 2025 AP.");
        let other = "Ukraine's economy grew by 2 percent in the second quarter, the central \
            bank said on Thursday, as exports of grain through the Black Sea corridor rose.";
        let sigs = [
            signature(STORY),
            signature(&copy),
            signature(other),
            signature(STORY),
        ];
        let dups = find(&sigs, 0.5);
        let found: Vec<(u32, u32)> = dups.iter().map(|d| (d.doc, d.of)).collect();
        assert_eq!(found, [(1, 0), (3, 0)]);
        assert!(dups[0].similarity > 0.5 && dups[1].similarity == 1.0);
        assert_eq!(signature(" — "), None);
    }
}
