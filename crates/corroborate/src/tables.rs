//! The stage's four corpus tables: their columns (the one list `newsmill schema` and the
//! exporters read) and how their rows are written from the grouped records.

use rustc_hash::FxHashSet as HashSet;

use model::{EntityKind, Table};

use crate::claims::{ClaimRec, Conflict, Finding};
use crate::duplicates::Duplicate;
use crate::names::{Cluster, NameNodes, Resolution};
use crate::quotes::{self, Group, Grouped, Misattribution, QuoteRec, Wording};
use crate::strings::Interner;
use crate::texts::TextReader;
use crate::{DocRec, Sources};

/// One row per utterance of one speaker across documents.
#[rustfmt::skip]
pub const QUOTE_GROUPS_COLUMNS: &[&str] = &[
    "group_id", "speaker", "text", "sources", "doc_ids", "members", "corroborated", "kind",
    "wording", "speaker_key", "documents", "outlets", "confidence",
];

/// One row per quote of a group.
pub const QUOTE_GROUP_MEMBERS_COLUMNS: &[&str] = &[
    "group_id", "doc_id", "quote_id", "text", "speaker", "outlet", "wording", "relation",
];

/// One row per person, organization or place across documents.
#[rustfmt::skip]
pub const CORPUS_ENTITIES_COLUMNS: &[&str] = &[
    "key", "name", "type", "variants", "doc_ids", "documents", "mentions",
];

/// One row per disagreement between documents (on a figure or on who said something).
#[rustfmt::skip]
pub const DISCREPANCIES_COLUMNS: &[&str] = &[
    "kind", "subject", "values", "doc_ids", "texts", "unit", "confidence", "severity",
    "evidence",
];

/// One row per document whose text nearly repeats an earlier one's.
pub const DUPLICATES_COLUMNS: &[&str] = &["doc_id", "duplicate_of", "similarity"];

/// The stage's tables and their columns, in the order the stage returns them.
pub const TABLES: &[(&str, &[&str])] = &[
    ("quote_groups", QUOTE_GROUPS_COLUMNS),
    ("quote_group_members", QUOTE_GROUP_MEMBERS_COLUMNS),
    ("corpus_entities", CORPUS_ENTITIES_COLUMNS),
    ("discrepancies", DISCREPANCIES_COLUMNS),
    ("duplicates", DUPLICATES_COLUMNS),
];

/// A relative gap up to which a disagreement is small (`about 70%` against
/// `approximately three-quarters`).
const SMALL_GAP: f64 = 0.1;

/// What the rows are written from.
pub struct Output<'a> {
    pub docs: &'a [DocRec],
    pub sources: &'a Sources,
    pub strings: &'a Interner,
    pub texts: &'a TextReader,
    pub quotes: &'a [QuoteRec],
    pub tokens: &'a [Box<[u32]>],
    pub names: &'a NameNodes,
    pub resolution: &'a Resolution,
    pub claims: &'a [ClaimRec],
    pub min_words: usize,
}

/// A table write or a read back from the text file failed.
type Failure = String;

fn group_id(i: usize) -> String {
    format!("g{}", i + 1)
}

impl Output<'_> {
    /// The four tables.
    pub fn write(
        &self,
        grouped: &Grouped,
        conflicts: &[Conflict],
        duplicates: &[Duplicate],
        include_places: bool,
    ) -> Result<Vec<Table>, Failure> {
        let (groups, members) = self.quote_tables(&grouped.groups)?;
        let entities = self
            .corpus_entities(include_places)
            .map_err(|e| format!("corpus_entities: {e}"))?;
        let discrepancies = self.discrepancies(&grouped.misattributions, conflicts)?;
        let duplicates = self
            .duplicates(duplicates)
            .map_err(|e| format!("duplicates: {e}"))?;
        Ok(vec![groups, members, entities, discrepancies, duplicates])
    }

    fn doc_id(&self, d: u32) -> &str {
        &self.docs[d as usize].id
    }

    /// Ids of `docs`, `|`-joined.
    fn join_ids(&self, docs: impl Iterator<Item = u32>) -> String {
        let ids: Vec<&str> = docs.map(|d| self.doc_id(d)).collect();
        ids.join("|")
    }

    fn outlet(&self, d: u32) -> &str {
        self.docs[d as usize]
            .outlet
            .map_or("", |o| self.strings.get(o))
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

    /// `[quote id, text, speaker mention, cue]` of quote `q`.
    fn read_quote(&self, q: u32) -> Result<[String; 4], Failure> {
        let doc = &self.docs[self.quotes[q as usize].doc as usize];
        self.texts
            .read_in((doc.quotes_at, doc.quotes_end), q - doc.first_quote)
    }

    /// `quote_groups` and `quote_group_members`, written together: a group's wording is its
    /// members', and each member's text is read once.
    fn quote_tables(&self, groups: &[Group]) -> Result<(Table, Table), Failure> {
        let mut group_table = Table::new("quote_groups", QUOTE_GROUPS_COLUMNS);
        let mut member_table = Table::new("quote_group_members", QUOTE_GROUP_MEMBERS_COLUMNS);
        for (i, g) in groups.iter().enumerate() {
            let row = self.group_rows(&group_id(i), g, &mut member_table)?;
            group_table
                .push(row)
                .map_err(|e| format!("quote_groups: {e}"))?;
        }
        Ok((group_table, member_table))
    }

    /// Writes the member rows of group `g`; returns its own row.
    fn group_rows(&self, id: &str, g: &Group, members: &mut Table) -> Result<Vec<String>, Failure> {
        let [_, rep_text, ..] = self.read_quote(g.rep)?;
        let rep = &self.quotes[g.rep as usize];
        let mut outlets = HashSet::default();
        let mut docs: Vec<u32> = Vec::new();
        let mut seen_docs = HashSet::default();
        let mut sources = HashSet::default();
        let mut wording = Wording::Exact;
        for &q in &g.members {
            let rec = &self.quotes[q as usize];
            let [quote_id, text, ..] = self.read_quote(q)?;
            let w = quotes::wording(self.tokens, (rep, &rep_text), (rec, &text));
            outlets.extend(self.docs[rec.doc as usize].outlet);
            if seen_docs.insert(rec.doc) {
                docs.push(rec.doc);
            }
            sources.insert(self.sources.of(rec.doc));
            wording = wording.max(w);
            let speaker = rec.speaker.map_or("", |n| self.names.name(n));
            let row = [
                id,
                self.doc_id(rec.doc),
                &quote_id,
                &text,
                speaker,
                self.outlet(rec.doc),
                w.as_str(),
                quotes::relation(self.tokens, rep, rec, w),
            ];
            members
                .push(row.map(str::to_string).to_vec())
                .map_err(|e| format!("quote_group_members: {e}"))?;
        }
        let quotes = || g.members.iter().map(|&q| &self.quotes[q as usize]);
        let substantial = quotes().any(|r| self.tokens[r.variant as usize].len() >= self.min_words);
        let full = quotes().any(|r| !r.partial);
        let (speaker, speaker_key) = self.speaker_name(g.speaker);
        let corroborated = sources.len() >= 2 && substantial;
        let confidence = match sources.len() {
            _ if !corroborated => "low",
            2 => "medium",
            _ => "high",
        };
        let documents = seen_docs.len();
        Ok(vec![
            id.to_string(),
            speaker.to_string(),
            quotes::trim_text(&rep_text).to_string(),
            sources.len().to_string(),
            self.join_ids(docs.into_iter()),
            g.members.len().to_string(),
            corroborated.to_string(),
            if full { "full" } else { "partial" }.to_string(),
            match wording {
                Wording::Exact => "identical",
                w => w.as_str(),
            }
            .to_string(),
            speaker_key.to_string(),
            documents.to_string(),
            outlets.len().to_string(),
            confidence.to_string(),
        ])
    }

    fn corpus_entities(&self, include_places: bool) -> std::io::Result<Table> {
        let mut list: Vec<&Cluster> = self
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
            let docs = self.resolution.docs(c, self.names);
            table.push(vec![
                c.key.clone(),
                c.name.clone(),
                c.kind
                    .map(EntityKind::as_str)
                    .unwrap_or_default()
                    .to_string(),
                c.variants.join("|"),
                self.join_ids(docs.iter().copied()),
                docs.len().to_string(),
                c.mentions.to_string(),
            ])?;
        }
        Ok(table)
    }

    /// Every row is written to the table's file cell by cell: a subject or a statement
    /// reported across the corpus joins thousands of claims or quotes.
    fn discrepancies(
        &self,
        misattributions: &[Misattribution],
        conflicts: &[Conflict],
    ) -> Result<Table, Failure> {
        let mut table = Table::new("discrepancies", DISCREPANCIES_COLUMNS);
        for c in conflicts {
            self.conflict_row(&mut table, c)?;
        }
        for m in misattributions {
            self.misattribution_row(&mut table, m)?;
        }
        Ok(table)
    }

    fn conflict_row(&self, table: &mut Table, c: &Conflict) -> Result<(), Failure> {
        let claims = || c.claims.iter().map(|&i| &self.claims[i as usize]);
        let text = |claim: &ClaimRec| Ok(self.texts.read_in::<1>(claim.text, 0)?[0].clone());
        let severity = if c.gap <= SMALL_GAP { "small" } else { "large" };
        let (kind, confidence) = match (c.finding, severity) {
            (Finding::Change, _) => ("change", "low"),
            (Finding::Conflict, "small") => ("claim", "medium"),
            (Finding::Conflict, _) => ("claim", "high"),
        };
        let mut row = Row::new(table)?;
        row.cell(kind)?;
        row.cell(self.strings.get(c.subject))?;
        row.joined("|", claims().map(|c| Ok(c.value.to_string())))?;
        row.joined("|", claims().map(|c| Ok(self.doc_id(c.doc).to_string())))?;
        row.joined(" | ", claims().map(text))?;
        row.cell(&c.unit)?;
        row.cell(confidence)?;
        row.cell(severity)?;
        let side = |i: u32| {
            let claim = &self.claims[i as usize];
            let date = claim
                .date
                .map_or(String::new(), |d| format!(", {}", date_text(d)));
            Ok::<_, Failure>(format!(
                "“{}” ({}{date})",
                text(claim)?,
                self.doc_id(claim.doc)
            ))
        };
        let when = if c.finding == Finding::Change {
            ", dated far apart"
        } else {
            ""
        };
        let apart = match c.unit.as_str() {
            "share" => format!("{:.0} points", c.spread * 100.0),
            _ => format!("{:.0}%", c.gap * 100.0),
        };
        let evidence = format!(
            "{} vs {}: {apart} apart{when}",
            side(c.pair.0)?,
            side(c.pair.1)?
        );
        row.cell(&evidence)?;
        row.finish()
    }

    fn misattribution_row(&self, table: &mut Table, m: &Misattribution) -> Result<(), Failure> {
        let [_, rep_text, ..] = self.read_quote(m.rep)?;
        let mut row = Row::new(table)?;
        row.cell("speaker")?;
        row.cell(quotes::trim_text(&rep_text))?;
        let speakers = m.members.iter().map(|&(_, s)| self.speaker_name(Some(s)).0);
        row.joined("|", speakers.map(|s| Ok(s.to_string())))?;
        let docs = m.members.iter().map(|&(q, _)| self.quotes[q as usize].doc);
        row.joined("|", docs.map(|d| Ok(self.doc_id(d).to_string())))?;
        let texts = m.members.iter().map(|&(q, _)| {
            let [_, text, ..] = self.read_quote(q)?;
            Ok(text)
        });
        row.joined(" | ", texts)?;
        row.cell("")?;
        // Every side names its speaker at the quote (see `named_at_cue`).
        row.cell("high")?;
        row.cell("")?;
        let evidence = m.members.iter().map(|&(q, _)| {
            let [.., mention, cue] = self.read_quote(q)?;
            let doc = self.doc_id(self.quotes[q as usize].doc);
            Ok(format!("{doc}: {mention} {cue}").trim_end().to_string())
        });
        row.joined(" | ", evidence)?;
        row.finish()
    }

    fn duplicates(&self, duplicates: &[Duplicate]) -> std::io::Result<Table> {
        let mut table = Table::new("duplicates", DUPLICATES_COLUMNS);
        for d in duplicates {
            table.push(vec![
                self.doc_id(d.doc).to_string(),
                self.doc_id(d.of).to_string(),
                format!("{:.2}", d.similarity),
            ])?;
        }
        Ok(table)
    }
}

/// A date in days from the common era, as `YYYY-MM-DD`.
fn date_text(days: i32) -> String {
    chrono::NaiveDate::from_num_days_from_ce_opt(days).map_or(String::new(), |d| d.to_string())
}

/// A row written to its table's file cell by cell (see [`Table::push_streamed`]).
struct Row<'a>(model::RowWriter<'a>);

impl<'a> Row<'a> {
    fn new(table: &'a mut Table) -> Result<Row<'a>, Failure> {
        let name = table.name.clone();
        table
            .push_streamed()
            .map(Row)
            .map_err(|e| format!("{name}: {e}"))
    }

    fn cell(&mut self, text: &str) -> Result<(), Failure> {
        self.0.cell(text).map_err(|e| e.to_string())
    }

    /// A cell of `pieces` joined by `sep`, each written as it comes.
    fn joined(
        &mut self,
        sep: &str,
        pieces: impl Iterator<Item = Result<String, Failure>>,
    ) -> Result<(), Failure> {
        let io = |e: std::io::Error| e.to_string();
        self.0.begin_cell().map_err(io)?;
        for (i, piece) in pieces.enumerate() {
            if i > 0 {
                self.0.write(sep).map_err(io)?;
            }
            self.0.write(&piece?).map_err(io)?;
        }
        self.0.end_cell().map_err(io)
    }

    fn finish(self) -> Result<(), Failure> {
        self.0.finish().map_err(|e| e.to_string())
    }
}
