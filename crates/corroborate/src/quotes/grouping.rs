//! From matched texts to quote groups: truncations join one text cluster each, and each text
//! cluster (or short variant) is split by speaker; the same long words given to different
//! speakers by different documents are a misattribution.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use super::matching::TextMatch;
use super::{Params, QuoteRec, UnionFind};
use crate::names::PersonName;

/// One utterance of one speaker across documents.
#[derive(Debug, Clone)]
pub struct Group {
    /// Quote indices, ascending.
    pub members: Vec<u32>,
    /// Speaker cluster.
    pub speaker: Option<u32>,
    /// The member whose wording represents the group (the fullest).
    pub rep: u32,
}

/// The same words attributed to different speakers by different documents.
#[derive(Debug, Clone)]
pub struct Misattribution {
    pub rep: u32,
    /// `(quote, speaker cluster)`, ascending.
    pub members: Vec<(u32, u32)>,
}

/// What grouping finds, each list in order of its first member.
#[derive(Default)]
pub struct Grouped {
    pub groups: Vec<Group>,
    pub misattributions: Vec<Misattribution>,
}

/// The quotes and how to find a quote's speaker cluster.
#[derive(Clone, Copy)]
pub struct Speakers<'a> {
    pub quotes: &'a [QuoteRec],
    /// Cluster of each name node.
    pub node_cluster: &'a [u32],
    /// Speakers' names as persons, by cluster, to tell a surname alone from a full name.
    pub names: &'a [Option<PersonName>],
}

impl Speakers<'_> {
    fn of(&self, q: u32) -> Option<u32> {
        self.quotes[q as usize]
            .speaker
            .map(|n| self.node_cluster[n as usize])
    }

    fn variant(&self, q: u32) -> u32 {
        self.quotes[q as usize].variant
    }
}

/// Groups the quotes, given their variants' text match. The unit of grouping is a short
/// variant (its quotes group by speaker) or a text cluster of long variants (split by
/// speaker).
pub fn group(
    speakers: Speakers<'_>,
    tokens: &[Box<[u32]>],
    matched: TextMatch,
    params: &Params,
) -> Grouped {
    let TextMatch { mut uf, contained } = matched;
    attach_truncations(contained, tokens, speakers, &mut uf);
    let long = |v: usize| tokens[v].len() >= params.min_words;
    // Text clusters of long variants first, numbered by their first variant, then each
    // short variant.
    let mut unit_of = vec![u32::MAX; tokens.len()];
    let mut cluster_of_root: FxHashMap<u32, u32> = FxHashMap::default();
    for v in (0..tokens.len()).filter(|&v| long(v)) {
        let next = cluster_of_root.len() as u32;
        unit_of[v] = *cluster_of_root.entry(uf.find(v as u32)).or_insert(next);
    }
    let n_clusters = cluster_of_root.len() as u32;
    let mut next = n_clusters;
    for (v, unit) in unit_of.iter_mut().enumerate() {
        if !long(v) {
            *unit = next;
            next += 1;
        }
    }
    let mut by_unit: Vec<u32> = (0..speakers.quotes.len() as u32).collect();
    by_unit.sort_by_key(|&q| unit_of[speakers.variant(q) as usize]);
    let mut found = Grouped::default();
    let unit = |q: &u32| unit_of[speakers.variant(*q) as usize];
    for members in by_unit.chunk_by(|a, b| unit(a) == unit(b)) {
        if unit(&members[0]) < n_clusters {
            split_by_speaker(members, speakers, tokens, params, &mut found);
        } else {
            group_short(members, speakers, tokens, &mut found.groups);
        }
    }
    found.groups.sort_unstable_by_key(|g| g.members[0]);
    found
        .misattributions
        .sort_unstable_by_key(|m| m.members[0].0);
    found
}

/// A truncation joins one cluster only, so that a phrase two different quotes share cannot
/// chain them together: preferably the cluster of its own speaker, then the closest match; a
/// phrase that fits two clusters equally well is ambiguous and joins neither. Longer
/// truncations attach first, so that a short excerpt of a longer excerpt of a quote finds
/// both in one cluster.
fn attach_truncations(
    mut contained: Vec<(u32, u32, u32)>,
    tokens: &[Box<[u32]>],
    speakers: Speakers<'_>,
    uf: &mut UnionFind,
) {
    // Speakers of every cluster involved, kept up to date as clusters merge.
    let mut root_speakers: FxHashMap<u32, BTreeSet<u32>> = FxHashMap::default();
    for &(s, v, _) in &contained {
        root_speakers.entry(uf.find(s)).or_default();
        root_speakers.entry(uf.find(v)).or_default();
    }
    if root_speakers.is_empty() {
        return;
    }
    for q in 0..speakers.quotes.len() as u32 {
        if let Some(set) = root_speakers.get_mut(&uf.find(speakers.variant(q))) {
            set.extend(speakers.of(q));
        }
    }
    // Longest truncation first; a stable sort keeps each truncation's containers in the
    // order they were found.
    contained.sort_by_key(|&(s, _, _)| (std::cmp::Reverse(tokens[s as usize].len()), s));
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
        if scored.iter().any(|&(_, root, _)| root == own_root) {
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
}

/// Short quotes: only the same words of the same speaker.
fn group_short(
    members: &[u32],
    speakers: Speakers<'_>,
    tokens: &[Box<[u32]>],
    groups: &mut Vec<Group>,
) {
    let mut by_speaker: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &q in members {
        match speakers.of(q) {
            Some(s) => by_speaker.entry(s).or_default().push(q),
            None => groups.push(new_group(vec![q], None, speakers, tokens)),
        }
    }
    merge_surname_only(&mut by_speaker, speakers.names);
    for (s, members) in by_speaker {
        groups.push(new_group(members, Some(s), speakers, tokens));
    }
}

fn new_group(
    members: Vec<u32>,
    speaker: Option<u32>,
    speakers: Speakers<'_>,
    tokens: &[Box<[u32]>],
) -> Group {
    let rep = rep_of(&members, speakers, tokens);
    Group {
        members,
        speaker,
        rep,
    }
}

/// The member whose wording represents `members`: the fullest wording, then the most
/// reprinted, then the earliest (so the order `members` come in does not matter).
fn rep_of(members: &[u32], speakers: Speakers<'_>, tokens: &[Box<[u32]>]) -> u32 {
    let mut same: FxHashMap<u32, usize> = FxHashMap::default();
    for &q in members {
        *same.entry(speakers.variant(q)).or_default() += 1;
    }
    let key = |q: u32| {
        let v = speakers.variant(q);
        let words = tokens[v as usize].len();
        (std::cmp::Reverse(words), std::cmp::Reverse(same[&v]), q)
    };
    members.iter().copied().min_by_key(|&q| key(q)).unwrap_or(0)
}

fn split_by_speaker(
    members: &[u32],
    speakers: Speakers<'_>,
    tokens: &[Box<[u32]>],
    params: &Params,
    found: &mut Grouped,
) {
    let mut named: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut unnamed = Vec::new();
    // A speaker resolved from a pronoun or a description that no document names at these
    // words is a guess: such a quote joins a named speaker as an unattributed one would.
    let named_at_cue: BTreeSet<u32> = members
        .iter()
        .filter(|&&q| speakers.quotes[q as usize].named_at_cue)
        .filter_map(|&q| speakers.of(q))
        .collect();
    for &q in members {
        match speakers.of(q) {
            Some(s) if named_at_cue.is_empty() || named_at_cue.contains(&s) => {
                named.entry(s).or_default().push(q)
            }
            _ => unnamed.push(q),
        }
    }
    merge_surname_only(&mut named, speakers.names);
    if named.len() <= 1 {
        let (speaker, mut all) = named
            .pop_first()
            .map_or((None, Vec::new()), |(s, list)| (Some(s), list));
        all.extend(unnamed);
        all.sort_unstable();
        found.groups.push(new_group(all, speaker, speakers, tokens));
        return;
    }
    join_unnamed(&mut named, unnamed, speakers);
    if let Some(m) = misattribution(&named, speakers, tokens, params) {
        found.misattributions.push(m);
    }
    for (s, list) in named {
        found
            .groups
            .push(new_group(list, Some(s), speakers, tokens));
    }
}

/// An unattributed quote joins the speaker who said the same words, else the speaker
/// reported most often.
fn join_unnamed(named: &mut BTreeMap<u32, Vec<u32>>, unnamed: Vec<u32>, speakers: Speakers<'_>) {
    for q in unnamed {
        let v = speakers.variant(q);
        let best = named
            .iter()
            .max_by_key(|(s, list)| {
                let same = list.iter().filter(|&&o| speakers.variant(o) == v).count();
                (
                    same,
                    list.len(),
                    std::cmp::Reverse(list[0]),
                    std::cmp::Reverse(**s),
                )
            })
            .map(|(s, _)| *s);
        if let Some(s) = best {
            let list = named.entry(s).or_default();
            list.push(q);
            list.sort_unstable();
        }
    }
}

/// Speakers whose wording is long enough that sharing it is no coincidence, and whose
/// documents never name both, if there are at least two. Only attributions named at the
/// quote count: one resolved from `he said` is no evidence against another.
fn misattribution(
    named: &BTreeMap<u32, Vec<u32>>,
    speakers: Speakers<'_>,
    tokens: &[Box<[u32]>],
    params: &Params,
) -> Option<Misattribution> {
    let named: BTreeMap<u32, Vec<u32>> = named
        .iter()
        .map(|(s, list)| {
            let at_cue = list.iter().copied();
            let at_cue = at_cue.filter(|&q| speakers.quotes[q as usize].named_at_cue);
            (*s, at_cue.collect::<Vec<u32>>())
        })
        .filter(|(_, list)| !list.is_empty())
        .collect();
    let named = &named;
    let long_enough = |list: &[u32]| {
        list.iter()
            .any(|&q| tokens[speakers.variant(q) as usize].len() >= params.attribution_min_words)
    };
    let docs: BTreeMap<u32, BTreeSet<u32>> = named
        .iter()
        .map(|(s, list)| {
            let docs = list.iter().map(|&q| speakers.quotes[q as usize].doc);
            (*s, docs.collect())
        })
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
    if conflicting.len() < 2 {
        return None;
    }
    let chosen = || named.iter().filter(|(s, _)| conflicting.contains(s));
    let all: Vec<u32> = chosen().flat_map(|(_, l)| l.iter().copied()).collect();
    let rep = rep_of(&all, speakers, tokens);
    let mut members: Vec<(u32, u32)> = chosen()
        .flat_map(|(s, l)| l.iter().map(move |&q| (q, *s)))
        .collect();
    members.sort_unstable();
    Some(Misattribution { rep, members })
}

/// A speaker the corpus knows only by a surname it could not pin on one person (`Tami`, when
/// two Tamis are quoted) is, for these words, the one speaker with that surname and a given
/// name who said them, if there is exactly one.
fn merge_surname_only(named: &mut BTreeMap<u32, Vec<u32>>, speaker_names: &[Option<PersonName>]) {
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
                into.sort_unstable();
            }
        }
    }
}
