//! One corpus referent per person, organization or place, despite spelling, transliteration
//! and short forms across documents (`Zelensky` = `Zelenskyy`, `Witkoff` = `Steve Witkoff`,
//! `EU` = `European Union`).
//!
//! Every entity a document reports and every quote speaker is a node (identical ones shared
//! across documents, see [`NameNodes`]); nodes are joined by
//! lookups in hash maps keyed by folded names (never by comparing all pairs), then read out as
//! clusters.

use std::collections::{BTreeMap, BTreeSet};

use model::normalize::fold_char;
use model::EntityKind;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::quotes::UnionFind;
use crate::strings::Interner;

/// Words that stand before a name without being part of it.
const TITLES: &str =
    "mr mrs ms miss mx dr prof professor sir dame lord lady rev president chancellor \
    premier minister secretary senator sen rep representative gov governor mayor judge \
    general gen colonel col captain capt lt sgt admiral adm king queen prince princess \
    sheikh pope envoy ambassador commissioner chairman chair ceo officer spokesman \
    spokeswoman spokesperson";
/// Words that end a name without being its surname.
const SUFFIXES: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "kc", "qc", "mp",
];
/// Lowercase particles that belong to a surname (`Ursula von der Leyen`).
const PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "da", "di", "del", "della", "la", "le", "du", "dos", "das",
    "bin", "ibn", "al", "el", "ter", "ten",
];
/// Words skipped when forming an acronym (`Organization of the Petroleum Exporting Countries`).
const ACRONYM_SKIP: &[&str] = &[
    "of", "the", "and", "for", "in", "on", "to", "a", "an", "at", "des", "du", "et",
];
/// Trailing words that do not change what a claim's subject is (`Donetsk region` = `Donetsk`).
const GENERIC_PLACE_WORDS: &str =
    "region oblast province state county district city area territory";

/// One word accent-folded, lowercase, without punctuation (`O’Brien` → `obrien`).
fn plain_word(word: &str) -> String {
    let mut plain = String::with_capacity(word.len());
    for c in word.chars() {
        if let Some(folded) = fold_char(c) {
            plain.push_str(folded);
        } else if c.is_alphanumeric() {
            plain.extend(c.to_lowercase());
        }
    }
    plain
}

/// A readable key for a name: its words accent-folded and lowercase, leading `the` dropped.
fn plain_name(name: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(name).enumerate() {
        let p = plain_word(w);
        if p.is_empty() || (i == 0 && p == "the") {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&p);
    }
    out
}

/// The folded form of one word for matching names across transliterations: accents folded,
/// lowercase, punctuation dropped, `y`/`i`, `w`/`v`, `kh`/`h`, `ph`/`f` merged and doubled
/// letters collapsed (`Zelenskyy`, `Zelensky`, `Zelenskiy` → `zelenski`).
pub fn fold_word(word: &str) -> String {
    let plain: Vec<char> = plain_word(word).chars().collect();
    let mut out = String::with_capacity(plain.len());
    let mut i = 0;
    while i < plain.len() {
        let next = plain.get(i + 1).copied();
        let c = match (plain[i], next) {
            // tch → ch, kh → h, ck → k: drop the first letter.
            ('t', Some('c')) if plain.get(i + 2) == Some(&'h') => {
                i += 1;
                continue;
            }
            ('k', Some('h')) | ('c', Some('k')) => {
                i += 1;
                continue;
            }
            ('p', Some('h')) => {
                i += 1;
                'f'
            }
            ('y', _) => 'i',
            ('w', _) => 'v',
            ('j', None) if i > 0 => 'i',
            (c, _) => c,
        };
        if !out.ends_with(c) || c.is_ascii_digit() {
            out.push(c);
        }
        i += 1;
    }
    out
}

fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '"' | '“' | '”'))
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.strip_suffix("’s")
                .or_else(|| w.strip_suffix("'s"))
                .unwrap_or(w)
        })
        .filter(|w| !w.is_empty())
}

/// A folded name: its words folded by [`fold_word`], leading `the` dropped.
pub fn fold_name(name: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(name).enumerate() {
        let f = fold_word(w);
        if f.is_empty() || (i == 0 && f == "the") {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&f);
    }
    out
}

/// A claim's subject folded, trailing generic place words dropped.
pub fn fold_subject(subject: &str) -> String {
    let mut folded: Vec<String> = fold_name(subject)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    while folded.len() > 1
        && folded
            .last()
            .is_some_and(|w| GENERIC_PLACE_WORDS.split_whitespace().any(|g| g == w))
    {
        folded.pop();
    }
    folded.join(" ")
}

/// A person's name reduced to what identifies them across documents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PersonName {
    pub surname: String,
    /// Folded given name; `None` when the name is a surname alone.
    pub given: Option<String>,
}

/// Parses a person's name: titles and suffixes dropped, the last word taken as the surname,
/// the first (unless a particle) as the given name.
pub fn person_name(name: &str) -> Option<PersonName> {
    // (as written, plain, folded)
    let mut ws: Vec<(&str, String, String)> = words(name)
        .map(|w| (w, plain_word(w), fold_word(w)))
        .collect();
    ws.retain(|(_, p, _)| !p.is_empty());
    while ws.len() > 1 && TITLES.split_whitespace().any(|t| t == ws[0].1) {
        ws.remove(0);
    }
    while ws.len() > 1
        && ws
            .last()
            .is_some_and(|(_, p, _)| SUFFIXES.contains(&p.as_str()))
    {
        ws.pop();
    }
    let surname = ws.last()?.2.clone();
    let given = if ws.len() >= 2 {
        let (raw, plain, folded) = &ws[0];
        let particle = PARTICLES.contains(&plain.as_str())
            && raw.chars().next().is_some_and(char::is_lowercase);
        (!particle).then(|| folded.clone())
    } else {
        None
    };
    Some(PersonName { surname, given })
}

/// Whether two folded given names can name the same person: equal, an initial of the other,
/// or a short form of it (`steve`/`steven`).
fn given_compatible(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    (short.len() == 1 || short.len() >= 3) && long.starts_with(short)
}

/// What a node was seen as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Entity(EntityKind),
    /// A quote's speaker as a document names it; may be a person or an organization.
    Speaker,
}

/// The entities and speakers of the corpus. Identical ones (same kind, name, aliases and
/// entity key) that [`resolve`] is bound to put in one cluster are one node listing their
/// documents; only those whose resolution depends on their document (a surname alone, a name
/// without a key) get a node per document. Node ids follow first appearance, which is all
/// the cluster numbering depends on.
#[derive(Default)]
pub struct NameNodes {
    pub nodes: Vec<NameNode>,
    strings: Interner,
    alias_lists: Vec<Box<[u32]>>,
    alias_ids: HashMap<Box<[u32]>, u32>,
    /// (kind, name, aliases, entity key) → shared node, or `None` when such a node depends
    /// on its document.
    shared: HashMap<(NodeKind, u32, u32, u32), Option<u32>>,
}

/// One entity or speaker name, of one document or of every document that lists it alike.
#[derive(Debug, Clone)]
pub struct NameNode {
    pub kind: NodeKind,
    /// Interned, as the documents write it.
    pub name: u32,
    /// Interned list of interned aliases.
    aliases: u32,
    /// The entities stage's own key, interned.
    ext_key: u32,
    /// Per-document nodes this node stands for.
    count: u32,
    mentions: u64,
    /// The documents naming it, in input order (the only one, for a node per document).
    docs: Vec<u32>,
}

impl NameNode {
    /// The first document naming it.
    fn first(&self) -> u32 {
        self.docs[0]
    }
}

impl NameNodes {
    pub fn name(&self, node: u32) -> &str {
        self.strings.get(self.nodes[node as usize].name)
    }

    fn str(&self, id: u32) -> &str {
        self.strings.get(id)
    }

    fn aliases(&self, node: &NameNode) -> impl Iterator<Item = &str> {
        self.alias_lists[node.aliases as usize]
            .iter()
            .map(|&a| self.strings.get(a))
    }

    fn alias_list(&mut self, list: Box<[u32]>) -> u32 {
        let next = self.alias_lists.len() as u32;
        let id = *self.alias_ids.entry(list.clone()).or_insert(next);
        if id == next {
            self.alias_lists.push(list);
        }
        id
    }

    /// An entity of document `doc`; returns its node.
    pub fn add_entity<'a>(
        &mut self,
        doc: u32,
        kind: EntityKind,
        name: &str,
        aliases: impl Iterator<Item = &'a str>,
        ext_key: &str,
        mentions: u32,
    ) -> u32 {
        let list: Box<[u32]> = aliases.map(|a| self.strings.intern(a)).collect();
        let aliases = self.alias_list(list);
        let name = self.strings.intern(name);
        let ext_key = self.strings.intern(ext_key);
        let identity = (NodeKind::Entity(kind), name, aliases, ext_key);
        self.add(identity, doc, mentions)
    }

    /// A quote speaker of document `doc` (once per document and name); returns its node.
    pub fn add_speaker(&mut self, doc: u32, name: &str) -> u32 {
        let name = self.strings.intern(name);
        let no_aliases = self.alias_list(Box::new([]));
        let no_key = self.strings.intern("");
        self.add((NodeKind::Speaker, name, no_aliases, no_key), doc, 0)
    }

    fn add(&mut self, identity: (NodeKind, u32, u32, u32), doc: u32, mentions: u32) -> u32 {
        match self.shared.get(&identity).copied() {
            Some(Some(n)) => {
                let node = &mut self.nodes[n as usize];
                node.count += 1;
                node.mentions += u64::from(mentions);
                if node.docs.last() != Some(&doc) {
                    node.docs.push(doc);
                }
                return n;
            }
            Some(None) => {}
            None => {
                let shared = self
                    .resolves_alike(identity)
                    .then_some(self.nodes.len() as u32);
                self.shared.insert(identity, shared);
            }
        }
        let (kind, name, aliases, ext_key) = identity;
        self.nodes.push(NameNode {
            kind,
            name,
            aliases,
            ext_key,
            count: 1,
            mentions: u64::from(mentions),
            docs: vec![doc],
        });
        self.nodes.len() as u32 - 1
    }

    /// Whether every node of this kind, name, aliases and key ends in one cluster whatever
    /// its document: organizations and places that have a key to meet on, persons and
    /// speakers with a given name (they meet on it). A surname alone resolves to its own
    /// document's full name, and a name without any key meets nothing.
    fn resolves_alike(&self, (kind, name, aliases, ext_key): (NodeKind, u32, u32, u32)) -> bool {
        match kind {
            NodeKind::Entity(EntityKind::Org | EntityKind::Place) => {
                !self.str(ext_key).is_empty()
                    || !fold_name(self.str(name)).is_empty()
                    || self.alias_lists[aliases as usize]
                        .iter()
                        .any(|&a| !fold_name(self.str(a)).is_empty())
            }
            NodeKind::Entity(EntityKind::Person) | NodeKind::Speaker => {
                person_name(self.str(name)).is_some_and(|p| p.given.is_some())
            }
            NodeKind::Entity(_) => false,
        }
    }
}

/// A corpus referent.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// `person:steve witkoff`; unique within the corpus.
    pub key: String,
    pub name: String,
    /// `None` for a referent seen only as a speaker.
    pub kind: Option<EntityKind>,
    /// Every form the documents use, sorted.
    pub variants: Vec<String>,
    /// Its entity nodes (speakers list no documents), whose documents are read out when
    /// needed rather than kept per cluster.
    nodes: Vec<u32>,
    pub mentions: u64,
}

/// Nodes resolved into clusters.
#[derive(Default)]
pub struct Resolution {
    /// Cluster of each node.
    pub node_cluster: Vec<u32>,
    pub clusters: Vec<Cluster>,
    /// Folded organization/place names (and aliases) → cluster.
    key_cluster: HashMap<String, u32>,
}

impl Resolution {
    /// The organization or place cluster a folded name names, if any.
    pub fn place_or_org(&self, folded: &str) -> Option<u32> {
        self.key_cluster.get(folded).copied()
    }

    /// Documents whose entities name the cluster, in input order.
    pub fn docs(&self, cluster: &Cluster, nodes: &NameNodes) -> Vec<u32> {
        let mut docs: Vec<u32> = Vec::new();
        for &n in &cluster.nodes {
            docs.extend_from_slice(&nodes.nodes[n as usize].docs);
        }
        if cluster.nodes.len() > 1 {
            docs.sort_unstable();
            docs.dedup();
        }
        docs
    }
}

/// Resolves all nodes into clusters.
pub fn resolve(names: &NameNodes) -> Resolution {
    let nodes = &names.nodes;
    let mut uf = UnionFind::new(nodes.len());
    // Organizations and places: shared folded names, aliases and entity keys.
    let mut by_key: HashMap<(EntityKind, String), u32> = HashMap::default();
    let mut key_kind: HashMap<String, EntityKind> = HashMap::default();
    for (i, node) in nodes.iter().enumerate() {
        let NodeKind::Entity(kind @ (EntityKind::Org | EntityKind::Place)) = node.kind else {
            continue;
        };
        let ext_key = names.str(node.ext_key);
        let ext = (!ext_key.is_empty()).then(|| format!("\u{1}{ext_key}"));
        let keys = std::iter::once(fold_name(names.str(node.name)))
            .chain(names.aliases(node).map(fold_name))
            .chain(ext);
        for key in keys.filter(|k| !k.is_empty()) {
            key_kind.entry(key.clone()).or_insert(kind);
            match by_key.entry((kind, key)) {
                std::collections::hash_map::Entry::Occupied(e) => uf.union(*e.get(), i as u32),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i as u32);
                }
            }
        }
    }
    link_acronyms(names, &mut uf);

    // Persons, and speakers that name no organization or place. Names repeat across
    // documents, so each distinct name is parsed once.
    let mut by_surname: BTreeMap<String, Vec<(u32, Option<String>)>> = BTreeMap::new();
    let mut org_of: HashMap<u32, Option<u32>> = HashMap::default();
    let mut parsed: HashMap<u32, Option<PersonName>> = HashMap::default();
    for (i, node) in nodes.iter().enumerate() {
        match node.kind {
            NodeKind::Entity(EntityKind::Person) => {}
            NodeKind::Speaker => {
                let org = *org_of.entry(node.name).or_insert_with(|| {
                    let folded = fold_name(names.str(node.name));
                    key_kind.get(&folded).map(|kind| by_key[&(*kind, folded)])
                });
                if let Some(org) = org {
                    uf.union(org, i as u32);
                    continue;
                }
            }
            _ => continue,
        }
        let p = parsed
            .entry(node.name)
            .or_insert_with(|| person_name(names.str(node.name)));
        if let Some(p) = p {
            by_surname
                .entry(p.surname.clone())
                .or_default()
                .push((i as u32, p.given.clone()));
        }
    }
    drop((org_of, parsed));
    for list in by_surname.values() {
        link_persons(names, list, &mut uf);
    }

    read_out(names, &mut uf, by_key)
}

/// `EU` joins `European Union` when exactly one multi-word name of that kind has those
/// initials.
fn link_acronyms(names: &NameNodes, uf: &mut UnionFind) {
    let nodes = &names.nodes;
    let mut initials: BTreeMap<(EntityKind, String), BTreeSet<u32>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let NodeKind::Entity(kind @ (EntityKind::Org | EntityKind::Place)) = node.kind else {
            continue;
        };
        let ws: Vec<String> = words(names.str(node.name))
            .map(|w| w.to_lowercase())
            .filter(|w| !ACRONYM_SKIP.contains(&w.as_str()))
            .collect();
        if ws.len() >= 2 {
            let acronym: String = ws.iter().filter_map(|w| w.chars().next()).collect();
            initials
                .entry((kind, fold_word(&acronym)))
                .or_default()
                .insert(i as u32);
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        let NodeKind::Entity(kind @ (EntityKind::Org | EntityKind::Place)) = node.kind else {
            continue;
        };
        let name = names.str(node.name).trim();
        let letters = name.chars().filter(|c| c.is_alphabetic()).count();
        let is_acronym = (2..=6).contains(&letters)
            && name
                .chars()
                .all(|c| c.is_uppercase() || c == '.' || c == '&');
        if !is_acronym {
            continue;
        }
        if let Some(full) = initials.get(&(kind, fold_word(name))) {
            let roots: BTreeSet<u32> = full.iter().map(|&n| uf.find(n)).collect();
            if roots.len() == 1 {
                uf.union(*full.iter().next().unwrap_or(&(i as u32)), i as u32);
            }
        }
    }
}

/// Joins the persons who share a folded surname: equal or compatible given names, and
/// surname-only mentions where the full name they stand for is clear.
fn link_persons(names: &NameNodes, list: &[(u32, Option<String>)], uf: &mut UnionFind) {
    let nodes = &names.nodes;
    let mut by_given: BTreeMap<&str, u32> = BTreeMap::new();
    for (node, given) in list {
        if let Some(g) = given {
            match by_given.get(g.as_str()) {
                Some(&first) => uf.union(first, *node),
                None => {
                    by_given.insert(g, *node);
                }
            }
        }
    }
    // An initial or short form joins the one longer given name it fits, if only one fits.
    let givens: Vec<(&str, u32)> = by_given.iter().map(|(g, n)| (*g, *n)).collect();
    for &(g, node) in &givens {
        let fits: Vec<u32> = givens
            .iter()
            .filter(|(h, _)| h.len() > g.len() && given_compatible(g, h))
            .map(|&(_, n)| n)
            .collect();
        if fits.len() == 1 {
            uf.union(node, fits[0]);
        }
    }
    let full: Vec<u32> = list
        .iter()
        .filter(|(_, g)| g.is_some())
        .map(|(n, _)| *n)
        .collect();
    // A surname alone has a node of its own document; only those documents matter here.
    let lone_docs: HashSet<u32> = list
        .iter()
        .filter(|(_, g)| g.is_none())
        .map(|(n, _)| nodes[*n as usize].first())
        .collect();
    if lone_docs.is_empty() {
        return;
    }
    let mut full_by_doc: HashMap<u32, Vec<u32>> = HashMap::default();
    for &n in &full {
        for &d in &nodes[n as usize].docs {
            if lone_docs.contains(&d) {
                full_by_doc.entry(d).or_default().push(n);
            }
        }
    }
    let mut lone_root: Option<u32> = None;
    let mut dominant: Option<Option<u32>> = None;
    for (node, given) in list {
        if given.is_some() {
            continue;
        }
        // The document's own full name for this surname first, then the corpus's.
        let doc = nodes[*node as usize].first();
        let same_doc: BTreeSet<u32> = full_by_doc
            .get(&doc)
            .into_iter()
            .flatten()
            .map(|&n| uf.find(n))
            .collect();
        let target = if same_doc.len() == 1 {
            same_doc.into_iter().next()
        } else {
            match dominant {
                Some(d) => d,
                None => *dominant.insert(dominant_member(names, &full, uf)),
            }
        };
        match target.or(lone_root) {
            Some(t) => uf.union(t, *node),
            None => lone_root = Some(*node),
        }
    }
}

/// A member of the cluster among `full` that is named in at least twice as many documents
/// as any other (a member, not a root, so that it stays valid as clusters grow).
fn dominant_member(names: &NameNodes, full: &[u32], uf: &mut UnionFind) -> Option<u32> {
    let mut docs: BTreeMap<u32, (u32, Vec<u32>)> = BTreeMap::new();
    for &n in full {
        docs.entry(uf.find(n))
            .or_insert_with(|| (n, Vec::new()))
            .1
            .extend_from_slice(&names.nodes[n as usize].docs);
    }
    let mut counts: Vec<(usize, u32, u32)> = docs
        .into_iter()
        .map(|(root, (member, mut d))| {
            d.sort_unstable();
            d.dedup();
            (d.len(), root, member)
        })
        .collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    match counts.as_slice() {
        [] => None,
        [(_, _, only)] => Some(*only),
        [(best, _, member), (second, _, _), ..] => (*best >= 2 * *second).then_some(*member),
    }
}

fn kind_rank(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Org => 1,
        EntityKind::Place => 2,
        EntityKind::Date => 3,
    }
}

fn read_out(
    names: &NameNodes,
    uf: &mut UnionFind,
    by_key: HashMap<(EntityKind, String), u32>,
) -> Resolution {
    let nodes = &names.nodes;
    // Clusters numbered by their first node, so numbering follows input order.
    let mut root_cluster: HashMap<u32, u32> = HashMap::default();
    let mut members: Vec<Vec<u32>> = Vec::new();
    let mut node_cluster = Vec::with_capacity(nodes.len());
    for i in 0..nodes.len() as u32 {
        let root = uf.find(i);
        let c = *root_cluster.entry(root).or_insert_with(|| {
            members.push(Vec::new());
            (members.len() - 1) as u32
        });
        members[c as usize].push(i);
        node_cluster.push(c);
    }
    let mut clusters = Vec::with_capacity(members.len());
    let mut used_keys: HashMap<String, usize> = HashMap::default();
    for list in members {
        let mut kinds: BTreeMap<u8, (usize, EntityKind)> = BTreeMap::new();
        let mut forms: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        let mut variants: BTreeSet<String> = BTreeSet::new();
        let mut mentions = 0u64;
        let mut speaker_forms: BTreeMap<&str, usize> = BTreeMap::new();
        for &n in &list {
            let node = &nodes[n as usize];
            let name = names.str(node.name);
            match node.kind {
                NodeKind::Entity(kind) => {
                    kinds.entry(kind_rank(kind)).or_insert((0, kind)).0 += node.count as usize;
                    forms.entry(name).or_default().extend_from_slice(&node.docs);
                    variants.insert(name.to_string());
                    variants.extend(names.aliases(node).map(str::to_string));
                    mentions += node.mentions;
                }
                NodeKind::Speaker => *speaker_forms.entry(name).or_default() += node.count as usize,
            }
        }
        // Documents per form.
        let forms: BTreeMap<&str, usize> = forms
            .into_iter()
            .map(|(n, mut d)| {
                d.sort_unstable();
                d.dedup();
                (n, d.len())
            })
            .collect();
        // The kind most of its entities were given; ties go to the earlier kind.
        let kind = kinds
            .values()
            .max_by(|a, b| a.0.cmp(&b.0).then(kind_rank(b.1).cmp(&kind_rank(a.1))))
            .map(|(_, k)| *k);
        let name = if forms.is_empty() {
            speaker_forms
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(n, _)| n.to_string())
                .unwrap_or_default()
        } else {
            let is_person = kind == Some(EntityKind::Person);
            let full = |n: &str| is_person && person_name(n).is_some_and(|p| p.given.is_some());
            let scored: Vec<(bool, &str, usize)> =
                forms.iter().map(|(n, d)| (full(n), *n, *d)).collect();
            scored
                .into_iter()
                .max_by(|(fa, a, da), (fb, b, db)| {
                    let bare = |n: &str| !n.to_lowercase().starts_with("the ");
                    fa.cmp(fb)
                        .then(da.cmp(db))
                        .then(bare(a).cmp(&bare(b)))
                        .then(a.chars().count().cmp(&b.chars().count()))
                        .then(b.cmp(a))
                })
                .map(|(_, n, _)| n.to_string())
                .unwrap_or_default()
        };
        let base = plain_name(&name);
        let prefix = kind.map_or("speaker", |k| match k {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
            EntityKind::Date => "date",
        });
        let mut key = format!("{prefix}:{base}");
        let seen = used_keys.entry(key.clone()).or_insert(0);
        *seen += 1;
        if *seen > 1 {
            key = format!("{key}~{seen}");
        }
        clusters.push(Cluster {
            key,
            name,
            kind,
            variants: variants.into_iter().collect(),
            nodes: list
                .into_iter()
                .filter(|&n| matches!(nodes[n as usize].kind, NodeKind::Entity(_)))
                .collect(),
            mentions,
        });
    }
    let key_cluster = by_key
        .into_iter()
        .filter(|((_, k), _)| !k.starts_with('\u{1}'))
        .map(|((_, k), n)| (k, node_cluster[n as usize]))
        .collect();
    Resolution {
        node_cluster,
        clusters,
        key_cluster,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterations_fold_together() {
        for v in [
            "Zelenskyy",
            "Zelensky",
            "Zelenskiy",
            "Zelenskij",
            "Zelenskii",
        ] {
            assert_eq!(fold_word(v), "zelenski", "{v}");
        }
        assert_eq!(fold_word("Volodymyr"), fold_word("Wolodymyr"));
        assert_eq!(fold_word("Sergey"), fold_word("Sergei"));
        assert_eq!(fold_word("Müller"), fold_word("Muller"));
        assert_ne!(fold_word("Putin"), fold_word("Rutte"));
    }

    #[test]
    fn names_split_into_given_and_surname() {
        let p = person_name("President Donald J. Trump Jr.").unwrap();
        assert_eq!(p.surname, "trump");
        assert_eq!(p.given.as_deref(), Some("donald"));
        let p = person_name("von der Leyen").unwrap();
        assert_eq!((p.surname.as_str(), p.given), ("leien", None));
        let p = person_name("Ursula von der Leyen").unwrap();
        assert_eq!(p.given.as_deref(), Some("ursula"));
        assert_eq!(person_name("Witkoff").unwrap().given, None);
        assert_eq!(fold_subject("the Donetsk region"), "donetsk");
    }
}
