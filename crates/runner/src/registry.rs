//! Every stage Newsmill knows, in one place: its name, what it does, what it needs and
//! provides, its options type, and how to build it from its table in the config.

use std::sync::Arc;

use model::{
    BuildContext, Capability, CorpusStage, DocumentStage, Exporter, StageError, StageOptions,
};
use serde::Serialize;
use toml::de::ValueDeserializer;

use export::ExportContext;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StageKind {
    /// Runs on each document, in parallel.
    Document,
    /// Sees every document's results once the per-document stages are done.
    Corpus,
    /// Writes results to the output folder.
    Export,
}

impl StageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Document => "document",
            StageKind::Corpus => "corpus",
            StageKind::Export => "export",
        }
    }
}

pub type ExporterFactory =
    Arc<dyn Fn(&ExportContext) -> Result<Box<dyn Exporter>, StageError> + Send + Sync>;

/// A stage built from its options.
pub enum Built {
    Document(Box<dyn DocumentStage>),
    Corpus(Box<dyn CorpusStage>),
    /// Exporters create files, so they are only opened when a run starts (never by `check`).
    Export(ExporterFactory),
}

/// Why a stage could not be built: its options do not deserialize (with a span into the
/// config), or the stage refused them.
pub enum BuildError {
    Options(toml::de::Error),
    Stage(StageError),
}

type BuildFn =
    Box<dyn Fn(ValueDeserializer<'_>, &BuildContext) -> Result<Built, BuildError> + Send + Sync>;

pub struct StageEntry {
    pub name: &'static str,
    pub kind: StageKind,
    pub description: &'static str,
    pub needs: &'static [Capability],
    pub provides: &'static [Capability],
    /// `(key, meaning)` of each option.
    pub option_docs: &'static [(&'static str, &'static str)],
    /// The defaults, as a TOML table.
    pub defaults: fn() -> String,
    pub build: BuildFn,
}

impl StageEntry {
    /// A stage that replaces the working text must run before the stages that read it.
    pub fn rewrites_text(&self) -> bool {
        self.provides
            .iter()
            .any(|c| matches!(c, Capability::CleanText | Capability::ArticleText))
    }
}

fn defaults_of<O: StageOptions>() -> String {
    toml::to_string(&O::default()).unwrap_or_default()
}

fn options<O: StageOptions>(de: ValueDeserializer<'_>) -> Result<O, BuildError> {
    serde::Deserialize::deserialize(de).map_err(BuildError::Options)
}

fn document_stage<O: StageOptions, S: DocumentStage + 'static>(
    name: &'static str,
    description: &'static str,
    needs: &'static [Capability],
    provides: &'static [Capability],
    new: fn(O, &BuildContext) -> Result<S, StageError>,
) -> StageEntry {
    let build = move |de: ValueDeserializer<'_>, ctx: &BuildContext| {
        let stage = new(options(de)?, ctx).map_err(BuildError::Stage)?;
        Ok(Built::Document(Box::new(stage)))
    };
    entry::<O>(
        name,
        StageKind::Document,
        description,
        needs,
        provides,
        Box::new(build),
    )
}

fn corpus_stage<O: StageOptions, S: CorpusStage + 'static>(
    name: &'static str,
    description: &'static str,
    needs: &'static [Capability],
    provides: &'static [Capability],
    new: fn(O, &BuildContext) -> Result<S, StageError>,
) -> StageEntry {
    let build = move |de: ValueDeserializer<'_>, ctx: &BuildContext| {
        let stage = new(options(de)?, ctx).map_err(BuildError::Stage)?;
        Ok(Built::Corpus(Box::new(stage)))
    };
    entry::<O>(
        name,
        StageKind::Corpus,
        description,
        needs,
        provides,
        Box::new(build),
    )
}

fn entry<O: StageOptions>(
    name: &'static str,
    kind: StageKind,
    description: &'static str,
    needs: &'static [Capability],
    provides: &'static [Capability],
    build: BuildFn,
) -> StageEntry {
    StageEntry {
        name,
        kind,
        description,
        needs,
        provides,
        option_docs: O::docs(),
        defaults: defaults_of::<O>,
        build,
    }
}

fn export_stage<O: StageOptions + Clone + Sync, E: Exporter + 'static>(
    name: &'static str,
    description: &'static str,
    new: fn(O, &ExportContext) -> Result<E, StageError>,
) -> StageEntry {
    let build = move |de: ValueDeserializer<'_>, _ctx: &BuildContext| {
        let opts: O = options(de)?;
        let factory: ExporterFactory =
            Arc::new(move |ctx| Ok(Box::new(new(opts.clone(), ctx)?) as Box<dyn Exporter>));
        Ok(Built::Export(factory))
    };
    entry::<O>(
        name,
        StageKind::Export,
        description,
        &[],
        &[],
        Box::new(build),
    )
}

/// The registry. Order is the order `newsmill stages` lists them in.
pub fn registry() -> Vec<StageEntry> {
    use Capability::*;
    vec![
        document_stage(
            web::ExtractHtml::NAME,
            "Turn web pages (HTML files, WARC responses, JSONL `html`) into their article's text (paragraphs, headings, lists; navigation, share bars, comments, related links out) and fill title, authors, dates, outlet, URL, language and section from the page's markup. Other documents pass through.",
            web::ExtractHtml::NEEDS,
            web::ExtractHtml::PROVIDES,
            web::ExtractHtml::new,
        ),
        document_stage(
            clean::Clean::NAME,
            "Strip boilerplate (mastheads, credits, bylines, share/ad/related lines, breadcrumbs), keep what it tells as metadata, find the headline and headings, normalize characters.",
            clean::Clean::NEEDS,
            clean::Clean::PROVIDES,
            clean::Clean::new,
        ),
        document_stage(
            "quotes",
            "Find every direct quotation, its kind (full, partial, title, term), speaker and cue.",
            &[Text],
            &[Quotes],
            extract::quotes::Quotes::new,
        ),
        document_stage(
            "entities",
            "Find people (with roles), organizations, places and dates; one entity per referent, with every mention.",
            &[Text],
            &[Entities],
            extract::entities::Entities::new,
        ),
        document_stage(
            "claims",
            "Find numeric claims (percentages, fractions, counts, money), normalized, with qualifier and subject.",
            &[Text],
            &[Claims],
            extract::claims::Claims::new,
        ),
        corpus_stage(
            "corroborate",
            "Across documents: group the same quotation, one entity per person or organization, and report where documents disagree.",
            &[Quotes, Entities, Claims],
            &[Corroboration],
            corroborate::Corroborate::new,
        ),
        export_stage(
            "csv",
            "Write RFC 4180 CSV tables (documents, quotes, entities, mentions, claims, removed, errors, corpus tables).",
            export::CsvExporter::new,
        ),
        export_stage(
            "json",
            "Write documents.jsonl (one document per line; with per_document, documents/<doc_id>.json too) and corpus tables as JSONL.",
            export::JsonExporter::new,
        ),
        export_stage(
            "parquet",
            "Write one Parquet table (zstd, typed columns) per CSV table, a row group at a time.",
            export::ParquetExporter::new,
        ),
        export_stage(
            "report",
            "Write report.html: one self-contained page of the most quoted people, corroborated quotes, discrepancies, a timeline, co-mentions and every document's quotes.",
            |opts, ctx| report::ReportExporter::new(opts, &ctx.output_dir),
        ),
    ]
}

pub fn find<'r>(registry: &'r [StageEntry], name: &str) -> Option<&'r StageEntry> {
    registry.iter().find(|e| e.name == name)
}
