//! The `corroborate` corpus stage: groups the same quotation and the same person across
//! documents, and reports where documents disagree.
//!
//! [`Corroborate::observe`] keeps plain records of each document (quotes, claims, interned
//! names, entities) and never the document itself; the texts only output rows print wait in
//! a temporary file ([`texts`]). [`Corroborate::finish`] matches them with hash lookups and a
//! prefix-filtered similarity join, so time and memory grow with the records, not with the
//! square of their number. Memory grows by about a hundred megabytes per gigabyte of input
//! (see the README): corpora of many gigabytes belong on the Spark job, which groups quotes
//! by their key.

mod claims;
mod duplicates;
mod names;
mod outlets;
mod quotes;
mod strings;
mod tables;
mod texts;

use model::normalize::quote_key;
use model::{
    BuildContext, CorpusStage, Document, EntityKind, QuoteKind, StageError, StageOptions, Table,
};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use claims::ClaimRec;
use names::NameNodes;
use quotes::{Params, QuoteRec, Variants};
use strings::Interner;
use texts::{TextAt, TextFile};

pub use names::{fold_name, fold_word, person_name, PersonName};
pub use tables::{
    CORPUS_ENTITIES_COLUMNS, DISCREPANCIES_COLUMNS, QUOTE_GROUPS_COLUMNS,
    QUOTE_GROUP_MEMBERS_COLUMNS, TABLES,
};

/// Options of the `corroborate` stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorroborateOptions {
    /// Share of the shorter quote's words (in order) another quote must contain to be the
    /// same utterance.
    pub similarity: f64,
    /// Quotes with fewer words match only the same words of the same speaker, and never
    /// corroborate a group on their own.
    pub min_words: usize,
    /// Quotes this long attributed to different speakers by different documents are
    /// reported as a discrepancy.
    pub attribution_min_words: usize,
    /// Relative difference beyond which two claims' values disagree.
    pub claim_tolerance: f64,
    /// Words found in more quotes than this are not used to find candidate matches.
    pub max_block: usize,
    /// Report places in `corpus_entities` as well as people and organizations.
    pub include_places: bool,
    /// Estimated share of word 5-grams two documents must share to be near-duplicates
    /// (one source, listed in `duplicates`).
    pub duplicate_similarity: f64,
    /// Days between two documents' dates beyond which their differing figures are a change
    /// over time rather than a conflict.
    pub change_days: u32,
}

impl Default for CorroborateOptions {
    fn default() -> Self {
        CorroborateOptions {
            similarity: 0.8,
            min_words: 4,
            attribution_min_words: 8,
            claim_tolerance: 0.02,
            max_block: 2000,
            include_places: true,
            duplicate_similarity: 0.5,
            change_days: 45,
        }
    }
}

impl StageOptions for CorroborateOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            ("similarity", "share (0-1] of the shorter quote's words, in order, another quote must contain to be the same utterance"),
            ("min_words", "quotes with fewer words group only with the same words of the same speaker and never count as corroboration"),
            ("attribution_min_words", "quotes at least this long attributed to different speakers by different documents are a discrepancy"),
            ("claim_tolerance", "relative difference beyond which two values on the same subject and unit disagree"),
            ("max_block", "words found in more quotes than this are not used to find candidate matches (bounds time on huge corpora)"),
            ("include_places", "list places in corpus_entities as well as people and organizations"),
            ("duplicate_similarity", "estimated share (0-1] of word 5-grams two documents must share to be near-duplicates: one source, listed in duplicates"),
            ("change_days", "days between two documents' dates beyond which differing figures are a change over time, not a conflict"),
        ]
    }
}

/// Refuses options no run could use.
fn check(o: &CorroborateOptions) -> Result<(), String> {
    let share = |v: f64| v > 0.0 && v <= 1.0;
    if !share(o.similarity) || !share(o.duplicate_similarity) {
        let (s, d) = (o.similarity, o.duplicate_similarity);
        return Err(format!(
            "similarity ({s}) and duplicate_similarity ({d}) must be in (0, 1]"
        ));
    }
    if o.min_words == 0 || o.attribution_min_words == 0 || o.max_block == 0 {
        return Err("min_words, attribution_min_words and max_block must be at least 1".into());
    }
    if !(o.claim_tolerance >= 0.0 && o.claim_tolerance.is_finite()) {
        let t = o.claim_tolerance;
        return Err(format!(
            "claim_tolerance must be a non-negative number, got {t}"
        ));
    }
    Ok(())
}

/// What is kept of each document that passed the per-document stages.
struct DocRec {
    id: Box<str>,
    /// Interned outlet.
    outlet: Option<u32>,
    /// Its first quote, and where the quotes' records start in the text file.
    first_quote: u32,
    quotes_at: TextAt,
    quotes_end: TextAt,
}

/// Days from the common era of a document's date.
fn days(date: Option<chrono::NaiveDate>) -> Option<i32> {
    use chrono::Datelike;
    date.map(|d| d.num_days_from_ce())
}

/// The corpus stage: see the crate documentation.
pub struct Corroborate {
    options: CorroborateOptions,
    docs: Vec<DocRec>,
    /// Outlets, claims' units, subjects and qualifiers.
    strings: Interner,
    /// Quote ids and texts, claim texts.
    texts: TextFile,
    quotes: Vec<QuoteRec>,
    variants: Variants,
    names: NameNodes,
    claims: Vec<ClaimRec>,
    outlets: outlets::Outlets,
    /// Each document's MinHash signature, to find near-duplicates.
    signatures: Vec<Option<duplicates::Signature>>,
}

impl Corroborate {
    pub const NAME: &'static str = "corroborate";

    pub fn new(options: CorroborateOptions, _ctx: &BuildContext) -> Result<Self, StageError> {
        check(&options).map_err(|e| StageError::new(format!("corroborate: {e}")))?;
        let outlets = outlets::Outlets::embedded()
            .map_err(|e| StageError::new(format!("corroborate: {e}")))?;
        Ok(Corroborate {
            options,
            docs: Vec::new(),
            strings: Interner::default(),
            texts: TextFile::default(),
            quotes: Vec::new(),
            variants: Variants::default(),
            names: NameNodes::default(),
            claims: Vec::new(),
            outlets,
            signatures: Vec::new(),
        })
    }

    /// What the stage needs from earlier stages.
    pub fn needs() -> &'static [model::Capability] {
        &[
            model::Capability::Quotes,
            model::Capability::Entities,
            model::Capability::Claims,
        ]
    }

    /// What the stage provides.
    pub fn provides() -> &'static [model::Capability] {
        &[model::Capability::Corroboration]
    }

    fn observe_entities(&mut self, d: u32, doc: &Document) {
        for e in &doc.entities {
            // Places are kept even when not listed: claims' subjects are matched to them.
            if e.kind == EntityKind::Date || e.name.trim().is_empty() {
                continue;
            }
            self.names.add_entity(
                d,
                e.kind,
                e.name.trim(),
                e.aliases.iter().map(|a| a.trim()),
                e.key.as_str(),
                e.mentions as u32,
            );
        }
    }

    fn observe_quotes(&mut self, d: u32, doc: &Document) {
        let mut speakers: FxHashMap<&str, u32> = FxHashMap::default();
        for q in doc.quotes.iter().filter(|q| q.kind.is_speech()) {
            // The quotes stage fills `key` with the same function; compute it only if absent.
            let computed;
            let key = if q.key.is_empty() {
                computed = quote_key(&q.text);
                &computed
            } else {
                &q.key
            };
            if key.is_empty() {
                continue;
            }
            let speaker = q
                .speaker
                .as_deref()
                .map(str::trim)
                .filter(|s| names_someone(s))
                .map(|s| {
                    *speakers
                        .entry(s)
                        .or_insert_with(|| self.names.add_speaker(d, s))
                });
            self.quotes.push(QuoteRec {
                doc: d,
                variant: self.variants.intern(key),
                speaker,
                partial: q.kind == QuoteKind::Partial,
                named_at_cue: named_at_cue(q),
            });
            let mention = q.speaker_mention.as_deref().unwrap_or_default();
            let cue = q.cue.as_deref().unwrap_or_default();
            self.texts
                .push(&[q.id.as_str(), q.text.trim(), mention, cue]);
        }
    }

    fn observe_claims(&mut self, d: u32, doc: &Document) {
        let date = days(doc.meta.published);
        for c in &doc.claims {
            let Some(subject) = c.subject.as_deref().map(str::trim) else {
                continue;
            };
            if subject.is_empty() || !c.value.is_finite() {
                continue;
            }
            self.claims.push(ClaimRec {
                doc: d,
                value: c.value,
                unit: self.strings.intern(&claims::unit_class(&c.unit, &c.text)),
                subject: self.strings.intern(subject),
                qualifier: c.qualifier.as_deref().map(|q| self.strings.intern(q)),
                date,
                text: (self.texts.push(&[c.text.trim()]), self.texts.position()),
            });
        }
    }
}

impl CorpusStage for Corroborate {
    fn observe(&mut self, doc: &Document) {
        if !doc.is_ok() {
            return;
        }
        let d = self.docs.len() as u32;
        let outlet = self
            .outlets
            .identify(doc.meta.outlet.as_deref(), doc.meta.url.as_deref());
        self.signatures.push(duplicates::signature(doc.text()));
        self.docs.push(DocRec {
            id: doc.id.as_str().into(),
            outlet: outlet.map(|o| self.strings.intern(&o)),
            first_quote: self.quotes.len() as u32,
            quotes_at: self.texts.position(),
            quotes_end: self.texts.position(),
        });
        self.observe_entities(d, doc);
        self.observe_quotes(d, doc);
        if let Some(rec) = self.docs.last_mut() {
            rec.quotes_end = self.texts.position();
        }
        self.observe_claims(d, doc);
    }

    fn finish(&mut self) -> Result<Vec<Table>, StageError> {
        let error = |e: String| StageError::new(format!("corroborate: {e}"));
        let texts = std::mem::take(&mut self.texts)
            .into_reader()
            .map_err(error)?;
        let (tokens, n_words) = std::mem::take(&mut self.variants).into_tokens();
        let names = std::mem::take(&mut self.names);
        let resolution = names::resolve(&names);
        let params = Params {
            similarity: self.options.similarity,
            min_words: self.options.min_words,
            attribution_min_words: self.options.attribution_min_words,
            max_block: self.options.max_block,
        };
        let matched = quotes::match_text(&tokens, n_words, &params);
        // Speakers' names as persons, to tell a surname alone from a full name.
        let speaker_names: Vec<Option<PersonName>> = resolution
            .clusters
            .iter()
            .map(|c| match c.kind {
                Some(EntityKind::Person) | None => person_name(&c.name),
                Some(_) => None,
            })
            .collect();
        let speakers = quotes::Speakers {
            quotes: &self.quotes,
            node_cluster: &resolution.node_cluster,
            names: &speaker_names,
        };
        let grouped = quotes::group(speakers, &tokens, matched, &params);
        let duplicates = duplicates::find(
            &std::mem::take(&mut self.signatures),
            self.options.duplicate_similarity,
        );
        let sources = Sources::new(&self.docs, &self.strings, &duplicates);
        let conflicts = claims::conflicts(
            &self.claims,
            &self.strings,
            |subject| {
                let folded = names::fold_subject(subject);
                match resolution.place_or_org(&folded) {
                    Some(c) => format!("\u{1}{c}"),
                    None => folded,
                }
            },
            |d| sources.of(d),
            claims::Rules {
                tolerance: self.options.claim_tolerance,
                change_days: self.options.change_days.min(i32::MAX as u32) as i32,
            },
        );
        let out = tables::Output {
            docs: &self.docs,
            sources: &sources,
            strings: &self.strings,
            texts: &texts,
            quotes: &self.quotes,
            tokens: &tokens,
            names: &names,
            resolution: &resolution,
            claims: &self.claims,
            min_words: self.options.min_words,
        };
        let tables = out.write(
            &grouped,
            &conflicts,
            &duplicates,
            self.options.include_places,
        );
        let tables = tables.map_err(|e| StageError::new(format!("corroborate: {e}")))?;
        self.docs = Vec::new();
        self.quotes = Vec::new();
        self.claims = Vec::new();
        Ok(tables)
    }
}

/// The independent source of each document: documents of one outlet (compared folded) are
/// one source, as are documents without an outlet that have the same id, and near-duplicate
/// texts (a syndicated copy, the same page saved twice). Sources are only compared and
/// counted, never printed.
struct Sources {
    /// The first document of each document's source.
    first: Vec<u32>,
}

impl Sources {
    fn new(docs: &[DocRec], strings: &Interner, duplicates: &[duplicates::Duplicate]) -> Sources {
        let mut sources = quotes::UnionFind::new(docs.len());
        let mut first_of_outlet: FxHashMap<String, u32> = FxHashMap::default();
        let mut first_with_id: FxHashMap<&str, u32> = FxHashMap::default();
        for (d, doc) in docs.iter().enumerate() {
            let first = match doc.outlet {
                Some(outlet) => *first_of_outlet
                    .entry(names::fold_name(strings.get(outlet)))
                    .or_insert(d as u32),
                None => *first_with_id.entry(&doc.id).or_insert(d as u32),
            };
            sources.union(first, d as u32);
        }
        for dup in duplicates {
            sources.union(dup.of, dup.doc);
        }
        let first = (0..docs.len() as u32).map(|d| sources.find(d)).collect();
        Sources { first }
    }

    fn of(&self, d: u32) -> u32 {
        self.first[d as usize]
    }
}

/// Whether the quote's speaker is named where the quote is (`Witkoff said`), rather than
/// resolved from a pronoun or a description (`he said`, `the envoy said`): only such
/// attributions can contradict each other. A quote without a recorded mention counts as
/// named.
fn named_at_cue(q: &model::Quote) -> bool {
    const PRONOUNS: &[&str] = &[
        "he", "she", "they", "him", "her", "his", "them", "it", "we", "i", "you",
    ];
    let Some(mention) = q.speaker_mention.as_deref().map(str::trim) else {
        return true;
    };
    let pronoun = PRONOUNS.contains(&mention.to_lowercase().as_str());
    let described = matches!(
        q.speaker_kind,
        Some(model::SpeakerKind::Described | model::SpeakerKind::Unknown)
    );
    !pronoun && !described && names_someone(mention)
}

/// Whether a speaker string names someone (`Steve Witkoff`, `the White House`) rather than
/// describing them (`officials`, `the envoy`): a description cannot be matched across
/// documents, so such a quote is treated as unattributed.
fn names_someone(speaker: &str) -> bool {
    speaker
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        // Capitalized, or in a script without case.
        .any(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()))
}
