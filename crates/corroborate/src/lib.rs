//! The `corroborate` corpus stage: groups the same quotation and the same person across
//! documents, and reports where documents disagree.
//!
//! [`Corroborate::observe`] keeps compact records of each document (quotes, claims, interned
//! names, entities shared across documents) and never the document itself; the texts only
//! output rows need, and records only some phases need, wait in temporary files;
//! [`Corroborate::finish`] matches them with hash lookups and a prefix-filtered similarity
//! join, so time and memory grow with the records, not with the square of their number.

mod chunked;
mod claims;
mod docids;
mod docrecs;
mod memory;
mod names;
mod nodedocs;
mod quotes;
mod runsort;
mod spill;
mod unionfind;
mod varint;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use model::normalize::quote_key;
use model::{
    BuildContext, CorpusStage, Document, EntityKind, QuoteKind, RowWriter, StageError,
    StageOptions, Table,
};
use serde::{Deserialize, Serialize};

use claims::ClaimRec;
use docids::DocIds;
use docrecs::{DocRec, DocRecs};
use names::NameNodes;
use quotes::{QuoteRec, Speakers, Variants, Wording};
use runsort::RunSorter;
use spill::{Interner, PairFile, Spill, SpillReader};

pub use names::{fold_name, fold_word, person_name, PersonName};

/// The columns of the tables `corroborate` writes (all text), named once here for the stage
/// and for `newsmill schema`.
pub const QUOTE_GROUPS_COLUMNS: &[&str] = &[
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
];
pub const QUOTE_GROUP_MEMBERS_COLUMNS: &[&str] = &[
    "group_id", "doc_id", "quote_id", "text", "speaker", "outlet", "wording",
];
pub const CORPUS_ENTITIES_COLUMNS: &[&str] = &[
    "key",
    "name",
    "type",
    "variants",
    "doc_ids",
    "documents",
    "mentions",
];
pub const DISCREPANCIES_COLUMNS: &[&str] =
    &["kind", "subject", "values", "doc_ids", "texts", "unit"];
/// Every table `corroborate` writes, with its columns.
pub const TABLES: &[(&str, &[&str])] = &[
    ("quote_groups", QUOTE_GROUPS_COLUMNS),
    ("quote_group_members", QUOTE_GROUP_MEMBERS_COLUMNS),
    ("corpus_entities", CORPUS_ENTITIES_COLUMNS),
    ("discrepancies", DISCREPANCIES_COLUMNS),
];

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

const NO_OUTLET: u32 = u32::MAX;

/// The corpus stage: see the crate documentation.
pub struct Corroborate {
    options: CorroborateOptions,
    /// What is kept of each document besides its id (see [`DocRecs`]).
    docs: DocRecs,
    doc_ids: DocIds,
    /// Outlets, claims' units, subjects and qualifiers.
    strings: Interner,
    /// `[quote id, text]` of each quote, a document's quotes one after another.
    spill: Spill,
    /// Each quote's [`QuoteRec`]: read back once the variants' texts are matched.
    quotes: PairFile,
    variants: Variants,
    names: NameNodes,
    /// The claims, whole (see [`ClaimRec::encode`]): they are needed only at the very end,
    /// once quotes are grouped and their structures freed.
    claims: Spill,
    claim_count: usize,
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
            docs: DocRecs::default(),
            doc_ids: DocIds::default(),
            strings: Interner::default(),
            spill: Spill::default(),
            quotes: PairFile::default(),
            variants: Variants::default(),
            names: NameNodes::default(),
            claims: Spill::default(),
            claim_count: 0,
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

impl Corroborate {
    /// The documents' sources: see [`Sources`]. Computed once at the end, so that `observe`
    /// keeps no map per document.
    fn sources(&self) -> Result<Sources, String> {
        let mut classes = 0u32;
        let mut outlet_class: HashMap<u32, u32> = HashMap::new();
        let mut by_folded: HashMap<String, u32> = HashMap::new();
        for d in 0..self.docs.len() as u32 {
            let doc = self.docs.get(d);
            if doc.outlet == NO_OUTLET {
                continue;
            }
            outlet_class.entry(doc.outlet).or_insert_with(|| {
                let folded = names::fold_name(self.strings.get(doc.outlet));
                *by_folded.entry(folded).or_insert_with(|| {
                    classes += 1;
                    classes - 1
                })
            });
        }
        // Documents without an outlet are sorted by their id's hash through a temporary
        // file (ids wait on disk, and a sort by id would read them at random), and only
        // those whose hash an earlier one has are compared.
        let mut sorter = RunSorter::default();
        let lone = (0..self.docs.len() as u32).filter(|&d| self.docs.get(d).outlet == NO_OUTLET);
        self.doc_ids.walk(lone, |_, d, id| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut hasher);
            let h = hasher.finish();
            sorter.push([(h >> 32) as u32, h as u32, d, 0]);
        });
        let mut same_id = HashMap::new();
        // Distinct ids among the documents of the current hash.
        let mut hash = None;
        let mut distinct: Vec<u32> = Vec::new();
        let mut scratch = Default::default();
        sorter.for_each(|[hi, lo, d, _]| {
            if hash != Some((hi, lo)) {
                hash = Some((hi, lo));
                distinct.clear();
            }
            let first = distinct
                .iter()
                .copied()
                .find(|&e| self.doc_ids.cmp(e, d, &mut scratch).is_eq());
            match first {
                Some(e) => {
                    same_id.insert(d, e);
                }
                None => distinct.push(d),
            }
        })?;
        Ok(Sources {
            outlet_class,
            classes,
            same_id,
        })
    }
}

/// The source of each document, looked up rather than held per document: a document with
/// an outlet is of its outlet (compared folded); one without is its own source, documents
/// with the same id being one. Sources are only compared and counted, never printed.
struct Sources {
    /// Folded outlet of each outlet string.
    outlet_class: HashMap<u32, u32>,
    classes: u32,
    /// A document without an outlet whose id an earlier one of those has (in id order):
    /// that document.
    same_id: HashMap<u32, u32>,
}

impl Sources {
    fn of(&self, d: u32, docs: &DocRecs) -> u64 {
        match docs.get(d).outlet {
            NO_OUTLET => {
                u64::from(self.classes) + u64::from(self.same_id.get(&d).copied().unwrap_or(d))
            }
            outlet => u64::from(self.outlet_class[&outlet]),
        }
    }
}

impl Corroborate {
    /// Prints what the records of `observe` hold (see [`memory`]).
    fn report_memory(&self) {
        let (lookups, words, tokens) = self.variants.bytes();
        let (nodes, node_docs, name_strings, aliases) = self.names.bytes();
        memory::report(
            "observed",
            &[
                ("docs", self.docs.bytes()),
                ("doc ids", self.doc_ids.bytes()),
                ("strings", self.strings.bytes()),
                ("variant lookups", lookups),
                ("variant words", words),
                ("variant tokens", tokens),
                ("name nodes", nodes),
                ("name node docs", node_docs),
                ("name strings", name_strings),
                ("name aliases, lookups", aliases),
            ],
        );
        if memory::enabled() {
            eprintln!(
                "  ({} docs, {} quotes, {} variants, {} name nodes, {} claims)",
                self.docs.len(),
                self.quotes.len(),
                self.variants.tokens.len(),
                self.names.nodes.len(),
                self.claim_count
            );
        }
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
        self.doc_ids.push(&doc.id);
        let outlet = outlet.map_or(NO_OUTLET, |o| self.strings.intern(o));
        let mut quotes_at = None;
        let start = self.quotes.len() as u32;

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
                    *speakers
                        .entry(s)
                        .or_insert_with(|| self.names.add_speaker(d, s))
                });
            let variant = self.variants.intern(key);
            let at = self.spill.push(&[q.id.as_str(), q.text.trim()]);
            quotes_at.get_or_insert(at);
            let (variant, speaker) =
                QuoteRec::new(variant, speaker, q.kind == QuoteKind::Partial).to_raw();
            self.quotes.push(variant, speaker);
        }
        self.docs.push(DocRec {
            start,
            outlet,
            quotes_at: quotes_at.unwrap_or_default(),
        });

        for c in &doc.claims {
            let Some(subject) = c.subject.as_deref().map(str::trim) else {
                continue;
            };
            if subject.is_empty() || !c.value.is_finite() {
                continue;
            }
            let claim = ClaimRec {
                doc: d,
                at: 0,
                value: c.value,
                unit: self.strings.intern(c.unit.as_str()),
                subject: self.strings.intern(subject),
                qualifier: c.qualifier.as_deref().map(|q| self.strings.intern(q)),
            };
            self.claims
                .push_bytes(&[&claim.encode(), c.text.trim().as_bytes()]);
            self.claim_count += 1;
        }
    }

    fn finish(&mut self) -> Result<Vec<Table>, StageError> {
        if memory::enabled() {
            self.report_memory();
        }
        let error = |e: String| StageError::new(format!("corroborate: {e}"));
        let spill = std::mem::take(&mut self.spill)
            .into_reader()
            .map_err(error)?;
        let claim_spill = std::mem::take(&mut self.claims)
            .into_reader()
            .map_err(error)?;
        let mut variants = std::mem::take(&mut self.variants);
        let mut names = std::mem::take(&mut self.names);
        variants.freeze();
        self.doc_ids.freeze();
        self.docs.freeze();

        let resolution = names::resolve(&mut names).map_err(error)?;
        names.drop_nodes();
        if memory::enabled() {
            let (lookups, words, _) = variants.bytes();
            let (.., name_strings, aliases) = names.bytes();
            memory::report(
                "finish, names resolved",
                &[
                    ("resolution", resolution.bytes()),
                    ("variant lookups, words", lookups + words),
                    ("name strings, aliases", name_strings + aliases),
                ],
            );
        }
        let params = quotes::Params {
            similarity: self.options.similarity,
            min_words: self.options.min_words,
            attribution_min_words: self.options.attribution_min_words,
            max_block: self.options.max_block,
        };
        variants.load().map_err(error)?;
        let matched = quotes::match_text(&variants.tokens, variants.word_count(), &params);
        variants.tokens.unload().map_err(error)?;
        let speakers = Speakers {
            node_cluster: &resolution.node_cluster,
            docs: &self.docs,
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
        // The quote records come from their file by variant; the groups' file then holds
        // each member's record, so the quote tables need no other.
        let (groups, misattributions) = quotes::group(
            &mut self.quotes,
            speakers,
            &speaker_names,
            &variants.tokens,
            matched,
            &params,
        )
        .map_err(error)?;
        self.quotes = PairFile::default();
        drop(speaker_names);
        let sources = self.sources().map_err(error)?;
        memory::report(
            "finish, sources",
            &[(
                "sources",
                memory::map(&sources.outlet_class) + memory::map(&sources.same_id),
            )],
        );

        // A macro rather than a closure: the names are borrowed twice, with nodes and not.
        macro_rules! output {
            ($names:expr) => {
                Output {
                    docs: &self.docs,
                    sources: &sources,
                    doc_ids: &self.doc_ids,
                    strings: &self.strings,
                    spill: &spill,
                    names: $names,
                    resolution: &resolution,
                    min_words: self.options.min_words,
                }
            };
        }
        let (quote_groups, members) = output!(&names).quote_tables(&groups, &variants.tokens)?;
        drop((groups, variants));
        memory::report("finish, quote tables written", &[]);
        let entities = output!(&names)
            .corpus_entities(self.options.include_places)
            .map_err(|e| error(format!("corpus_entities: {e}")))?;
        // Discrepancy rows name speakers by cluster: the nodes can go before the largest rows.
        drop(names);
        let no_names = NameNodes::default();
        let out = output!(&no_names);
        memory::report("finish, corpus entities written", &[]);
        // Claims come back from their file only now, with the quote groups gone, a subject
        // at a time.
        let conflicts = claims::conflicts(
            &claim_spill,
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
        )
        .map_err(error)?;
        memory::report(
            "finish, claims compared",
            &[("conflicts", conflicts.bytes())],
        );
        let discrepancies = out.discrepancies(&misattributions, &conflicts, &claim_spill)?;
        memory::report("finish, discrepancies written", &[]);
        // The ids are read back from their file as rows are written, where a read cannot fail.
        if let Some(e) = self.doc_ids.error() {
            return Err(error(e));
        }
        if let Some(e) = self.docs.error() {
            return Err(error(e));
        }
        self.docs = DocRecs::default();
        self.doc_ids = DocIds::default();
        Ok(vec![quote_groups, members, entities, discrepancies])
    }
}

struct Output<'a> {
    docs: &'a DocRecs,
    sources: &'a Sources,
    doc_ids: &'a DocIds,
    strings: &'a Interner,
    spill: &'a SpillReader,
    names: &'a NameNodes,
    resolution: &'a names::Resolution,
    min_words: usize,
}

/// Rows with a list of documents longer than this are streamed into their table (see
/// [`Output::push_row`]) rather than built.
const LONG_LIST: usize = 4096;

/// A cell of [`Output::push_row`].
enum Field<'a> {
    Text(&'a str),
    /// A cell made for the row, moved into it.
    Owned(String),
    /// Documents, whose ids the cell joins with `|`.
    Ids(&'a [u32]),
}

fn group_id(i: usize) -> String {
    format!("g{}", i + 1)
}

impl Output<'_> {
    fn doc_id(&self, d: u32) -> String {
        self.doc_ids.get(d)
    }

    /// Ids of `docs`, `|`-joined.
    fn join_ids(&self, docs: impl Iterator<Item = u32>) -> String {
        let mut out = String::new();
        self.doc_ids.join_to(docs, "|", &mut out);
        out
    }

    /// Ids of `docs`, `|`-joined, as the next cell of a streamed row.
    fn write_ids(
        &self,
        row: &mut RowWriter,
        docs: impl Iterator<Item = u32>,
    ) -> std::io::Result<()> {
        row.begin_cell()?;
        let mut result = Ok(());
        self.doc_ids.walk(docs, |i, _, id| {
            if result.is_ok() && i > 0 {
                result = row.write("|");
            }
            if result.is_ok() {
                // Each id was pushed whole from a `&str`, and is rebuilt whole.
                result = row.write(std::str::from_utf8(id).unwrap_or_default());
            }
        });
        result?;
        row.end_cell()
    }

    /// Appends a row; one with a long list of documents (a name in half the corpus) is
    /// written to the table's file cell by cell, never built whole.
    fn push_row<const N: usize>(
        &self,
        table: &mut Table,
        fields: [Field; N],
    ) -> std::io::Result<()> {
        let long = |f: &Field| matches!(f, Field::Ids(docs) if docs.len() > LONG_LIST);
        if !fields.iter().any(long) {
            return table.push(
                fields
                    .into_iter()
                    .map(|f| match f {
                        Field::Text(text) => text.to_string(),
                        Field::Owned(text) => text,
                        Field::Ids(docs) => self.join_ids(docs.iter().copied()),
                    })
                    .collect(),
            );
        }
        let mut row = table.push_streamed()?;
        for f in fields {
            match f {
                Field::Text(text) => row.cell(text)?,
                Field::Owned(text) => row.cell(&text)?,
                Field::Ids(docs) => self.write_ids(&mut row, docs.iter().copied())?,
            }
        }
        row.finish()
    }

    fn quote_doc(&self, q: u32) -> u32 {
        self.docs.quote_doc(q)
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

    /// `[quote id, text]` of a quote.
    fn read_quote(&self, q: u32) -> Result<spill::Record, StageError> {
        let d = self.quote_doc(q);
        let doc = self.docs.get(d);
        self.spill
            .read_nth(doc.quotes_at, q - doc.start, 2)
            .map_err(|e| StageError::new(format!("corroborate: {e}")))
    }

    /// `quote_groups` and `quote_group_members`, written together: a group's wording is its
    /// members', and each member's text is read once.
    fn quote_tables(
        &self,
        groups: &quotes::Groups,
        tokens: &quotes::Tokens,
    ) -> Result<(Table, Table), StageError> {
        let mut group_table = Table::new("quote_groups", QUOTE_GROUPS_COLUMNS);
        let mut member_table = Table::new("quote_group_members", QUOTE_GROUP_MEMBERS_COLUMNS);
        let io =
            |table: &str, e: std::io::Error| StageError::new(format!("corroborate: {table}: {e}"));
        let mut buf = Vec::new();
        for i in 0..groups.len() {
            let g = groups
                .read(i, &mut buf)
                .map_err(|e| StageError::new(format!("corroborate: {e}")))?;
            let id = group_id(i);
            let rep = self.read_quote(g.rep)?;
            let rep_at = g.members.iter().position(|m| m.0 == g.rep);
            let rep_rec = (&g.members[rep_at.unwrap_or(0)].1, rep.field(1));
            let mut docs: Vec<u32> = Vec::new();
            let mut seen_docs = HashSet::new();
            let mut sources = HashSet::new();
            let mut wording = Wording::Exact;
            let mut rep_words = None;
            for (q, rec) in g.members {
                let q = *q;
                let read;
                let member = if q == g.rep {
                    &rep
                } else {
                    read = self.read_quote(q)?;
                    &read
                };
                let w = quotes::wording(tokens, rep_rec, (rec, member.field(1)), &mut rep_words)
                    .map_err(|e| StageError::new(format!("corroborate: {e}")))?;
                let d = self.quote_doc(q);
                let doc = self.docs.get(d);
                if seen_docs.insert(d) {
                    docs.push(d);
                }
                sources.insert(self.sources.of(d, self.docs));
                wording = wording.max(w);
                member_table
                    .push(vec![
                        id.clone(),
                        self.doc_id(d),
                        member.field(0).to_string(),
                        member.field(1).to_string(),
                        rec.speaker()
                            .map(|n| self.names.name(n).to_string())
                            .unwrap_or_default(),
                        match doc.outlet {
                            NO_OUTLET => String::new(),
                            o => self.strings.get(o).to_string(),
                        },
                        w.as_str().to_string(),
                    ])
                    .map_err(|e| io("quote_group_members", e))?;
            }
            let substantial = g
                .members
                .iter()
                .any(|(_, r)| tokens.words(r.variant as usize) >= self.min_words);
            let full = g.members.iter().any(|(_, r)| !r.partial());
            let (speaker, speaker_key) = self.speaker_name(g.speaker);
            let fields = [
                Field::Owned(id),
                Field::Text(speaker),
                Field::Text(quotes::trim_text(rep.field(1))),
                Field::Owned(sources.len().to_string()),
                Field::Ids(&docs),
                Field::Owned(g.members.len().to_string()),
                Field::Text(if sources.len() >= 2 && substantial {
                    "true"
                } else {
                    "false"
                }),
                Field::Text(if full { "full" } else { "partial" }),
                Field::Text(match wording {
                    Wording::Exact => "identical",
                    w => w.as_str(),
                }),
                Field::Text(speaker_key),
            ];
            self.push_row(&mut group_table, fields)
                .map_err(|e| io("quote_groups", e))?;
        }
        Ok((group_table, member_table))
    }

    fn corpus_entities(&self, include_places: bool) -> std::io::Result<Table> {
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
        let mut table = Table::new("corpus_entities", CORPUS_ENTITIES_COLUMNS);
        for c in list {
            let docs = self
                .resolution
                .docs(c, self.names)
                .map_err(std::io::Error::other)?;
            let fields = [
                Field::Text(&c.key),
                Field::Text(&c.name),
                Field::Text(c.kind.map(EntityKind::as_str).unwrap_or_default()),
                Field::Owned(c.variants.join("|")),
                Field::Ids(&docs),
                Field::Owned(docs.len().to_string()),
                Field::Owned(c.mentions.to_string()),
            ];
            self.push_row(&mut table, fields)?;
        }
        Ok(table)
    }

    fn discrepancies(
        &self,
        misattributions: &quotes::Misattributions,
        conflicts: &claims::Conflicts,
        claim_spill: &SpillReader,
    ) -> Result<Table, StageError> {
        let mut table = Table::new("discrepancies", DISCREPANCIES_COLUMNS);
        let io = |e: std::io::Error| StageError::new(format!("corroborate: discrepancies: {e}"));
        let fail = |e: String| StageError::new(format!("corroborate: {e}"));
        let read = |at| claim_spill.read(at, 2).map_err(fail);
        // Every row is written to the table's file cell by cell: a subject or a statement
        // reported across the corpus joins thousands of claims or quotes (tens of MB).
        let mut ats = Vec::new();
        let mut docs = Vec::new();
        let mut value = String::new();
        for i in 0..conflicts.len() {
            let c = conflicts.read(i, &mut ats).map_err(fail)?;
            let mut row = table.push_streamed().map_err(io)?;
            row.cell("claim").map_err(io)?;
            row.cell(self.strings.get(c.subject)).map_err(io)?;
            // One read of each claim for its value and document, one for its text.
            docs.clear();
            row.begin_cell().map_err(io)?;
            for (k, &at) in ats.iter().enumerate() {
                let claim = ClaimRec::read(claim_spill, at).map_err(fail)?;
                value.clear();
                if k > 0 {
                    value.push('|');
                }
                write!(value, "{}", claim.value).map_err(|e| fail(e.to_string()))?;
                row.write(&value).map_err(io)?;
                docs.push(claim.doc);
            }
            self.write_ids(&mut row, docs.iter().copied()).map_err(io)?;
            row.begin_cell().map_err(io)?;
            for (k, &at) in ats.iter().enumerate() {
                if k > 0 {
                    row.write(" | ").map_err(io)?;
                }
                row.write(read(at)?.field(1)).map_err(io)?;
            }
            row.cell(&conflicts.units[c.unit as usize]).map_err(io)?;
            row.finish().map_err(io)?;
        }
        let mut members = Vec::new();
        for i in 0..misattributions.len() {
            let rep = misattributions.read(i, &mut members).map_err(fail)?;
            let rep = self.read_quote(rep)?;
            let mut row = table.push_streamed().map_err(io)?;
            row.cell("speaker").map_err(io)?;
            row.cell(quotes::trim_text(rep.field(1))).map_err(io)?;
            row.begin_cell().map_err(io)?;
            for (k, &(_, s)) in members.iter().enumerate() {
                if k > 0 {
                    row.write("|").map_err(io)?;
                }
                row.write(self.speaker_name(Some(s)).0).map_err(io)?;
            }
            self.write_ids(&mut row, members.iter().map(|&(q, _)| self.quote_doc(q)))
                .map_err(io)?;
            row.begin_cell().map_err(io)?;
            for (k, &(q, _)) in members.iter().enumerate() {
                if k > 0 {
                    row.write(" | ").map_err(io)?;
                }
                row.write(self.read_quote(q)?.field(1)).map_err(io)?;
            }
            row.cell("").map_err(io)?;
            row.finish().map_err(io)?;
        }
        Ok(table)
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
