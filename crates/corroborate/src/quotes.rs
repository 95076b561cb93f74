//! Quote groups: one group per utterance reported across documents.
//!
//! Quotes are first reduced to distinct normalized texts ("variants", via
//! [`model::normalize::quote_key`]), so a quote reprinted by a hundred outlets costs one
//! variant. Variants of at least `min_words` words are then matched by a prefix-filtered
//! similarity join: each variant looks up only its rarest words in an inverted index, and
//! candidate pairs are verified by the longest common word subsequence. Two variants are
//! *peers* (the same words up to small changes) when that subsequence covers `similarity` of
//! both, and the shorter is a *truncation* of the longer when it covers `similarity` of the
//! shorter within a dense stretch of the longer. Text clusters are finally split by speaker.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use crate::names::PersonName;
use crate::runsort::RunSorter;
use crate::spill::{Interner, PairFile};
use crate::unionfind::UnionFind;
use crate::varint;

/// The compact record kept for each speech quote (8 bytes; its document is found from
/// [`Speakers::doc`]); its id and text wait in the spill file, after the document's earlier
/// quotes.
#[derive(Debug, Clone, Copy)]
pub struct QuoteRec {
    pub variant: u32,
    /// Speaker node (see [`crate::names`]) or [`NO_SPEAKER`], with [`PARTIAL`] set for a
    /// partial quote.
    speaker: u32,
}

const PARTIAL: u32 = 1 << 31;
const NO_SPEAKER: u32 = PARTIAL - 1;

impl QuoteRec {
    pub fn new(variant: u32, speaker: Option<u32>, partial: bool) -> Self {
        let speaker = speaker.map_or(NO_SPEAKER, |s| {
            assert!(s < NO_SPEAKER, "too many speaker names");
            s
        });
        QuoteRec {
            variant,
            speaker: speaker | if partial { PARTIAL } else { 0 },
        }
    }

    pub fn speaker(&self) -> Option<u32> {
        let s = self.speaker & !PARTIAL;
        (s != NO_SPEAKER).then_some(s)
    }

    pub fn partial(&self) -> bool {
        self.speaker & PARTIAL != 0
    }

    /// The record as two numbers, for [`crate::spill::PairFile`].
    pub fn to_raw(self) -> (u32, u32) {
        (self.variant, self.speaker)
    }

    pub fn from_raw(variant: u32, speaker: u32) -> Self {
        QuoteRec { variant, speaker }
    }
}

/// The speaker cluster and document of a quote, looked up rather than stored per quote.
#[derive(Clone, Copy)]
pub struct Speakers<'a> {
    pub node_cluster: &'a [u32],
    /// Each document's first quote.
    pub docs: &'a crate::docrecs::DocRecs,
}

impl Speakers<'_> {
    /// The document of quote `q`.
    pub fn doc(&self, q: u32) -> u32 {
        self.docs.quote_doc(q)
    }

    fn get(&self, rec: &QuoteRec) -> Option<u32> {
        rec.speaker().map(|n| self.node_cluster[n as usize])
    }
}

/// The hash bits [`Variants`] finds a key by.
fn key_hash(key: &str) -> u32 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish() as u32
}

/// Hash bits → variant, for [`Variants`]: a sorted array of 8 bytes an entry plus a hash
/// map of the entries added since the array was last merged into. A hash map alone takes
/// 9 bytes a bucket at a load of 7/8 to 7/16 (10-21 bytes an entry), and both its old and
/// new tables are alive while it doubles; the lookup is held for the whole of `observe`.
#[derive(Debug, Default)]
struct HashIndex {
    /// Sorted by hash; hashes are unique.
    sorted: Vec<(u32, u32)>,
    recent: HashMap<u32, u32>,
}

impl HashIndex {
    fn get(&self, hash: u32) -> Option<u32> {
        if let Some(&v) = self.recent.get(&hash) {
            return Some(v);
        }
        self.sorted
            .binary_search_by_key(&hash, |e| e.0)
            .ok()
            .map(|i| self.sorted[i].1)
    }

    /// Adds a hash [`HashIndex::get`] does not find.
    fn insert(&mut self, hash: u32, v: u32) {
        self.recent.insert(hash, v);
        // An eighth of the array: merging costs about 8 moves an entry in all, and the map
        // stays small.
        if self.recent.len() >= (self.sorted.len() / 8).max(1 << 12) {
            self.merge();
        }
    }

    /// Moves the recent entries into the sorted array, merging from the back in place.
    fn merge(&mut self) {
        let mut recent: Vec<(u32, u32)> = self.recent.drain().collect();
        recent.sort_unstable_by_key(|e| e.0);
        let old = self.sorted.len();
        self.sorted.reserve_exact(recent.len());
        self.sorted.resize(old + recent.len(), (0, 0));
        let (mut i, mut j, mut at) = (old, recent.len(), self.sorted.len());
        while j > 0 {
            at -= 1;
            if i > 0 && self.sorted[i - 1].0 > recent[j - 1].0 {
                i -= 1;
                self.sorted[at] = self.sorted[i];
            } else {
                j -= 1;
                self.sorted[at] = recent[j];
            }
        }
    }

    fn bytes(&self) -> usize {
        crate::memory::vec(&self.sorted) + crate::memory::map(&self.recent)
    }
}

/// Distinct normalized quote texts as word-id sequences. Keys are found by their hash and
/// checked against the words they stand for, so the key texts themselves are not kept.
#[derive(Debug, Default)]
pub struct Variants {
    /// By 32 bits of each key's hash, not 64 (8 bytes an entry with the variant, 1.4 MB at
    /// 1 GB of corpus): a key that shares them with an earlier one is checked against its
    /// words anyway.
    by_hash: HashIndex,
    /// Keys whose hash bits an earlier, different key already has.
    collided: HashMap<Box<str>, u32>,
    words: Interner,
    /// Word ids of each variant, in one flat array.
    pub tokens: Tokens,
}

impl Variants {
    pub fn intern(&mut self, key: &str) -> u32 {
        let hash = key_hash(key);
        match self.by_hash.get(hash) {
            Some(v) if self.spells(v, key) => v,
            Some(_) => match self.collided.get(key) {
                Some(&v) => v,
                None => {
                    let v = self.add(key);
                    self.collided.insert(key.into(), v);
                    v
                }
            },
            None => {
                let v = self.add(key);
                self.by_hash.insert(hash, v);
                v
            }
        }
    }

    /// Whether variant `v` was made from exactly `key`.
    fn spells(&mut self, v: u32, key: &str) -> bool {
        let coded = match self.tokens.observed(v as usize) {
            Ok(coded) => coded,
            Err(e) => {
                self.tokens.error.get_or_insert(e);
                return false;
            }
        };
        let mut rest = key;
        for (i, w) in varint::iter(coded).enumerate() {
            let w = w as u32;
            if i > 0 {
                let Some(r) = rest.strip_prefix(' ') else {
                    return false;
                };
                rest = r;
            }
            let Some(r) = rest.strip_prefix(self.words.get(w)) else {
                return false;
            };
            rest = r;
        }
        rest.is_empty()
    }

    fn add(&mut self, key: &str) -> u32 {
        for w in key.split(' ').filter(|w| !w.is_empty()) {
            let id = self.words.intern(w);
            self.tokens.push_word(id);
        }
        self.tokens.end_variant();
        (self.tokens.len() - 1) as u32
    }

    /// `(lookups, words, tokens)` bytes held, for [`crate::memory`].
    pub fn bytes(&self) -> (usize, usize, usize) {
        use crate::memory::{chunk, map};
        let collided: usize = self.collided.keys().map(|k| chunk(k.len())).sum();
        (
            self.by_hash.bytes() + map(&self.collided) + collided,
            self.words.bytes(),
            self.tokens.bytes(),
        )
    }

    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Drops the lookups once every document is observed.
    pub fn freeze(&mut self) {
        self.by_hash = HashIndex::default();
        self.collided = HashMap::new();
        self.words.freeze();
    }

    /// Brings the word ids back from disk, for matching.
    pub fn load(&mut self) -> Result<(), String> {
        self.tokens.load()
    }
}

/// Grouping thresholds.
#[derive(Debug, Clone)]
pub struct Params {
    pub similarity: f64,
    pub min_words: usize,
    pub attribution_min_words: usize,
    pub max_block: usize,
}

/// What grouping finds.
struct Found {
    groups: Groups,
    misattributions: Misattributions,
}

/// The groups. Members (quote index and record, 12 bytes each) go to a temporary file as each
/// group is formed, so that neither the groups nor, once grouping is done, the quote records
/// are held while the quote tables are written; a group's head stays in memory (20 bytes) to
/// put groups in order of their first member.
pub struct Groups {
    writer: Option<std::io::BufWriter<std::fs::File>>,
    file: Option<std::fs::File>,
    written: u64,
    error: Option<String>,
    heads: Vec<GroupHead>,
}

#[derive(Debug, Clone, Copy)]
struct GroupHead {
    first: u32,
    start: u32,
    len: u32,
    /// Speaker cluster, or `u32::MAX`.
    speaker: u32,
    rep: u32,
}

/// Bytes of a member in the groups' file: quote index, variant, raw speaker.
const MEMBER: usize = 12;

/// One group, as [`Groups::read`] shows it.
pub struct GroupRef<'a> {
    /// Quote indices in input order, with their records.
    pub members: &'a [(u32, QuoteRec)],
    /// Speaker cluster.
    pub speaker: Option<u32>,
    /// The member whose wording represents the group (the fullest).
    pub rep: u32,
}

impl Groups {
    fn new() -> Groups {
        Groups {
            writer: None,
            file: None,
            written: 0,
            error: None,
            heads: Vec::new(),
        }
    }

    fn push(&mut self, g: Group) {
        use std::io::Write;
        self.heads.push(GroupHead {
            first: g.members[0].0,
            start: self.written as u32,
            len: g.members.len() as u32,
            speaker: g.speaker.unwrap_or(u32::MAX),
            rep: g.rep,
        });
        self.written += g.members.len() as u64;
        if self.error.is_some() {
            return;
        }
        if self.writer.is_none() {
            match tempfile::tempfile() {
                Ok(f) => self.writer = Some(std::io::BufWriter::with_capacity(1 << 16, f)),
                Err(e) => {
                    self.error = Some(e.to_string());
                    return;
                }
            }
        }
        let Some(w) = self.writer.as_mut() else {
            return;
        };
        for &(q, rec) in &g.members {
            let (variant, speaker) = rec.to_raw();
            let mut record = [0u8; MEMBER];
            record[..4].copy_from_slice(&q.to_le_bytes());
            record[4..8].copy_from_slice(&variant.to_le_bytes());
            record[8..].copy_from_slice(&speaker.to_le_bytes());
            if let Err(e) = w.write_all(&record) {
                self.error = Some(e.to_string());
                return;
            }
        }
    }

    /// Puts the groups in order of their first member and makes the file readable.
    fn close(&mut self) -> Result<(), String> {
        assert!(self.written <= u64::from(u32::MAX), "too many quotes");
        self.heads.sort_unstable_by_key(|h| h.first);
        readable(&mut self.writer, &mut self.file, &self.error)
    }

    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// Group `i`, its members read into `buf`.
    pub fn read<'a>(
        &self,
        i: usize,
        buf: &'a mut Vec<(u32, QuoteRec)>,
    ) -> Result<GroupRef<'a>, String> {
        let h = self.heads[i];
        let file = self
            .file
            .as_ref()
            .ok_or("temporary file: nothing was written")?;
        let mut bytes = vec![0u8; h.len as usize * MEMBER];
        crate::spill::read_exact_at(file, &mut bytes, u64::from(h.start) * MEMBER as u64)?;
        let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        buf.clear();
        buf.extend(bytes.chunks_exact(MEMBER).map(|m| {
            (
                word(&m[..4]),
                QuoteRec::from_raw(word(&m[4..8]), word(&m[8..])),
            )
        }));
        Ok(GroupRef {
            members: buf,
            speaker: (h.speaker != u32::MAX).then_some(h.speaker),
            rep: h.rep,
        })
    }

    fn bytes(&self) -> usize {
        crate::memory::vec(&self.heads) + self.writer.as_ref().map_or(0, |w| w.capacity())
    }
}

/// One utterance of one speaker across documents, while it is being formed.
#[derive(Debug, Clone)]
struct Group {
    /// Quote indices in input order, with their records.
    pub members: Vec<Member>,
    /// Speaker cluster.
    pub speaker: Option<u32>,
    /// The member whose wording represents the group (the fullest).
    pub rep: u32,
}

/// A quote's index and record.
type Member = (u32, QuoteRec);

/// The same words attributed to different speakers by different documents. The members
/// (quote and speaker cluster, 8 bytes each) go to a temporary file as each is found: one
/// statement read out by several leaders can be reported by a good part of the corpus, and
/// the rows are written only at the very end.
#[derive(Default)]
pub struct Misattributions {
    writer: Option<std::io::BufWriter<std::fs::File>>,
    file: Option<std::fs::File>,
    written: u32,
    error: Option<String>,
    /// `[first member's quote, representative quote, start, len]`, members counted.
    heads: Vec<[u32; 4]>,
}

impl Misattributions {
    /// Members `(quote, speaker cluster)` in input order.
    fn push(&mut self, rep: u32, members: &[(u32, u32)]) {
        use std::io::Write;
        let len = members.len() as u32;
        self.heads.push([members[0].0, rep, self.written, len]);
        self.written += len;
        if self.error.is_some() {
            return;
        }
        let w = match &mut self.writer {
            Some(w) => w,
            None => match tempfile::tempfile() {
                Ok(f) => self
                    .writer
                    .insert(std::io::BufWriter::with_capacity(1 << 16, f)),
                Err(e) => {
                    self.error = Some(e.to_string());
                    return;
                }
            },
        };
        for &(q, s) in members {
            let mut record = [0u8; 8];
            record[..4].copy_from_slice(&q.to_le_bytes());
            record[4..].copy_from_slice(&s.to_le_bytes());
            if let Err(e) = w.write_all(&record) {
                self.error = Some(e.to_string());
                return;
            }
        }
    }

    /// Puts them in order of their first member and makes the file readable.
    fn close(&mut self) -> Result<(), String> {
        self.heads.sort_unstable_by_key(|h| h[0]);
        readable(&mut self.writer, &mut self.file, &self.error)
    }

    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// Misattribution `i`: its representative quote; its members into `out`.
    pub fn read(&self, i: usize, out: &mut Vec<(u32, u32)>) -> Result<u32, String> {
        let [_, rep, start, len] = self.heads[i];
        let file = self
            .file
            .as_ref()
            .ok_or("temporary file: nothing was written")?;
        let mut bytes = vec![0u8; len as usize * 8];
        crate::spill::read_exact_at(file, &mut bytes, u64::from(start) * 8)?;
        let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        out.clear();
        out.extend(
            bytes
                .chunks_exact(8)
                .map(|m| (word(&m[..4]), word(&m[4..]))),
        );
        Ok(rep)
    }

    fn bytes(&self) -> usize {
        crate::memory::vec(&self.heads) + self.writer.as_ref().map_or(0, |w| w.capacity())
    }
}

/// How a member's wording relates to its group's representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wording {
    Exact,
    /// Same words; case, punctuation or quote marks differ.
    Normalized,
    /// A contiguous part of the representative's words.
    Truncated,
    /// Words changed, added or dropped.
    Changed,
}

impl Wording {
    pub fn as_str(self) -> &'static str {
        match self {
            Wording::Exact => "exact",
            Wording::Normalized => "normalized",
            Wording::Truncated => "truncated",
            Wording::Changed => "changed",
        }
    }
}

/// Trailing punctuation a quotation carries from its sentence (`guarantees,`).
pub fn trim_text(text: &str) -> &str {
    text.trim().trim_end_matches([',', ';', ':']).trim_end()
}

/// How `member` (with text `member_text`) words what `rep` (with `rep_text`) says.
/// `rep_words` keeps the representative's words once read, for the group's other members.
pub fn wording(
    tokens: &Tokens,
    (r, rep_text): (&QuoteRec, &str),
    (m, member_text): (&QuoteRec, &str),
    rep_words: &mut Option<Vec<u32>>,
) -> Result<Wording, String> {
    Ok(if trim_text(rep_text) == trim_text(member_text) {
        Wording::Exact
    } else if r.variant == m.variant {
        Wording::Normalized
    } else {
        let rt = match rep_words {
            Some(words) => words,
            None => {
                let mut words = Vec::new();
                tokens.read_words(r.variant as usize, &mut words)?;
                rep_words.insert(words)
            }
        };
        let mut mt = Vec::new();
        tokens.read_words(m.variant as usize, &mut mt)?;
        if !mt.is_empty() && mt.len() < rt.len() && rt.windows(mt.len()).any(|w| w == mt) {
            Wording::Truncated
        } else {
            Wording::Changed
        }
    })
}

/// What matching the variants' texts finds, before quotes and speakers are looked at.
pub struct TextMatch {
    /// Peers joined.
    uf: UnionFind,
    /// Truncation pairs, for [`attach_truncations`].
    contained: Vec<(u32, u32, u32)>,
}

/// Matches the long variants' texts: needs only the variants, so that the quote records can
/// wait on disk meanwhile.
#[inline(never)]
pub fn match_text(tokens: &Tokens, n_words: usize, params: &Params) -> TextMatch {
    let long: Vec<bool> = (0..tokens.len())
        .map(|v| tokens.words(v) >= params.min_words)
        .collect();
    // Roots only tell text clusters apart (clusters are numbered by their first variant).
    let mut uf = UnionFind::by_id(tokens.len());
    let contained = match_variants(tokens, &long, n_words, params, &mut uf);
    TextMatch { uf, contained }
}

/// Groups the quotes, given their variants' [`match_text`]. `quotes` holds each quote's
/// record (variant, raw speaker) in input order; `speakers` finds a record's speaker cluster.
///
/// The unit of grouping is a short variant (its quotes group by speaker) or a text cluster of
/// long variants (split by speaker). The records are sorted by unit through a temporary file
/// and come back one unit at a time, so that only the unit at hand's quotes are held.
pub fn group(
    quotes: &mut PairFile,
    speakers: Speakers<'_>,
    speaker_names: &[Option<PersonName>],
    tokens: &Tokens,
    matched: TextMatch,
    params: &Params,
) -> Result<(Groups, Misattributions), String> {
    let TextMatch { mut uf, contained } = matched;
    let long: Vec<bool> = (0..tokens.len())
        .map(|v| tokens.words(v) >= params.min_words)
        .collect();
    attach_truncations(contained, tokens, quotes, speakers, &mut uf)?;

    // Text clusters of long variants first, then each short variant.
    let mut unit_of = vec![u32::MAX; tokens.len()];
    let mut cluster_of_root: HashMap<u32, u32> = HashMap::new();
    for v in 0..tokens.len() as u32 {
        if long[v as usize] {
            let root = uf.find(v);
            let next = cluster_of_root.len() as u32;
            unit_of[v as usize] = *cluster_of_root.entry(root).or_insert(next);
        }
    }
    let n_clusters = cluster_of_root.len() as u32;
    drop((cluster_of_root, uf));
    let mut next = n_clusters;
    for (v, unit) in unit_of.iter_mut().enumerate() {
        if !long[v] {
            *unit = next;
            next += 1;
        }
    }
    drop(long);
    let mut sorter = RunSorter::default();
    let mut q = 0u32;
    quotes.read(|v, speaker| {
        sorter.push([unit_of[v as usize], q, v, speaker]);
        q += 1;
    })?;
    let sorter_bytes = sorter.bytes();
    drop(unit_of);

    let mut found = Found {
        // Every quote is a member of exactly one group.
        groups: Groups::new(),
        misattributions: Misattributions::default(),
    };
    let mut unit = u32::MAX;
    let mut members: Vec<Member> = Vec::new();
    let close = |unit: u32, members: Vec<Member>, found: &mut Found| {
        if unit < n_clusters {
            split_by_speaker(members, speakers, speaker_names, tokens, params, found);
        } else {
            group_short(members, speakers, speaker_names, tokens, &mut found.groups);
        }
    };
    sorter.for_each(|[u, q, v, speaker]| {
        if u != unit && !members.is_empty() {
            close(unit, std::mem::take(&mut members), &mut found);
        }
        unit = u;
        members.push((q, QuoteRec::from_raw(v, speaker)));
    })?;
    if !members.is_empty() {
        close(unit, members, &mut found);
    }
    let Found {
        mut groups,
        mut misattributions,
    } = found;
    groups.close()?;
    if crate::memory::enabled() {
        crate::memory::report(
            "finish, grouped (besides the observed records)",
            &[
                ("unit of variant", 4 * tokens.len()),
                ("sort buffer", sorter_bytes),
                ("groups", groups.bytes()),
                ("misattributions", misattributions.bytes()),
            ],
        );
    }
    misattributions.close()?;
    Ok((groups, misattributions))
}

/// Short quotes: only the same words of the same speaker.
fn group_short(
    members: Vec<Member>,
    speakers: Speakers<'_>,
    speaker_names: &[Option<PersonName>],
    tokens: &Tokens,
    groups: &mut Groups,
) {
    let mut by_speaker: BTreeMap<u32, Vec<Member>> = BTreeMap::new();
    for m in members {
        match speakers.get(&m.1) {
            Some(s) => by_speaker.entry(s).or_default().push(m),
            None => groups.push(new_group(vec![m], None, tokens)),
        }
    }
    merge_surname_only(&mut by_speaker, speaker_names);
    for (s, members) in by_speaker {
        groups.push(new_group(members, Some(s), tokens));
    }
}

fn new_group(members: Vec<Member>, speaker: Option<u32>, tokens: &Tokens) -> Group {
    let rep = rep_of(members.iter(), tokens);
    Group {
        members,
        speaker,
        rep,
    }
}

/// The member whose wording represents `members`: the fullest wording, then the most
/// reprinted, then the earliest (so the order `members` come in does not matter).
fn rep_of<'a>(members: impl Iterator<Item = &'a Member> + Clone, tokens: &Tokens) -> u32 {
    let mut same: HashMap<u32, usize> = HashMap::new();
    for (_, rec) in members.clone() {
        *same.entry(rec.variant).or_default() += 1;
    }
    members
        .min_by_key(|(q, rec)| {
            let v = rec.variant;
            (
                std::cmp::Reverse(tokens.words(v as usize)),
                std::cmp::Reverse(same[&v]),
                *q,
            )
        })
        .map_or(0, |m| m.0)
}

fn split_by_speaker(
    members: Vec<Member>,
    speakers: Speakers<'_>,
    speaker_names: &[Option<PersonName>],
    tokens: &Tokens,
    params: &Params,
    found: &mut Found,
) {
    let Found {
        groups,
        misattributions,
    } = found;
    let mut named: BTreeMap<u32, Vec<Member>> = BTreeMap::new();
    let mut unnamed = Vec::new();
    // The members move into their speaker's list rather than being copied: a cluster can
    // hold a hundred thousand quotes.
    for m in members {
        match speakers.get(&m.1) {
            Some(s) => named.entry(s).or_default().push(m),
            None => unnamed.push(m),
        }
    }
    merge_surname_only(&mut named, speaker_names);
    if named.len() <= 1 {
        let (speaker, mut all) = named
            .pop_first()
            .map_or((None, Vec::new()), |(s, list)| (Some(s), list));
        all.extend(unnamed);
        all.sort_unstable_by_key(|m| m.0);
        groups.push(new_group(all, speaker, tokens));
        return;
    }
    // An unattributed quote joins the speaker who said the same words, else the speaker
    // reported most often.
    for m in unnamed {
        let v = m.1.variant;
        let best = named
            .iter()
            .max_by_key(|(s, list)| {
                let same = list.iter().filter(|o| o.1.variant == v).count();
                (
                    same,
                    list.len(),
                    std::cmp::Reverse(list[0].0),
                    std::cmp::Reverse(**s),
                )
            })
            .map(|(s, _)| *s);
        if let Some(s) = best {
            let list = named.entry(s).or_default();
            list.push(m);
            list.sort_unstable_by_key(|m| m.0);
        }
    }
    // Speakers whose wording is long enough that sharing it is no coincidence, and whose
    // documents never name both.
    let long_enough = |list: &[Member]| {
        list.iter()
            .any(|m| tokens.words(m.1.variant as usize) >= params.attribution_min_words)
    };
    let docs: BTreeMap<u32, BTreeSet<u32>> = named
        .iter()
        .map(|(s, list)| (*s, list.iter().map(|m| speakers.doc(m.0)).collect()))
        .collect();
    let conflicting: BTreeSet<u32> = named
        .iter()
        .filter(|(s, list)| {
            long_enough(list)
                && named.iter().any(|(t, other)| {
                    t != *s && long_enough(other) && docs[*s].is_disjoint(&docs[t])
                })
        })
        .map(|(s, _)| *s)
        .collect();
    if conflicting.len() >= 2 {
        let lists = named
            .iter()
            .filter(|(s, _)| conflicting.contains(s))
            .map(|(_, l)| l);
        let rep = rep_of(lists.clone().flatten(), tokens);
        let mut list: Vec<(u32, u32)> = named
            .iter()
            .filter(|(s, _)| conflicting.contains(s))
            .flat_map(|(s, l)| l.iter().map(move |&(q, _)| (q, *s)))
            .collect();
        list.sort_unstable();
        misattributions.push(rep, &list);
    }
    for (s, list) in named {
        groups.push(new_group(list, Some(s), tokens));
    }
}

/// A speaker the corpus knows only by a surname it could not pin on one person (`Tami`, when
/// two Tamis are quoted) is, for these words, the one speaker with that surname and a given
/// name who said them, if there is exactly one.
fn merge_surname_only(
    named: &mut BTreeMap<u32, Vec<Member>>,
    speaker_names: &[Option<PersonName>],
) {
    let name = |s: u32| speaker_names.get(s as usize).and_then(Option::as_ref);
    let ids: Vec<u32> = named.keys().copied().collect();
    for s in ids {
        let Some(PersonName {
            surname,
            given: None,
        }) = name(s)
        else {
            continue;
        };
        let full: Vec<u32> = named
            .keys()
            .copied()
            .filter(|&t| name(t).is_some_and(|p| p.given.is_some() && &p.surname == surname))
            .collect();
        if let [target] = full[..] {
            if let Some(list) = named.remove(&s) {
                let into = named.entry(target).or_default();
                into.extend(list);
                into.sort_unstable_by_key(|m| m.0);
            }
        }
    }
}

/// Joins peers among long variants in `uf`; returns the truncation pairs `(shorter, longer,
/// LCS)`, for [`attach_truncations`].
fn match_variants(
    tokens: &Tokens,
    long: &[bool],
    n_words: usize,
    params: &Params,
    uf: &mut UnionFind,
) -> Vec<(u32, u32, u32)> {
    // Word pairs, numbered, each variant's distinct pairs sorted rarest first. Only the
    // rarest pairs of a variant are ever looked up; they are found again when the variant's
    // turn comes rather than kept for every variant meanwhile, as the numbering (a few bytes
    // per distinct pair) is smaller than the prefixes (four per looked-up pair per variant).
    let mut pair_ids: HashMap<u64, u32> = HashMap::new();
    let mut pair_df: Vec<u32> = Vec::new();
    // A variant's distinct pairs, in the first pass by key, in the second by id.
    let mut scratch: Vec<u64> = Vec::new();
    let mut ids: Vec<u32> = Vec::new();
    let distinct_pairs = |seq: &[u32], scratch: &mut Vec<u64>| {
        scratch.clear();
        scratch.extend(
            seq.windows(2)
                .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])),
        );
    };
    for (v, seq) in tokens.iter().enumerate() {
        if !long[v] {
            continue;
        }
        distinct_pairs(&seq, &mut scratch);
        // Numbered in order of first appearance.
        ids.clear();
        for &key in &scratch {
            let next = pair_ids.len() as u32;
            let id = *pair_ids.entry(key).or_insert(next);
            if id == next {
                pair_df.push(0);
            }
            ids.push(id);
        }
        ids.sort_unstable();
        ids.dedup();
        for &p in &ids {
            pair_df[p as usize] += 1;
        }
    }
    pair_df.shrink_to_fit();
    // A long variant's distinct pairs shared with another variant, by id, rarest first, and
    // how many pairs it has alone: those sort before the rest, and their lists would hold
    // just the variant, so they need neither a number nor a list.
    let rarest_pairs =
        |pair_ids: &HashMap<u64, u32>, seq: &[u32], scratch: &mut Vec<u64>, ids: &mut Vec<u32>| {
            distinct_pairs(seq, scratch);
            scratch.sort_unstable();
            scratch.dedup();
            ids.clear();
            ids.extend(scratch.iter().filter_map(|key| pair_ids.get(key).copied()));
            ids.sort_unstable_by_key(|&p| (pair_df[p as usize], p));
            scratch.len() - ids.len()
        };
    if crate::memory::enabled() {
        use crate::memory::{map, vec};
        crate::memory::report(
            "finish, word pairs numbered (besides the observed records)",
            &[
                ("long", vec(&long.to_vec())),
                ("pair ids", map(&pair_ids)),
                ("pair df", vec(&pair_df)),
            ],
        );
    }
    pair_ids.retain(|_, p| pair_df[*p as usize] > 1);
    pair_ids.shrink_to_fit();
    // Second pass: each variant's shared pairs indexed.
    let indexed = |p: u32| (2..=params.max_block).contains(&(pair_df[p as usize] as usize));
    let mut pair_postings = Postings::default();
    for (p, &df) in pair_df.iter().enumerate() {
        let n = if indexed(p as u32) { df } else { 0 };
        pair_postings.offsets.push(pair_postings.offsets[p] + n);
    }
    pair_postings.items = vec![0; pair_postings.offsets[pair_df.len()] as usize];
    let mut fill = pair_postings.offsets.clone();
    for (v, seq) in tokens.iter().enumerate() {
        if long[v] {
            rarest_pairs(&pair_ids, &seq, &mut scratch, &mut ids);
            for &p in ids.iter().filter(|&&p| indexed(p)) {
                pair_postings.items[fill[p as usize] as usize] = v as u32;
                fill[p as usize] += 1;
            }
        }
    }
    drop(fill);

    // Document frequency of each word among long variants; words are then renumbered by
    // rarity so that each variant's distinct words, sorted, come rarest first.
    let mut df = vec![0u32; n_words];
    let mut set = Vec::new();
    for (v, seq) in tokens.iter().enumerate() {
        if long[v] {
            set.clear();
            set.extend_from_slice(&seq);
            set.sort_unstable();
            set.dedup();
            for &w in &set {
                df[w as usize] += 1;
            }
        }
    }
    let mut by_rarity: Vec<u32> = (0..n_words as u32).collect();
    by_rarity.sort_unstable_by_key(|&w| (df[w as usize], w));
    let mut rank = vec![0u32; n_words];
    for (r, &w) in by_rarity.iter().enumerate() {
        rank[w as usize] = r as u32;
    }
    let df_of_rank: Vec<u32> = by_rarity.iter().map(|&w| df[w as usize]).collect();
    drop((df, by_rarity));
    let sets = Sets::build(tokens.len(), |v, set| {
        set.clear();
        if long[v] {
            set.extend(tokens.iter_words(v).map(|w| rank[w as usize]));
            set.sort_unstable();
            set.dedup();
        }
    });
    drop(rank);
    let unigram_postings = Postings::build_from(n_words, || {
        (0..tokens.len() as u32)
            .flat_map(|v| {
                let mut set = Vec::new();
                sets.decode(v, &mut set);
                set.into_iter().map(move |r| (r, v))
            })
            // A word of one variant would list just the variant that looks it up.
            .filter(|&(r, _)| {
                (2..=RARE_WORD_QUOTES.min(params.max_block))
                    .contains(&(df_of_rank[r as usize] as usize))
            })
    });
    drop(df_of_rank);

    let mut stamp = vec![u32::MAX; tokens.len()];
    if crate::memory::enabled() {
        use crate::memory::vec;
        crate::memory::report(
            "finish, candidates indexed (besides the observed records)",
            &[
                ("union-find", 4 * tokens.len()),
                ("long", vec(&long.to_vec())),
                ("word sets", sets.bytes()),
                ("word postings", unigram_postings.bytes()),
                ("pair ids", crate::memory::map(&pair_ids)),
                ("pair df", vec(&pair_df)),
                ("pair postings", pair_postings.bytes()),
                ("stamp", vec(&stamp)),
            ],
        );
    }
    let mut dp = Vec::new();
    let mut set_s = Vec::new();
    // Word counts, looked up for every candidate.
    let lens: Vec<u32> = (0..tokens.len()).map(|v| tokens.words(v) as u32).collect();
    let (mut seq_s, mut seq_v) = (Vec::new(), Vec::new());
    let mut lcs_len = BitLcs::default();
    let mut contained: Vec<(u32, u32, u32)> = Vec::new();
    for s in (0..tokens.len()).filter(|&s| long[s]) {
        tokens.decode(s, &mut seq_s);
        let seq_s = &seq_s[..];
        sets.decode(s as u32, &mut set_s);
        let set_s = &set_s[..];
        let m = seq_s.len();
        let need = needed(m, params.similarity);
        // Candidates: quotes sharing one of the rarest words that any match must share (when
        // those words are rare enough to be worth looking up), or one of the rarest word
        // pairs that a match with that many changed words must still share.
        let word_prefix = (m - need + 1).min(set_s.len());
        let alone = rarest_pairs(&pair_ids, seq_s, &mut scratch, &mut ids);
        ids.truncate(pair_prefix(m, params.similarity).saturating_sub(alone));
        let lists = set_s[..word_prefix]
            .iter()
            .map(|&r| unigram_postings.get(r))
            .chain(ids.iter().map(|&p| pair_postings.get(p)));
        let own_pairs = contained.len();
        // A truncation of a quote already in its own cluster never moves (see
        // `attach_truncations`), so once one is seen its other truncation pairs are moot.
        let mut home = false;
        lcs_len.load(seq_s);
        for &v in lists.flatten() {
            let vi = v as usize;
            if vi == s || stamp[vi] == s as u32 {
                continue;
            }
            stamp[vi] = s as u32;
            let n = lens[vi] as usize;
            // Each pair is verified once, from its shorter side.
            if (n, vi) < (m, s) {
                continue;
            }
            let n_need = needed(n, params.similarity);
            // Near-duplicates come in large families (one remark reprinted with small changes)
            // whose members meet pairwise: within a cluster a pair can only change anything
            // when it can be a truncation and the truncation is not yet known to be at home.
            if (n_need == need || home) && uf.find(s as u32) == uf.find(v) {
                continue;
            }
            let slack = m - set_s.len();
            if sets.merge_count(set_s, v, need.saturating_sub(slack)) + slack < need {
                continue;
            }
            tokens.decode(vi, &mut seq_v);
            let lcs = lcs_len.run(&seq_v);
            if lcs < need {
                continue;
            }
            // A truncation must sit in one stretch of the longer quote, not be picked
            // word by word from all over it. The stretch is at most the whole longer quote,
            // so only a long one needs the alignment.
            let dense = |span: usize| (lcs as f64) >= (params.similarity - 0.2) * span as f64;
            if !dense(n.min(LCS_CAP)) {
                let (_, first, last) = lcs_align(seq_s, &seq_v, &mut dp);
                if !dense(last + 1 - first) {
                    continue;
                }
            }
            if lcs >= n_need {
                uf.union(s as u32, v);
            } else if !home {
                if uf.find(s as u32) == uf.find(v) {
                    home = true;
                    contained.truncate(own_pairs);
                } else {
                    contained.push((s as u32, v, lcs as u32));
                }
            }
        }
    }
    if crate::memory::enabled() {
        crate::memory::report(
            "finish, variants matched",
            &[("truncations", crate::memory::vec(&contained))],
        );
    }
    drop((
        stamp,
        dp,
        lcs_len,
        unigram_postings,
        pair_postings,
        sets,
        pair_ids,
        pair_df,
        scratch,
        ids,
    ));
    contained
}

/// Each variant's distinct words (as rarity ranks), ascending, as varint-coded gaps: the
/// gaps are small, so a word costs a byte or two rather than four. A non-empty set starts
/// with its word count, also a varint (a byte, where a separate array of counts took four
/// bytes a variant); an empty one takes no bytes.
struct Sets {
    bytes: Vec<u8>,
    /// Where each set ends, after a leading 0.
    offsets: Vec<u32>,
}

impl Sets {
    /// The sets `fill(v, set)` leaves in `set`, one per variant, each ascending.
    fn build(n: usize, fill: impl Fn(usize, &mut Vec<u32>)) -> Sets {
        let mut set = Vec::new();
        // Sized first, so the one large buffer is allocated once.
        let mut total = 0;
        for v in 0..n {
            fill(v, &mut set);
            total += Sets::encode(&set, None);
        }
        let mut sets = Sets {
            bytes: Vec::with_capacity(total),
            offsets: Vec::with_capacity(n + 1),
        };
        sets.offsets.push(0);
        for v in 0..n {
            fill(v, &mut set);
            Sets::encode(&set, Some(&mut sets.bytes));
            sets.offsets.push(sets.bytes.len() as u32);
        }
        sets
    }

    /// Appends the coded `set` to `out`, if given; returns its length in bytes.
    fn encode(set: &[u32], mut out: Option<&mut Vec<u8>>) -> usize {
        if set.is_empty() {
            return 0;
        }
        let (mut prev, mut len) = (0u32, varint::len(set.len() as u64));
        if let Some(out) = out.as_deref_mut() {
            varint::put(out, set.len() as u64);
        }
        for &x in set {
            let gap = u64::from(x - prev);
            prev = x;
            len += varint::len(gap);
            if let Some(out) = out.as_deref_mut() {
                varint::put(out, gap);
            }
        }
        len
    }

    fn decode(&self, v: u32, out: &mut Vec<u32>) {
        out.clear();
        let bytes =
            &self.bytes[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize];
        let mut x = 0u32;
        out.extend(varint::iter(bytes).skip(1).map(|gap| {
            x += gap as u32;
            x
        }));
    }

    /// Number of values `a` (ascending) and set `v` share, or less than `want` as soon as
    /// `want` is out of reach: set `v` is decoded only as far as the count needs.
    fn merge_count(&self, a: &[u32], v: u32, want: usize) -> usize {
        let (start, end) = (self.offsets[v as usize], self.offsets[v as usize + 1]);
        if start == end {
            return 0;
        }
        let bytes = &self.bytes[start as usize..];
        let (mut at, mut x) = (0, 0u32);
        let b_len = varint::get(bytes, &mut at) as usize;
        let mut next = || {
            x += varint::get(bytes, &mut at) as u32;
            x
        };
        if b_len == 0 {
            return 0;
        }
        let mut bj = next();
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b_len {
            if n + (a.len() - i).min(b_len - j) < want {
                return n;
            }
            match a[i].cmp(&bj) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater | std::cmp::Ordering::Equal => {
                    if a[i] == bj {
                        n += 1;
                        i += 1;
                    }
                    j += 1;
                    if j < b_len {
                        bj = next();
                    }
                }
            }
        }
        n
    }

    fn bytes(&self) -> usize {
        crate::memory::vec(&self.bytes) + crate::memory::vec(&self.offsets)
    }
}

/// Words in at most this many quotes find candidates on their own; commoner words only as
/// part of a word pair.
const RARE_WORD_QUOTES: usize = 100;

/// Word ids of each variant, as varints in one flat array: ids follow first appearance, so
/// the common words, met first, take a byte, and most others two. While documents are
/// observed the array grows with the corpus's distinct texts, and only a variant's repeats
/// need it, to tell it from a hash collision: it goes to a temporary file as it grows, and
/// comes back whole for matching ([`Tokens::load`]).
#[derive(Debug)]
pub struct Tokens {
    /// After `flushed` bytes in `file`: the rest.
    bytes: Vec<u8>,
    /// Where each variant ends, after a leading 0.
    offsets: Vec<u32>,
    file: Option<std::fs::File>,
    flushed: u64,
    /// A write or read error while observing, reported by [`Tokens::load`].
    error: Option<String>,
    /// A variant read back from `file`.
    scratch: Vec<u8>,
    /// Word count of each variant, once matching is done and the words are needed only
    /// for rows (see [`Tokens::unload`]).
    lens: Option<Vec<u32>>,
}

impl Default for Tokens {
    fn default() -> Self {
        Tokens {
            bytes: Vec::new(),
            offsets: vec![0],
            file: None,
            flushed: 0,
            error: None,
            scratch: Vec::new(),
            lens: None,
        }
    }
}

/// Bytes of word ids kept in memory while observing before they go to the file.
const TOKEN_BUFFER: usize = 1 << 16;

impl Tokens {
    /// Number of variants.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    fn coded(&self, v: usize) -> &[u8] {
        &self.bytes[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// Number of words of variant `v`.
    pub fn words(&self, v: usize) -> usize {
        match &self.lens {
            Some(lens) => lens[v] as usize,
            None => varint::count(self.coded(v)),
        }
    }

    /// The word ids of variant `v`, into `out`, from memory or, once unloaded, from disk.
    pub fn read_words(&self, v: usize, out: &mut Vec<u32>) -> Result<(), String> {
        let (Some(_), Some(file)) = (&self.lens, &self.file) else {
            self.decode(v, out);
            return Ok(());
        };
        let (start, end) = (u64::from(self.offsets[v]), u64::from(self.offsets[v + 1]));
        let mut coded = vec![0u8; (end - start) as usize];
        crate::spill::read_exact_at(file, &mut coded, start)?;
        out.clear();
        out.extend(varint::iter(&coded).map(|id| id as u32));
        Ok(())
    }

    /// Drops the word ids from memory once the variants are matched, keeping their counts:
    /// grouping needs only those, and rows read the few words they compare from disk.
    pub fn unload(&mut self) -> Result<(), String> {
        use std::io::Write;
        let lens = (0..self.len()).map(|v| self.words(v) as u32).collect();
        if self.file.is_none() {
            let fail = |e: std::io::Error| format!("temporary file: {e}");
            let mut file = tempfile::tempfile().map_err(fail)?;
            file.write_all(&self.bytes).map_err(fail)?;
            self.file = Some(file);
        }
        self.lens = Some(lens);
        self.bytes = Vec::new();
        Ok(())
    }

    /// The word ids of variant `v`, in order.
    pub fn iter_words(&self, v: usize) -> impl Iterator<Item = u32> + '_ {
        varint::iter(self.coded(v)).map(|id| id as u32)
    }

    /// The word ids of variant `v`, into `out`. A plain loop: matching decodes a variant
    /// per candidate, and an iterator adapter here compiles to a slower loop when inlined.
    #[inline]
    pub fn decode(&self, v: usize, out: &mut Vec<u32>) {
        out.clear();
        let coded = self.coded(v);
        let mut at = 0;
        while at < coded.len() {
            out.push(varint::get(coded, &mut at) as u32);
        }
    }

    /// Every variant's word ids, in order.
    pub fn iter(&self) -> impl Iterator<Item = Vec<u32>> + '_ {
        (0..self.len()).map(|v| {
            let mut words = Vec::new();
            self.decode(v, &mut words);
            words
        })
    }

    fn push_word(&mut self, id: u32) {
        varint::put(&mut self.bytes, u64::from(id));
    }

    fn end_variant(&mut self) {
        crate::chunked::grow_by_eighth(&mut self.offsets);
        self.offsets
            .push((self.flushed + self.bytes.len() as u64) as u32);
        // Only at a variant's end, so that each variant is wholly in the file or in memory.
        if self.bytes.len() >= TOKEN_BUFFER {
            if let Err(e) = self.flush() {
                self.error.get_or_insert(format!("temporary file: {e}"));
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        if self.error.is_some() {
            return Ok(());
        }
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(tempfile::tempfile()?),
        };
        file.write_all(&self.bytes)?;
        self.flushed += self.bytes.len() as u64;
        self.bytes.clear();
        Ok(())
    }

    /// The coded words of variant `v` while observing, wherever they are.
    fn observed(&mut self, v: usize) -> Result<&[u8], String> {
        let (start, end) = (u64::from(self.offsets[v]), u64::from(self.offsets[v + 1]));
        if start >= self.flushed {
            let at = (start - self.flushed) as usize;
            return Ok(&self.bytes[at..at + (end - start) as usize]);
        }
        let file = self.file.as_ref().ok_or("temporary file: missing")?;
        self.scratch.resize((end - start) as usize, 0);
        crate::spill::read_exact_at(file, &mut self.scratch, start)?;
        Ok(&self.scratch)
    }

    /// Reads the word ids back from the file into one array of their exact size.
    fn load(&mut self) -> Result<(), String> {
        use std::io::{Read, Seek};
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.offsets.shrink_to_fit();
        self.scratch = Vec::new();
        if self.file.is_none() {
            self.bytes.shrink_to_fit();
            return Ok(());
        }
        let fail = |e: std::io::Error| format!("temporary file: {e}");
        // The whole file, kept for `unload`.
        self.flush().map_err(fail)?;
        let mut all = Vec::with_capacity(self.flushed as usize);
        if let Some(mut file) = self.file.as_ref() {
            file.rewind().map_err(fail)?;
            file.read_to_end(&mut all).map_err(fail)?;
        }
        if all.len() as u64 != self.flushed {
            return Err("temporary file: truncated".to_string());
        }
        self.bytes = all;
        self.flushed = 0;
        Ok(())
    }

    fn bytes(&self) -> usize {
        use crate::memory::vec;
        vec(&self.bytes) + vec(&self.offsets) + self.lens.as_ref().map_or(0, vec)
    }
}

/// Lists in one flat array: inverted lists (key → variants), or lists per variant.
#[derive(Debug)]
pub struct Postings {
    /// Where each list ends, after a leading 0.
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl std::ops::Index<usize> for Postings {
    type Output = [u32];

    fn index(&self, v: usize) -> &[u32] {
        self.get(v as u32)
    }
}

impl Default for Postings {
    fn default() -> Self {
        Postings {
            offsets: vec![0],
            items: Vec::new(),
        }
    }
}

impl Postings {
    /// Lists of `(key, item)` pairs, each list in the order `pairs` yields them.
    fn build_from<I: Iterator<Item = (u32, u32)>>(
        n_keys: usize,
        pairs: impl Fn() -> I,
    ) -> Postings {
        let mut offsets = vec![0u32; n_keys + 1];
        for (k, _) in pairs() {
            offsets[k as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut items = vec![0u32; offsets[n_keys] as usize];
        let mut fill = offsets.clone();
        for (k, item) in pairs() {
            items[fill[k as usize] as usize] = item;
            fill[k as usize] += 1;
        }
        Postings { offsets, items }
    }

    fn bytes(&self) -> usize {
        crate::memory::vec(&self.offsets) + crate::memory::vec(&self.items)
    }

    pub fn get(&self, key: u32) -> &[u32] {
        &self.items[self.offsets[key as usize] as usize..self.offsets[key as usize + 1] as usize]
    }
}

/// A truncation joins one cluster only, so that a phrase two different quotes share cannot
/// chain them together: preferably the cluster of its own speaker, then the closest match; a
/// phrase that fits two clusters equally well is ambiguous and joins neither. Longer
/// truncations attach first, so that a short excerpt of a longer excerpt of a quote finds
/// both in one cluster.
fn attach_truncations(
    mut contained: Vec<(u32, u32, u32)>,
    tokens: &Tokens,
    quotes: &mut PairFile,
    speakers: Speakers<'_>,
    uf: &mut UnionFind,
) -> Result<(), String> {
    if contained.is_empty() {
        return Ok(());
    }
    // Speakers of every cluster involved, kept up to date as clusters merge.
    let mut root_speakers: HashMap<u32, BTreeSet<u32>> = HashMap::new();
    for &(s, v, _) in &contained {
        root_speakers.entry(uf.find(s)).or_default();
        root_speakers.entry(uf.find(v)).or_default();
    }
    quotes.read(|v, speaker| {
        if let Some(set) = root_speakers.get_mut(&uf.find(v)) {
            set.extend(speakers.get(&QuoteRec::from_raw(v, speaker)));
        }
    })?;
    // Longest truncation first; a stable sort keeps each truncation's containers in the
    // order they were found.
    contained.sort_by_key(|&(s, _, _)| (std::cmp::Reverse(tokens.words(s as usize)), s));
    for containers in contained.chunk_by(|a, b| a.0 == b.0) {
        let s = containers[0].0;
        let own_root = uf.find(s);
        let own = &root_speakers[&own_root];
        let mut scored: Vec<((bool, u32), u32, u32)> = containers
            .iter()
            .map(|&(_, v, lcs)| {
                let root = uf.find(v);
                let shared = !own.is_disjoint(&root_speakers[&root]);
                ((shared, lcs), root, v)
            })
            .collect();
        // Already in a cluster that contains it (through a peer or a longer excerpt).
        if scored.is_empty() || scored.iter().any(|&(_, root, _)| root == own_root) {
            continue;
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
        let best = scored[0];
        let rival = scored
            .iter()
            .any(|&(score, root, _)| score == best.0 && root != best.1);
        if rival {
            continue;
        }
        let mut merged = root_speakers.remove(&own_root).unwrap_or_default();
        merged.extend(root_speakers.remove(&best.1).unwrap_or_default());
        uf.union(s, best.2);
        root_speakers.insert(uf.find(s), merged);
    }
    Ok(())
}

/// What a variant with `m` words looks up: the rarest pairs that a match with as many
/// changed words as `similarity` allows must still share.
fn pair_prefix(m: usize, similarity: f64) -> usize {
    2 * (m - needed(m, similarity)) + 2
}

/// Words of an `m`-word quote another must share to match at `similarity`.
fn needed(m: usize, similarity: f64) -> usize {
    ((similarity * m as f64) - 1e-9).ceil().max(1.0) as usize
}

/// Quotes longer than this are compared on their first words.
const LCS_CAP: usize = 600;

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

/// Ends writing a temporary file (`writer`, into `file`) so that it can be read back, or
/// reports the first error met while writing it.
fn readable(
    writer: &mut Option<std::io::BufWriter<std::fs::File>>,
    file: &mut Option<std::fs::File>,
    error: &Option<String>,
) -> Result<(), String> {
    if let Some(e) = error {
        return Err(format!("temporary file: {e}"));
    }
    if let Some(w) = writer.take() {
        *file = Some(
            w.into_inner()
                .map_err(|e| format!("temporary file: {}", e.error()))?,
        );
    }
    Ok(())
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
    }

    #[test]
    fn coded_words_and_sets_read_back() {
        let lists: Vec<Vec<u32>> = vec![
            vec![],
            vec![0, 1, 127, 128, 16_383, 16_384, u32::MAX],
            vec![5, 5, 3],
        ];
        let mut tokens = Tokens::default();
        for list in &lists {
            for &w in list {
                tokens.push_word(w);
            }
            tokens.end_variant();
        }
        let mut out = Vec::new();
        for (v, list) in lists.iter().enumerate() {
            tokens.decode(v, &mut out);
            assert_eq!(&out, list);
            assert_eq!(tokens.words(v), list.len());
        }
        let sets = Sets::build(lists.len(), |v, set| {
            set.clear();
            set.extend(&lists[v]);
            set.sort_unstable();
            set.dedup();
        });
        sets.decode(1, &mut out);
        assert_eq!(out, lists[1]);
        sets.decode(2, &mut out);
        assert_eq!(out, [3, 5]);
        assert_eq!(sets.merge_count(&[3, 4, 5], 2, 0), 2);
        assert_eq!(sets.merge_count(&[1, 128, 16_384], 1, 0), 3);
        assert_eq!(sets.merge_count(&[1, 2], 0, 0), 0);
        // Out of reach: stops early, below `want`.
        assert!(sets.merge_count(&[4], 2, 2) < 2);
    }

    #[test]
    fn variants_words_wait_on_disk_and_come_back() {
        // Enough variants that most of them are in the file before matching.
        let mut variants = Variants::default();
        let keys: Vec<String> = (0..40_000)
            .map(|i| format!("w{} common w{} tail{}", i % 977, i * 7, i % 3))
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(variants.intern(k), i as u32);
        }
        assert!(variants.tokens.flushed > 0);
        for (i, k) in keys.iter().enumerate().step_by(997) {
            assert_eq!(variants.intern(k), i as u32, "{k}");
        }
        assert_eq!(
            variants.intern(&keys[keys.len() - 1]),
            keys.len() as u32 - 1
        );
        variants.freeze();
        variants.load().unwrap();
        let mut words = Vec::new();
        variants.tokens.decode(12_345, &mut words);
        assert_eq!(words.len(), 4);
        let loaded = words.clone();
        variants.tokens.unload().unwrap();
        assert_eq!(variants.tokens.words(12_345), 4);
        variants.tokens.read_words(12_345, &mut words).unwrap();
        assert_eq!(words, loaded);
    }

    #[test]
    fn hash_index_finds_what_a_map_finds_across_merges() {
        let mut index = HashIndex::default();
        let mut map = HashMap::new();
        let mut state = 11u32;
        for v in 0..60_000u32 {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let hash = state % 200_000;
            assert_eq!(index.get(hash), map.get(&hash).copied(), "{hash}");
            if index.get(hash).is_none() {
                index.insert(hash, v);
                map.insert(hash, v);
            }
        }
        assert!(index.sorted.len() > index.recent.len());
        assert!(index.sorted.windows(2).all(|w| w[0].0 < w[1].0));
        for hash in 0..200_000 {
            assert_eq!(index.get(hash), map.get(&hash).copied(), "{hash}");
        }
    }

    #[test]
    fn keys_with_the_same_hash_bits_are_told_apart() {
        let mut seen = HashMap::new();
        let (a, b) = (0..1_000_000)
            .find_map(|i| {
                let key = format!("k{i} said");
                seen.insert(key_hash(&key), key.clone())
                    .map(|earlier| (earlier, key))
            })
            .expect("32 bits collide within a million keys");
        let mut variants = Variants::default();
        for (key, id) in [(&a, 0), (&b, 1), (&a, 0), (&b, 1), (&"other".into(), 2)] {
            assert_eq!(variants.intern(key), id, "{key}");
        }
    }

    #[test]
    fn bit_parallel_lcs_agrees_with_the_table() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % n) as u32
        };
        let (mut dp, mut bits) = (Vec::new(), BitLcs::default());
        for round in 0..300 {
            let (la, lb, alphabet) = match round % 3 {
                0 => (1 + next(40), 1 + next(40), 6),
                1 => (60 + next(100), 60 + next(150), 20),
                _ => (590 + next(30), 580 + next(40), 50),
            };
            let a: Vec<u32> = (0..la).map(|_| next(alphabet)).collect();
            let b: Vec<u32> = (0..lb).map(|_| next(alphabet + 3)).collect();
            bits.load(&a);
            assert_eq!(bits.run(&b), lcs_align(&a, &b, &mut dp).0, "{a:?} {b:?}");
        }
    }
}
