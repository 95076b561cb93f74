//! Matching the long variants' texts: a prefix-filtered similarity join. Each variant looks
//! up only its rarest words and word pairs in inverted indexes, and candidate pairs are
//! verified by the longest common word subsequence. Two variants are *peers* (the same words
//! up to small changes) when that subsequence covers `similarity` of both; the shorter is a
//! *truncation* of the longer when it covers `similarity` of the shorter within a dense
//! stretch of the longer.

use rustc_hash::FxHashMap;

use super::{Params, UnionFind};

/// Words in at most this many quotes find candidates on their own; commoner words only as
/// part of a word pair.
const RARE_WORD_QUOTES: usize = 100;

/// Words two versions of a quote with different endings (or an inserted clause) must share,
/// in order, to be joined: at least this many, and [`CORE_SHARE`] of the shorter version.
const CORE_WORDS: usize = 8;
const CORE_SHARE: f64 = 0.6;

/// Quotes longer than this are compared on their first words.
const LCS_CAP: usize = 600;

/// What matching the variants' texts finds, before quotes and speakers are looked at.
pub struct TextMatch {
    /// Peers joined.
    pub uf: UnionFind,
    /// Truncation pairs `(shorter, longer, LCS)`.
    pub contained: Vec<(u32, u32, u32)>,
}

/// Matches the texts of the variants with at least `min_words` words.
pub fn match_text(tokens: &[Box<[u32]>], n_words: usize, params: &Params) -> TextMatch {
    let long: Vec<bool> = tokens.iter().map(|t| t.len() >= params.min_words).collect();
    let pairs = PairIndex::build(tokens, &long, params.max_block);
    let words = WordIndex::build(tokens, &long, n_words, params.max_block);
    let mut matcher = Matcher {
        tokens,
        params,
        pairs: &pairs,
        words: &words,
        uf: UnionFind::new(tokens.len()),
        stamp: vec![u32::MAX; tokens.len()],
        lcs: BitLcs::default(),
        dp: Vec::new(),
        contained: Vec::new(),
    };
    for s in (0..tokens.len()).filter(|&s| long[s]) {
        matcher.match_one(s);
    }
    // A version that ends differently shares a core that peers and truncations miss: one
    // left alone by them looks for it (a family of copies has found its own already).
    matcher.stamp.fill(u32::MAX);
    let mut family_size = vec![0u32; tokens.len()];
    for v in 0..tokens.len() as u32 {
        family_size[matcher.uf.find(v) as usize] += 1;
    }
    for s in (0..tokens.len()).filter(|&s| tokens[s].len() >= CORE_WORDS) {
        if family_size[matcher.uf.find(s as u32) as usize] == 1 {
            matcher.join_core(s);
        }
    }
    TextMatch {
        uf: matcher.uf,
        contained: matcher.contained,
    }
}

/// Word pairs shared by long variants, numbered by first appearance, with each pair's
/// number of variants and the variants of the pairs worth looking up.
struct PairIndex {
    ids: FxHashMap<u64, u32>,
    df: Vec<u32>,
    postings: Postings,
}

/// Lists of variants by key (a word pair or a word's rank), in one flat array: most keys
/// list nothing, and a vector each would cost more than the lists.
#[derive(Default)]
struct Postings {
    /// Where each key's list starts, and a last end.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Postings {
    /// From `(key, variant)` pairs in variant order, which each list keeps.
    fn new(keys: usize, mut pairs: Vec<(u32, u32)>) -> Postings {
        pairs.sort_by_key(|&(k, _)| k);
        let mut starts = vec![0u32; keys + 1];
        for &(k, _) in &pairs {
            starts[k as usize + 1] += 1;
        }
        for k in 0..keys {
            starts[k + 1] += starts[k];
        }
        let items = pairs.into_iter().map(|(_, v)| v).collect();
        Postings { starts, items }
    }

    fn get(&self, key: u32) -> &[u32] {
        &self.items[self.starts[key as usize] as usize..self.starts[key as usize + 1] as usize]
    }
}

/// A variant's adjacent word pairs, as keys.
fn pair_keys(seq: &[u32], out: &mut Vec<u64>) {
    out.clear();
    out.extend(
        seq.windows(2)
            .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])),
    );
}

impl PairIndex {
    fn build(tokens: &[Box<[u32]>], long: &[bool], max_block: usize) -> PairIndex {
        let mut index = PairIndex {
            ids: FxHashMap::default(),
            df: Vec::new(),
            postings: Postings::default(),
        };
        let (mut keys, mut ids) = (Vec::new(), Vec::new());
        for seq in tokens.iter().zip(long).filter(|(_, &l)| l).map(|(t, _)| t) {
            pair_keys(seq, &mut keys);
            ids.clear();
            for &key in &keys {
                let next = index.ids.len() as u32;
                let id = *index.ids.entry(key).or_insert(next);
                if id == next {
                    index.df.push(0);
                }
                ids.push(id);
            }
            ids.sort_unstable();
            ids.dedup();
            for &p in &ids {
                index.df[p as usize] += 1;
            }
        }
        // A pair of one variant would list just the variant that looks it up.
        let df = &index.df;
        index.ids.retain(|_, p| df[*p as usize] > 1);
        let mut listed = Vec::new();
        for (v, seq) in tokens.iter().enumerate().filter(|&(v, _)| long[v]) {
            index.rarest(seq, &mut keys, &mut ids);
            for &p in &ids {
                if (2..=max_block).contains(&(index.df[p as usize] as usize)) {
                    listed.push((p, v as u32));
                }
            }
        }
        index.postings = Postings::new(index.df.len(), listed);
        index
    }

    /// A variant's distinct pairs shared with another variant, into `ids`, rarest first;
    /// returns how many pairs it has alone (those sort before the rest, and list nothing).
    fn rarest(&self, seq: &[u32], keys: &mut Vec<u64>, ids: &mut Vec<u32>) -> usize {
        pair_keys(seq, keys);
        keys.sort_unstable();
        keys.dedup();
        ids.clear();
        ids.extend(keys.iter().filter_map(|key| self.ids.get(key).copied()));
        ids.sort_unstable_by_key(|&p| (self.df[p as usize], p));
        keys.len() - ids.len()
    }
}

/// Each long variant's distinct words as rarity ranks (ascending, so rarest first), and the
/// variants of each rank rare enough to be looked up alone.
struct WordIndex {
    sets: Vec<Vec<u32>>,
    postings: Postings,
}

impl WordIndex {
    fn build(tokens: &[Box<[u32]>], long: &[bool], n_words: usize, max_block: usize) -> Self {
        let distinct = |seq: &[u32]| {
            let mut set = seq.to_vec();
            set.sort_unstable();
            set.dedup();
            set
        };
        let mut df = vec![0u32; n_words];
        for seq in tokens.iter().zip(long).filter(|(_, &l)| l).map(|(t, _)| t) {
            for w in distinct(seq) {
                df[w as usize] += 1;
            }
        }
        let mut by_rarity: Vec<u32> = (0..n_words as u32).collect();
        by_rarity.sort_unstable_by_key(|&w| (df[w as usize], w));
        let mut rank = vec![0u32; n_words];
        for (r, &w) in by_rarity.iter().enumerate() {
            rank[w as usize] = r as u32;
        }
        let sets: Vec<Vec<u32>> = tokens
            .iter()
            .zip(long)
            .map(|(seq, &l)| {
                let ranks: Vec<u32> = seq.iter().map(|&w| rank[w as usize]).collect();
                if l {
                    distinct(&ranks)
                } else {
                    Vec::new()
                }
            })
            .collect();
        let lookup = 2..=RARE_WORD_QUOTES.min(max_block);
        let listed = sets.iter().enumerate().flat_map(|(v, set)| {
            let df = &df;
            let by_rarity = &by_rarity;
            let lookup = lookup.clone();
            set.iter()
                .filter(move |&&r| lookup.contains(&(df[by_rarity[r as usize] as usize] as usize)))
                .map(move |&r| (r, v as u32))
        });
        let postings = Postings::new(n_words, listed.collect());
        WordIndex { sets, postings }
    }
}

/// Words of an `m`-word quote another must share to match at `similarity`.
fn needed(m: usize, similarity: f64) -> usize {
    ((similarity * m as f64) - 1e-9).ceil().max(1.0) as usize
}

/// What a variant with `m` words looks up: the rarest pairs that a match sharing `need`
/// words must still share.
fn pair_prefix(m: usize, need: usize) -> usize {
    2 * (m - need) + 2
}

/// Number of values ascending `a` and `b` share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The join's state while each long variant in turn looks up its candidates.
struct Matcher<'a> {
    tokens: &'a [Box<[u32]>],
    params: &'a Params,
    pairs: &'a PairIndex,
    words: &'a WordIndex,
    uf: UnionFind,
    /// The last variant each variant was a candidate of, so each pair is verified once.
    stamp: Vec<u32>,
    lcs: BitLcs,
    dp: Vec<u16>,
    contained: Vec<(u32, u32, u32)>,
}

impl Matcher<'_> {
    /// Candidates of `s`: quotes sharing one of the rarest words that any match must share
    /// (when rare enough to be worth looking up), or one of the rarest word pairs that a
    /// match with that many changed words must still share; in lookup order.
    fn candidates(&self, s: usize, need: usize) -> Vec<u32> {
        let (seq, set) = (&self.tokens[s][..], &self.words.sets[s]);
        let m = seq.len();
        let word_prefix = (m - need + 1).min(set.len());
        let (mut keys, mut ids) = (Vec::new(), Vec::new());
        let alone = self.pairs.rarest(seq, &mut keys, &mut ids);
        ids.truncate(pair_prefix(m, need).saturating_sub(alone));
        let words = set[..word_prefix]
            .iter()
            .map(|&r| self.words.postings.get(r));
        let pairs = ids.iter().map(|&p| self.pairs.postings.get(p));
        words.chain(pairs).flatten().copied().collect()
    }

    /// The candidates of `s` not met from `s` before, each at least as long (a pair is
    /// verified once, from its shorter side), in lookup order.
    fn longer_candidates(&mut self, s: usize, need: usize) -> Vec<u32> {
        let m = self.tokens[s].len();
        let mut longer = Vec::new();
        for v in self.candidates(s, need) {
            let vi = v as usize;
            if vi == s || self.stamp[vi] == s as u32 {
                continue;
            }
            self.stamp[vi] = s as u32;
            if (self.tokens[vi].len(), vi) >= (m, s) {
                longer.push(v);
            }
        }
        longer
    }

    fn match_one(&mut self, s: usize) {
        let m = self.tokens[s].len();
        let need = needed(m, self.params.similarity);
        let own_pairs = self.contained.len();
        // A truncation of a quote already in its own cluster never moves (see
        // `attach_truncations`), so once one is seen its other truncation pairs are moot.
        let mut home = false;
        self.lcs.load(&self.tokens[s]);
        for v in self.longer_candidates(s, need) {
            let (vi, n) = (v as usize, self.tokens[v as usize].len());
            let n_need = needed(n, self.params.similarity);
            // Near-duplicates come in large families whose members meet pairwise: within a
            // cluster a pair can only change anything when it can be a truncation and the
            // truncation is not yet known to be at home.
            if (n_need == need || home) && self.uf.find(s as u32) == self.uf.find(v) {
                continue;
            }
            let Some(lcs) = self.verify(s, vi, need) else {
                continue;
            };
            if lcs >= n_need {
                self.uf.union(s as u32, v);
            } else if !home {
                if self.uf.find(s as u32) == self.uf.find(v) {
                    home = true;
                    self.contained.truncate(own_pairs);
                } else {
                    self.contained.push((s as u32, v, lcs as u32));
                }
            }
        }
    }

    /// Joins `s` with the longer versions that share a core with it: at least
    /// [`CORE_WORDS`] and [`CORE_SHARE`] of its words, in order, in one dense stretch of the
    /// longer (versions whose endings differ, or one with a clause the other omits).
    fn join_core(&mut self, s: usize) {
        let m = self.tokens[s].len();
        let need = CORE_WORDS.max(needed(m, CORE_SHARE));
        self.lcs.load(&self.tokens[s]);
        let mut roots = Vec::new();
        for v in self.longer_candidates(s, need) {
            if self.uf.find(s as u32) == self.uf.find(v) {
                continue;
            }
            if self.verify(s, v as usize, need).is_some() {
                roots.push(self.uf.find(v));
            }
        }
        roots.sort_unstable();
        roots.dedup();
        // A core two different quotes share is a stock phrase: it joins neither.
        if let [root] = roots[..] {
            self.uf.union(s as u32, root);
        }
    }

    /// The LCS of `s` and the longer `v`, if it reaches `need` within a dense stretch of `v`.
    fn verify(&mut self, s: usize, v: usize, need: usize) -> Option<usize> {
        let (set_s, set_v) = (&self.words.sets[s], &self.words.sets[v]);
        let m = self.tokens[s].len();
        let slack = m - set_s.len();
        if shared(set_s, set_v) + slack < need {
            return None;
        }
        let lcs = self.lcs.run(&self.tokens[v]);
        if lcs < need {
            return None;
        }
        // A truncation must sit in one stretch of the longer quote, not be picked word by
        // word from all over it. The stretch is at most the whole longer quote, so only a
        // long one needs the alignment.
        let dense = |span: usize| (lcs as f64) >= (self.params.similarity - 0.2) * span as f64;
        if !dense(self.tokens[v].len().min(LCS_CAP)) {
            let (_, first, last) = lcs_align(&self.tokens[s], &self.tokens[v], &mut self.dp);
            if !dense(last + 1 - first) {
                return None;
            }
        }
        Some(lcs)
    }
}

/// The length of the longest common subsequence of one quote with many others, 64 words of
/// the first at a time (Hyyrö's bit-parallel LCS): most verified pairs need only the length,
/// and families of near-duplicates make for many pairs.
#[derive(Default)]
struct BitLcs {
    blocks: usize,
    /// Per word id, its row in `masks`: 0, the empty row, for words the loaded quote lacks.
    slot: Vec<u32>,
    loaded: Vec<u32>,
    /// Row `r` (`blocks` words): where the loaded quote has the word of slot `r`; row 0 empty.
    masks: Vec<u64>,
    v: Vec<u64>,
}

impl BitLcs {
    fn load(&mut self, a: &[u32]) {
        for &w in &self.loaded {
            self.slot[w as usize] = 0;
        }
        self.loaded.clear();
        let a = &a[..a.len().min(LCS_CAP)];
        self.blocks = a.len().div_ceil(64).max(1);
        self.masks.clear();
        self.masks.resize(self.blocks, 0);
        for (i, &w) in a.iter().enumerate() {
            if self.slot.len() <= w as usize {
                self.slot.resize(w as usize + 1, 0);
            }
            if self.slot[w as usize] == 0 {
                self.loaded.push(w);
                self.slot[w as usize] = (self.masks.len() / self.blocks) as u32;
                self.masks.resize(self.masks.len() + self.blocks, 0);
            }
            let row = self.slot[w as usize] as usize * self.blocks;
            self.masks[row + i / 64] |= 1 << (i % 64);
        }
        self.v.resize(self.blocks, u64::MAX);
    }

    /// LCS length of the loaded quote and `b`, both cut at [`LCS_CAP`] words.
    fn run(&mut self, b: &[u32]) -> usize {
        let blocks = self.blocks;
        let v = &mut self.v[..blocks];
        // Bits past the quote's end stay set and so never count as matched.
        v.fill(u64::MAX);
        for &w in &b[..b.len().min(LCS_CAP)] {
            let row = self.slot.get(w as usize).map_or(0, |&r| r as usize) * blocks;
            let m = &self.masks[row..row + blocks];
            let mut carry = false;
            for (x, &mk) in v.iter_mut().zip(m) {
                let u = *x & mk;
                let (sum, c1) = x.overflowing_add(u);
                let (sum, c2) = sum.overflowing_add(u64::from(carry));
                carry = c1 || c2;
                *x = sum | (*x & !mk);
            }
        }
        v.iter().map(|x| x.count_zeros() as usize).sum()
    }
}

/// Longest common subsequence of `a` in `b`: its length and the first and last positions of
/// `b` it uses. Quotes longer than the cap are compared on their first words.
fn lcs_align(a: &[u32], b: &[u32], dp: &mut Vec<u16>) -> (usize, usize, usize) {
    let (a, b) = (&a[..a.len().min(LCS_CAP)], &b[..b.len().min(LCS_CAP)]);
    let (m, n) = (a.len(), b.len());
    let w = n + 1;
    dp.clear();
    dp.resize((m + 1) * w, 0);
    for i in 1..=m {
        for j in 1..=n {
            dp[i * w + j] = if a[i - 1] == b[j - 1] {
                dp[(i - 1) * w + j - 1] + 1
            } else {
                dp[(i - 1) * w + j].max(dp[i * w + j - 1])
            };
        }
    }
    let (mut i, mut j) = (m, n);
    let (mut first, mut last) = (0, 0);
    let mut found = false;
    while i > 0 && j > 0 {
        if a[i - 1] == b[j - 1] && dp[i * w + j] == dp[(i - 1) * w + j - 1] + 1 {
            if !found {
                last = j - 1;
                found = true;
            }
            first = j - 1;
            i -= 1;
            j -= 1;
        } else if dp[(i - 1) * w + j] >= dp[i * w + j - 1] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    (dp[m * w + n] as usize, first, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcs_finds_the_dense_stretch() {
        let mut dp = Vec::new();
        assert_eq!(lcs_align(&[2, 3, 4], &[9, 2, 3, 4, 9], &mut dp), (3, 1, 3));
        assert_eq!(lcs_align(&[1, 2], &[3, 4], &mut dp).0, 0);
        assert_eq!(needed(10, 0.8), 8);
        assert_eq!(needed(4, 0.8), 4);
        assert_eq!(shared(&[1, 3, 5, 7], &[3, 4, 5]), 2);
    }

    #[test]
    fn bit_parallel_lcs_agrees_with_the_table() {
        // A seeded linear congruential generator of numbers below `n`.
        let mut state = 7u64;
        let mut rng = |n: u32| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % u64::from(n)) as u32
        };
        let (mut dp, mut bits) = (Vec::new(), BitLcs::default());
        for round in 0..300 {
            let (la, lb, alphabet) = match round % 3 {
                0 => (1 + rng(40), 1 + rng(40), 6),
                1 => (60 + rng(100), 60 + rng(150), 20),
                _ => (590 + rng(30), 580 + rng(40), 50),
            };
            let a: Vec<u32> = (0..la).map(|_| rng(alphabet)).collect();
            let b: Vec<u32> = (0..lb).map(|_| rng(alphabet + 3)).collect();
            bits.load(&a);
            assert_eq!(bits.run(&b), lcs_align(&a, &b, &mut dp).0, "{a:?} {b:?}");
        }
    }
}
