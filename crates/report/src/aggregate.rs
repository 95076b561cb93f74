//! What the report keeps while documents stream past: counts and small bounded tables, never
//! a document. Only the first `max_documents` documents are kept, as the few fields the
//! document list shows.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use model::{Document, EntityKind, Quote, SpeakerKind};

/// Distinct speakers tracked before the least-quoted are dropped (the count is then a floor).
const MAX_SPEAKERS: usize = 100_000;
/// Distinct people and organizations tracked for co-mentions.
const MAX_NAMES: usize = 200_000;
/// Distinct co-mentioned pairs tracked before the rarest are dropped.
const MAX_PAIRS: usize = 400_000;
/// People and organizations of one document paired with each other: the most mentioned ones,
/// so a long list of names costs a bounded number of pairs.
const NAMES_PER_DOCUMENT: usize = 12;
/// Spellings of one speaker's name kept to choose the most common.
const NAME_VARIANTS: usize = 4;

/// The forms a value takes (a name's spellings, a person's roles), with how often, up to
/// `NAME_VARIANTS` of them.
#[derive(Debug, Default)]
struct Tally(Vec<(String, u64)>);

impl Tally {
    /// Counts `form`; forms that differ only in case are one, spelled as first seen.
    fn add(&mut self, form: &str) {
        let variants = self.0.len();
        match self
            .0
            .iter_mut()
            .find(|(f, _)| f.to_lowercase() == form.to_lowercase())
        {
            Some((_, seen)) => *seen += 1,
            None if variants < NAME_VARIANTS => self.0.push((form.to_string(), 1)),
            None => {}
        }
    }

    /// The most used form (the longer one on a tie: the fuller name).
    fn best(&self) -> Option<&str> {
        self.0
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(a.0.len().cmp(&b.0.len())))
            .map(|(form, _)| form.as_str())
    }
}

/// One quoted speaker across the corpus.
#[derive(Debug, Default)]
pub struct Speaker {
    names: Tally,
    /// Roles the documents give the speaker, counted once per document.
    roles: Tally,
    pub kind: Option<EntityKind>,
    /// What the quotes stage called the speaker (person, organization, described…), first seen.
    pub speaker_kind: Option<SpeakerKind>,
    pub quotes: u64,
    pub documents: u64,
    /// Named outlets (interned), sorted.
    outlets: Vec<u32>,
    /// Documents without an outlet: each counts as an outlet of its own, as in `corroborate`.
    unnamed_outlet_documents: u64,
    last_document: Option<u64>,
}

impl Speaker {
    /// The most used spelling.
    pub fn name(&self) -> &str {
        self.names.best().unwrap_or("")
    }

    /// Every spelling seen (up to a few).
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        self.names.0.iter().map(|(name, _)| name.as_str())
    }

    /// The role most documents give.
    pub fn role(&self) -> Option<&str> {
        self.roles.best()
    }

    /// Outlets that quote this speaker.
    pub fn outlets(&self) -> u64 {
        self.outlets.len() as u64 + self.unnamed_outlet_documents
    }
}

/// A quote as the document list shows it.
#[derive(Debug)]
pub struct ListedQuote {
    pub text: String,
    pub speaker: Option<String>,
    /// The key of the speaker's row, when the quote has a speaker.
    pub speaker_key: Option<String>,
    pub partial: bool,
    /// A later part of a quote split by its cue.
    pub continues: bool,
}

/// A document as the document list shows it.
#[derive(Debug)]
pub struct ListedDocument {
    pub index: u64,
    pub id: String,
    pub source: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<NaiveDate>,
    pub authors: Vec<String>,
    /// `(stage, message)` of a failed document.
    pub failure: Option<(String, String)>,
    pub quotes: Vec<ListedQuote>,
}

/// A person or organization named in the corpus, for co-mentions.
#[derive(Debug)]
pub struct Name {
    /// The same key a speaker of this name has.
    pub key: String,
    pub name: String,
    pub kind: EntityKind,
    pub documents: u64,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Day {
    pub documents: u64,
    pub quotes: u64,
}

/// Everything the report learns from the documents themselves.
#[derive(Debug, Default)]
pub struct Corpus {
    pub documents: u64,
    pub failed: u64,
    pub quotes: u64,
    outlet_ids: HashMap<String, u32>,
    /// Named outlets and their documents, by interned id.
    pub outlets: Vec<(String, u64)>,
    pub documents_without_outlet: u64,
    pub days: BTreeMap<NaiveDate, Day>,
    pub undated_documents: u64,
    pub speakers: HashMap<String, Speaker>,
    /// Some rarely quoted speakers were dropped to bound memory.
    pub speakers_pruned: bool,
    name_ids: HashMap<String, u32>,
    pub names: Vec<Name>,
    pub pairs: HashMap<(u32, u32), u64>,
    /// Some names or rare pairs were not counted to bound memory.
    pub pairs_pruned: bool,
    pub listed: Vec<ListedDocument>,
    max_listed: usize,
    /// `(source, stage, message)` of the first failed documents.
    pub failures: Vec<(String, String, String)>,
    max_failures: usize,
}

/// The outlet a document names: its `outlet`, else its URL's host.
pub fn outlet_of(doc: &Document) -> Option<String> {
    let named = doc.meta.outlet.as_deref().map(str::trim);
    if let Some(outlet) = named.filter(|o| !o.is_empty()) {
        return Some(outlet.to_string());
    }
    let url = doc.meta.url.as_deref()?;
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.trim_start_matches("www.");
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The key that makes spellings of one speaker one row: the key of the document's entity
/// of that name (which folds case, accents and transliteration), else the name folded.
fn speaker_key<'d>(doc: &'d Document, speaker: &str) -> (String, Option<&'d model::Entity>) {
    let entity = doc
        .entities
        .iter()
        .find(|e| e.name == speaker || e.aliases.iter().any(|a| a == speaker));
    match entity {
        Some(e) => (format!("{}:{}", e.kind.as_str(), e.key), Some(e)),
        None => (format!("speaker:{}", speaker.to_lowercase()), None),
    }
}

impl Corpus {
    pub fn new(max_listed: usize, max_failures: usize) -> Self {
        Corpus {
            max_listed,
            max_failures,
            ..Default::default()
        }
    }

    pub fn observe(&mut self, doc: &Document) {
        let index = self.documents;
        self.documents += 1;
        if !doc.is_ok() {
            self.failed += 1;
            if self.failures.len() < self.max_failures {
                let (stage, message) = doc
                    .failure
                    .as_ref()
                    .map_or_else(Default::default, |f| (f.stage.clone(), f.message.clone()));
                self.failures.push((doc.source.clone(), stage, message));
            }
        }
        // A failed document says nothing of its outlet; it is counted under failures only.
        let outlet = outlet_of(doc).map(|o| self.intern_outlet(o));
        if outlet.is_none() && doc.is_ok() {
            self.documents_without_outlet += 1;
        }
        let speech: Vec<&Quote> = doc.quotes.iter().filter(|q| q.kind.is_speech()).collect();
        let quotes = speech.iter().filter(|q| q.continues.is_none()).count() as u64;
        self.quotes += quotes;
        if doc.is_ok() {
            match doc.meta.published {
                Some(date) => {
                    let day = self.days.entry(date).or_default();
                    day.documents += 1;
                    day.quotes += quotes;
                }
                None => self.undated_documents += 1,
            }
        }
        for quote in speech.iter().filter(|q| q.continues.is_none()) {
            if let Some(speaker) = quote.speaker.as_deref() {
                self.count_speaker(doc, (speaker, quote.speaker_kind), index, outlet);
            }
        }
        self.count_pairs(doc);
        if self.listed.len() < self.max_listed {
            self.listed.push(listed(doc, index, &speech));
        }
    }

    fn intern_outlet(&mut self, outlet: String) -> u32 {
        if let Some(&id) = self.outlet_ids.get(&outlet) {
            self.outlets[id as usize].1 += 1;
            return id;
        }
        let id = self.outlets.len() as u32;
        self.outlet_ids.insert(outlet.clone(), id);
        self.outlets.push((outlet, 1));
        id
    }

    fn count_speaker(
        &mut self,
        doc: &Document,
        (name, kind): (&str, Option<SpeakerKind>),
        index: u64,
        outlet: Option<u32>,
    ) {
        let (key, entity) = speaker_key(doc, name);
        let speaker = self.speakers.entry(key).or_default();
        speaker.quotes += 1;
        if let Some(kind) = kind {
            speaker.speaker_kind.get_or_insert(kind);
        }
        speaker.names.add(name);
        if let Some(entity) = entity {
            speaker.kind.get_or_insert(entity.kind);
        }
        if speaker.last_document != Some(index) {
            speaker.last_document = Some(index);
            speaker.documents += 1;
            if let Some(role) = entity.and_then(|e| e.role.as_deref()) {
                speaker.roles.add(role);
            }
            match outlet {
                Some(id) => {
                    if let Err(at) = speaker.outlets.binary_search(&id) {
                        speaker.outlets.insert(at, id);
                    }
                }
                None => speaker.unnamed_outlet_documents += 1,
            }
        }
        if self.speakers.len() > MAX_SPEAKERS {
            prune(&mut self.speakers, |s| s.quotes, MAX_SPEAKERS / 2);
            self.speakers_pruned = true;
        }
    }

    /// Counts each pair of people and organizations that one document names.
    fn count_pairs(&mut self, doc: &Document) {
        let mut named: Vec<&model::Entity> = doc
            .entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::Person | EntityKind::Org))
            .collect();
        named.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.id.cmp(&b.id)));
        let mut ids: Vec<u32> = Vec::with_capacity(NAMES_PER_DOCUMENT);
        for entity in named {
            if ids.len() == NAMES_PER_DOCUMENT {
                break;
            }
            if let Some(id) = self.intern_name(entity) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        for &id in &ids {
            self.names[id as usize].documents += 1;
        }
        ids.sort_unstable();
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                *self.pairs.entry((a, b)).or_default() += 1;
            }
        }
        if self.pairs.len() > MAX_PAIRS {
            prune(&mut self.pairs, |n| *n, MAX_PAIRS / 2);
            self.pairs_pruned = true;
        }
    }

    fn intern_name(&mut self, entity: &model::Entity) -> Option<u32> {
        let key = format!("{}:{}", entity.kind.as_str(), entity.key);
        if let Some(&id) = self.name_ids.get(&key) {
            return Some(id);
        }
        if self.names.len() >= MAX_NAMES {
            self.pairs_pruned = true;
            return None;
        }
        let id = self.names.len() as u32;
        self.name_ids.insert(key.clone(), id);
        self.names.push(Name {
            key,
            name: entity.name.clone(),
            kind: entity.kind,
            documents: 0,
        });
        Some(id)
    }
}

fn listed(doc: &Document, index: u64, speech: &[&Quote]) -> ListedDocument {
    let quotes = speech
        .iter()
        .map(|q| ListedQuote {
            text: q.text.clone(),
            speaker: q.speaker.clone(),
            speaker_key: q.speaker.as_deref().map(|s| speaker_key(doc, s).0),
            partial: q.kind == model::QuoteKind::Partial,
            continues: q.continues.is_some(),
        })
        .collect();
    ListedDocument {
        index,
        id: doc.id.clone(),
        source: doc.source.clone(),
        title: doc.meta.title.clone(),
        outlet: outlet_of(doc),
        published: doc.meta.published,
        authors: doc.meta.authors.clone(),
        failure: doc
            .failure
            .as_ref()
            .map(|f| (f.stage.clone(), f.message.clone())),
        quotes,
    }
}

/// Keeps the `keep` entries with the highest counts (fewer when counts tie at the cut).
fn prune<K, V>(map: &mut HashMap<K, V>, count: impl Fn(&V) -> u64, keep: usize) {
    let mut counts: Vec<u64> = map.values().map(&count).collect();
    if counts.len() <= keep {
        return;
    }
    let cut = counts.len() - keep - 1;
    let (_, &mut threshold, _) = counts.select_nth_unstable(cut);
    map.retain(|_, v| count(v) > threshold);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_keeps_the_most_counted() {
        let mut map: HashMap<u32, u64> = (0..10).map(|i| (i, u64::from(i))).collect();
        prune(&mut map, |n| *n, 3);
        let mut kept: Vec<u32> = map.into_keys().collect();
        kept.sort();
        assert_eq!(kept, [7, 8, 9]);
    }

    #[test]
    fn an_outlet_is_named_or_read_from_the_url() {
        let mut doc = Document::new("d", "a.txt", String::new());
        assert_eq!(outlet_of(&doc), None);
        doc.meta.url = Some("https://www.Example.org:443/news/1?x=y".into());
        assert_eq!(outlet_of(&doc).as_deref(), Some("example.org"));
        doc.meta.outlet = Some("The Daily Ledger".into());
        assert_eq!(outlet_of(&doc).as_deref(), Some("The Daily Ledger"));
    }
}
