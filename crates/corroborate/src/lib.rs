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
mod names;
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
        ]
    }
}

/// What is kept of each document that passed the per-document stages.
struct DocRec {
    id: Box<str>,
    /// Interned outlet.
    outlet: Option<u32>,
    /// Its first quote, and where the quotes' ids and texts start in the text file.
    first_quote: u32,
    quotes_at: TextAt,
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
}

impl Corroborate {
    pub const NAME: &'static str = "corroborate";
    pub const DESCRIPTION: &'static str =
        "groups the same quote and the same person across documents and reports where outlets disagree";

    pub fn new(options: CorroborateOptions, _ctx: &BuildContext) -> Result<Self, StageError> {
        if !(options.similarity > 0.0 && options.similarity <= 1.0) {
            return Err(StageError::new(format!(
                "corroborate: similarity must be in (0, 1], got {}",
                options.similarity
            )));
        }
        if options.min_words == 0 || options.attribution_min_words == 0 {
            return Err(StageError::new(
                "corroborate: min_words and attribution_min_words must be at least 1",
            ));
        }
        if !(options.claim_tolerance >= 0.0 && options.claim_tolerance.is_finite()) {
            return Err(StageError::new(format!(
                "corroborate: claim_tolerance must be a non-negative number, got {}",
                options.claim_tolerance
            )));
        }
        if options.max_block == 0 {
            return Err(StageError::new("corroborate: max_block must be at least 1"));
        }
        Ok(Corroborate {
            options,
            docs: Vec::new(),
            strings: Interner::default(),
            texts: TextFile::default(),
            quotes: Vec::new(),
            variants: Variants::default(),
            names: NameNodes::default(),
            claims: Vec::new(),
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
            });
            self.texts.push(&[q.id.as_str(), q.text.trim()]);
        }
    }

    fn observe_claims(&mut self, d: u32, doc: &Document) {
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
                unit: self.strings.intern(c.unit.as_str()),
                subject: self.strings.intern(subject),
                qualifier: c.qualifier.as_deref().map(|q| self.strings.intern(q)),
                text: self.texts.push(&[c.text.trim()]),
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
        let outlet = doc.meta.outlet.as_deref().map(str::trim);
        let outlet = outlet.filter(|o| !o.is_empty());
        self.docs.push(DocRec {
            id: doc.id.as_str().into(),
            outlet: outlet.map(|o| self.strings.intern(o)),
            first_quote: self.quotes.len() as u32,
            quotes_at: self.texts.position(),
        });
        self.observe_entities(d, doc);
        self.observe_quotes(d, doc);
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
        let sources = Sources::new(&self.docs, &self.strings);
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
            |d| sources.of(d, &self.docs),
            self.options.claim_tolerance,
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
        let tables = out.write(&grouped, &conflicts, self.options.include_places);
        let tables = tables.map_err(|e| StageError::new(format!("corroborate: {e}")))?;
        self.docs = Vec::new();
        self.quotes = Vec::new();
        self.claims = Vec::new();
        Ok(tables)
    }
}

/// The source of each document: a document with an outlet is of its outlet (compared
/// folded); one without is its own source, documents with the same id being one. Sources are
/// only compared and counted, never printed.
struct Sources {
    /// Folded outlet of each outlet string.
    outlet_class: FxHashMap<u32, u32>,
    classes: u32,
    /// A document without an outlet whose id an earlier one of those has: that document.
    same_id: FxHashMap<u32, u32>,
}

impl Sources {
    fn new(docs: &[DocRec], strings: &Interner) -> Sources {
        let mut outlet_class = FxHashMap::default();
        let mut by_folded: FxHashMap<String, u32> = FxHashMap::default();
        let mut first_with_id: FxHashMap<&str, u32> = FxHashMap::default();
        let mut same_id = FxHashMap::default();
        for (d, doc) in docs.iter().enumerate() {
            match doc.outlet {
                Some(outlet) => {
                    outlet_class.entry(outlet).or_insert_with(|| {
                        let next = by_folded.len() as u32;
                        let folded = names::fold_name(strings.get(outlet));
                        *by_folded.entry(folded).or_insert(next)
                    });
                }
                None => {
                    let first = *first_with_id.entry(&doc.id).or_insert(d as u32);
                    if first != d as u32 {
                        same_id.insert(d as u32, first);
                    }
                }
            }
        }
        Sources {
            outlet_class,
            classes: by_folded.len() as u32,
            same_id,
        }
    }

    fn of(&self, d: u32, docs: &[DocRec]) -> u64 {
        match docs[d as usize].outlet {
            None => u64::from(self.classes) + u64::from(self.same_id.get(&d).copied().unwrap_or(d)),
            Some(outlet) => u64::from(self.outlet_class[&outlet]),
        }
    }
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
