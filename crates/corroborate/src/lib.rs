//! The `corroborate` corpus stage: groups the same quotation and the same person across
//! documents, and reports where documents disagree.
//!
//! [`Corroborate::observe`] keeps compact records of each document (quote ids, texts and
//! word ids, entity names, claims with a subject) and never the document itself;
//! [`Corroborate::finish`] matches them with hash lookups and a prefix-filtered similarity
//! join, so time and memory grow with the records, not with the square of their number.

mod claims;
mod names;
mod quotes;
mod unionfind;

use std::collections::{BTreeSet, HashMap};

use model::normalize::quote_key;
use model::{
    BuildContext, CorpusStage, Document, EntityKind, QuoteKind, StageError, StageOptions, Table,
};
use serde::{Deserialize, Serialize};

use claims::ClaimRec;
use names::{NameNode, NodeKind};
use quotes::{QuoteRec, Variants, Wording};

pub use names::{fold_name, fold_word, person_name, PersonName};

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

#[derive(Debug, Clone)]
struct DocRec {
    id: Box<str>,
    outlet: Option<Box<str>>,
    source: u32,
}

/// The corpus stage: see the crate documentation.
pub struct Corroborate {
    options: CorroborateOptions,
    docs: Vec<DocRec>,
    sources: HashMap<String, u32>,
    quotes: Vec<QuoteRec>,
    variants: Variants,
    nodes: Vec<NameNode>,
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
            sources: HashMap::new(),
            quotes: Vec::new(),
            variants: Variants::default(),
            nodes: Vec::new(),
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
}

impl CorpusStage for Corroborate {
    fn observe(&mut self, doc: &Document) {
        if !doc.is_ok() {
            return;
        }
        let d = self.docs.len() as u32;
        let outlet = doc
            .meta
            .outlet
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty());
        // Without an outlet each document is its own source.
        let source_key = match outlet {
            Some(o) => format!("outlet:{}", names::fold_name(o)),
            None => format!("doc:{}", doc.id),
        };
        let next = self.sources.len() as u32;
        let source = *self.sources.entry(source_key).or_insert(next);
        self.docs.push(DocRec {
            id: doc.id.as_str().into(),
            outlet: outlet.map(Into::into),
            source,
        });

        for e in &doc.entities {
            // Places are kept even when not listed: claims' subjects are matched to them.
            if e.kind == EntityKind::Date || e.name.trim().is_empty() {
                continue;
            }
            self.nodes.push(NameNode {
                kind: NodeKind::Entity(e.kind),
                doc: d,
                name: e.name.trim().into(),
                aliases: e.aliases.iter().map(|a| a.trim().into()).collect(),
                ext_key: e.key.as_str().into(),
                mentions: e.mentions as u32,
            });
        }

        let mut speakers: HashMap<&str, u32> = HashMap::new();
        for q in &doc.quotes {
            if !q.kind.is_speech() {
                continue;
            }
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
                    *speakers.entry(s).or_insert_with(|| {
                        self.nodes.push(NameNode {
                            kind: NodeKind::Speaker,
                            doc: d,
                            name: s.into(),
                            aliases: Box::new([]),
                            ext_key: "".into(),
                            mentions: 0,
                        });
                        (self.nodes.len() - 1) as u32
                    })
                });
            let variant = self.variants.intern(key);
            self.quotes.push(QuoteRec {
                doc: d,
                id: q.id.as_str().into(),
                text: q.text.trim().into(),
                partial: q.kind == QuoteKind::Partial,
                speaker,
                variant,
            });
        }

        for c in &doc.claims {
            let Some(subject) = c.subject.as_deref().map(str::trim) else {
                continue;
            };
            if subject.is_empty() || !c.value.is_finite() {
                continue;
            }
            self.claims.push(ClaimRec {
                doc: d,
                text: c.text.trim().into(),
                value: c.value,
                unit: c.unit.as_str().into(),
                subject: subject.into(),
                qualifier: c.qualifier.as_deref().map(Into::into),
            });
        }
    }

    fn finish(&mut self) -> Result<Vec<Table>, StageError> {
        let docs = std::mem::take(&mut self.docs);
        let quotes = std::mem::take(&mut self.quotes);
        let variants = std::mem::take(&mut self.variants);
        let nodes = std::mem::take(&mut self.nodes);
        let claims = std::mem::take(&mut self.claims);
        self.sources.clear();

        let resolution = names::resolve(&nodes);
        let speakers: Vec<Option<u32>> = quotes
            .iter()
            .map(|q| q.speaker.map(|n| resolution.node_cluster[n as usize]))
            .collect();
        let params = quotes::Params {
            similarity: self.options.similarity,
            min_words: self.options.min_words,
            attribution_min_words: self.options.attribution_min_words,
            max_block: self.options.max_block,
        };
        // Speakers' names as persons, to tell a surname alone from a full name.
        let speaker_names: Vec<Option<PersonName>> = resolution
            .clusters
            .iter()
            .map(|c| match c.kind {
                Some(EntityKind::Person) | None => person_name(&c.name),
                Some(_) => None,
            })
            .collect();
        let (groups, misattributions) = quotes::group(
            &quotes,
            &speakers,
            &speaker_names,
            &variants.tokens,
            variants.word_count(),
            &params,
        );
        let conflicts = claims::conflicts(
            &claims,
            |subject| {
                let folded = names::fold_subject(subject);
                match resolution.place_or_org(&folded) {
                    Some(c) => format!("\u{1}{c}"),
                    None => folded,
                }
            },
            |d| docs[d as usize].source,
            self.options.claim_tolerance,
        );

        let out = Output {
            docs: &docs,
            quotes: &quotes,
            tokens: &variants.tokens,
            nodes: &nodes,
            resolution: &resolution,
            min_words: self.options.min_words,
        };
        Ok(vec![
            out.quote_groups(&groups),
            out.quote_group_members(&groups),
            out.corpus_entities(self.options.include_places),
            out.discrepancies(&misattributions, &conflicts, &claims),
        ])
    }
}

struct Output<'a> {
    docs: &'a [DocRec],
    quotes: &'a [QuoteRec],
    tokens: &'a [Box<[u32]>],
    nodes: &'a [NameNode],
    resolution: &'a names::Resolution,
    min_words: usize,
}

fn table(name: &str, columns: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table {
        name: name.to_string(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
    }
}

fn group_id(i: usize) -> String {
    format!("g{}", i + 1)
}

impl Output<'_> {
    fn doc_id(&self, d: u32) -> &str {
        &self.docs[d as usize].id
    }

    fn speaker_name(&self, cluster: Option<u32>) -> (&str, &str) {
        match cluster {
            Some(c) => {
                let c = &self.resolution.clusters[c as usize];
                (&c.name, &c.key)
            }
            None => ("", ""),
        }
    }

    fn quote_groups(&self, groups: &[quotes::Group]) -> Table {
        let rows = groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let mut docs: Vec<u32> = Vec::new();
                let mut sources = BTreeSet::new();
                let mut wording = Wording::Exact;
                for &q in &g.members {
                    let d = self.quotes[q as usize].doc;
                    if !docs.contains(&d) {
                        docs.push(d);
                    }
                    sources.insert(self.docs[d as usize].source);
                    wording = wording.max(quotes::wording(self.quotes, self.tokens, g.rep, q));
                }
                let substantial = g.members.iter().any(|&q| {
                    self.tokens[self.quotes[q as usize].variant as usize].len() >= self.min_words
                });
                let full = g.members.iter().any(|&q| !self.quotes[q as usize].partial);
                let (speaker, speaker_key) = self.speaker_name(g.speaker);
                vec![
                    group_id(i),
                    speaker.to_string(),
                    quotes::trim_text(&self.quotes[g.rep as usize].text).to_string(),
                    sources.len().to_string(),
                    join(docs.iter().map(|&d| self.doc_id(d)), "|"),
                    g.members.len().to_string(),
                    (sources.len() >= 2 && substantial).to_string(),
                    if full { "full" } else { "partial" }.to_string(),
                    match wording {
                        Wording::Exact => "identical",
                        w => w.as_str(),
                    }
                    .to_string(),
                    speaker_key.to_string(),
                ]
            })
            .collect();
        table(
            "quote_groups",
            &[
                "group_id",
                "speaker",
                "text",
                "sources",
                "doc_ids",
                "members",
                "corroborated",
                "kind",
                "wording",
                "speaker_key",
            ],
            rows,
        )
    }

    fn quote_group_members(&self, groups: &[quotes::Group]) -> Table {
        let mut rows = Vec::with_capacity(self.quotes.len());
        for (i, g) in groups.iter().enumerate() {
            for &q in &g.members {
                let rec = &self.quotes[q as usize];
                let doc = &self.docs[rec.doc as usize];
                rows.push(vec![
                    group_id(i),
                    doc.id.to_string(),
                    rec.id.to_string(),
                    rec.text.to_string(),
                    rec.speaker
                        .map(|n| self.nodes[n as usize].name.to_string())
                        .unwrap_or_default(),
                    doc.outlet.as_deref().unwrap_or_default().to_string(),
                    quotes::wording(self.quotes, self.tokens, g.rep, q)
                        .as_str()
                        .to_string(),
                ]);
            }
        }
        table(
            "quote_group_members",
            &[
                "group_id", "doc_id", "quote_id", "text", "speaker", "outlet", "wording",
            ],
            rows,
        )
    }

    fn corpus_entities(&self, include_places: bool) -> Table {
        let mut list: Vec<&names::Cluster> = self
            .resolution
            .clusters
            .iter()
            .filter(|c| match c.kind {
                Some(EntityKind::Person | EntityKind::Org) => true,
                Some(EntityKind::Place) => include_places,
                _ => false,
            })
            .collect();
        let rank = |k: Option<EntityKind>| match k {
            Some(EntityKind::Person) => 0,
            Some(EntityKind::Org) => 1,
            _ => 2,
        };
        list.sort_by(|a, b| rank(a.kind).cmp(&rank(b.kind)).then(a.key.cmp(&b.key)));
        let rows = list
            .into_iter()
            .map(|c| {
                vec![
                    c.key.clone(),
                    c.name.clone(),
                    c.kind
                        .map(EntityKind::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    c.variants.join("|"),
                    join(c.docs.iter().map(|&d| self.doc_id(d)), "|"),
                    c.docs.len().to_string(),
                    c.mentions.to_string(),
                ]
            })
            .collect();
        table(
            "corpus_entities",
            &[
                "key",
                "name",
                "type",
                "variants",
                "doc_ids",
                "documents",
                "mentions",
            ],
            rows,
        )
    }

    fn discrepancies(
        &self,
        misattributions: &[quotes::Misattribution],
        conflicts: &[claims::Conflict],
        claims: &[ClaimRec],
    ) -> Table {
        let mut rows = Vec::new();
        for c in conflicts {
            let list: Vec<&ClaimRec> = c.claims.iter().map(|&i| &claims[i as usize]).collect();
            rows.push(vec![
                "claim".to_string(),
                c.subject.clone(),
                join(list.iter().map(|c| c.value.to_string()), "|"),
                join(list.iter().map(|c| self.doc_id(c.doc)), "|"),
                join(list.iter().map(|c| &*c.text), " | "),
                c.unit.clone(),
            ]);
        }
        for m in misattributions {
            rows.push(vec![
                "speaker".to_string(),
                quotes::trim_text(&self.quotes[m.rep as usize].text).to_string(),
                join(
                    m.members.iter().map(|&(_, s)| self.speaker_name(Some(s)).0),
                    "|",
                ),
                join(
                    m.members
                        .iter()
                        .map(|&(q, _)| self.doc_id(self.quotes[q as usize].doc)),
                    "|",
                ),
                join(
                    m.members
                        .iter()
                        .map(|&(q, _)| &*self.quotes[q as usize].text),
                    " | ",
                ),
                String::new(),
            ]);
        }
        table(
            "discrepancies",
            &["kind", "subject", "values", "doc_ids", "texts", "unit"],
            rows,
        )
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

fn join<S: AsRef<str>>(items: impl Iterator<Item = S>, sep: &str) -> String {
    let mut out = String::new();
    for (i, s) in items.enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(s.as_ref());
    }
    out
}
