//! Every stage Newsmill knows, in one place: its name, what it does, what it needs and
//! provides, its options type (whose docs and defaults come with it), and how to build it from
//! its table in the config. This is the one description of a stage: `newsmill stages` prints
//! it and config validation checks against it. The stage crates declare only the name and
//! capabilities their own code uses (`Clean::NAME`, …), and the registry takes those.

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
    /// Deserializes the options without building the stage, to report every bad key.
    pub check_options: fn(ValueDeserializer<'_>) -> Result<(), toml::de::Error>,
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

fn check_options<O: StageOptions>(de: ValueDeserializer<'_>) -> Result<(), toml::de::Error> {
    O::deserialize(de).map(|_| ())
}

/// What a stage says of itself: the one description `newsmill stages` prints and config
/// validation checks against.
struct About {
    name: &'static str,
    description: &'static str,
    needs: &'static [Capability],
    provides: &'static [Capability],
}

/// How a stage type is built from its options.
type New<O, S, C> = fn(O, &C) -> Result<S, StageError>;

fn document_stage<O: StageOptions, S: DocumentStage + 'static>(
    about: About,
    new: New<O, S, BuildContext>,
) -> StageEntry {
    built_stage(about, StageKind::Document, new, |s| {
        Built::Document(Box::new(s))
    })
}

fn corpus_stage<O: StageOptions, S: CorpusStage + 'static>(
    about: About,
    new: New<O, S, BuildContext>,
) -> StageEntry {
    built_stage(about, StageKind::Corpus, new, |s| {
        Built::Corpus(Box::new(s))
    })
}

/// A stage built when the config is validated (document and corpus stages).
fn built_stage<O: StageOptions, S: 'static>(
    about: About,
    kind: StageKind,
    new: New<O, S, BuildContext>,
    wrap: fn(S) -> Built,
) -> StageEntry {
    let build = move |de: ValueDeserializer<'_>, ctx: &BuildContext| {
        let stage = new(options(de)?, ctx).map_err(BuildError::Stage)?;
        Ok(wrap(stage))
    };
    entry::<O>(about, kind, Box::new(build))
}

fn entry<O: StageOptions>(about: About, kind: StageKind, build: BuildFn) -> StageEntry {
    StageEntry {
        name: about.name,
        kind,
        description: about.description,
        needs: about.needs,
        provides: about.provides,
        option_docs: O::docs(),
        defaults: defaults_of::<O>,
        check_options: check_options::<O>,
        build,
    }
}

/// An exporter: its options are checked with the config, but it is opened (and creates
/// files) only when a run starts.
fn export_stage<O: StageOptions + Clone + Sync, E: Exporter + 'static>(
    name: &'static str,
    description: &'static str,
    new: New<O, E, ExportContext>,
) -> StageEntry {
    let build = move |de: ValueDeserializer<'_>, _ctx: &BuildContext| {
        let opts: O = options(de)?;
        let factory: ExporterFactory =
            Arc::new(move |ctx| Ok(Box::new(new(opts.clone(), ctx)?) as Box<dyn Exporter>));
        Ok(Built::Export(factory))
    };
    let about = About {
        name,
        description,
        needs: &[],
        provides: &[],
    };
    entry::<O>(about, StageKind::Export, Box::new(build))
}

/// The registry. Order is the order `newsmill stages` lists them in.
pub fn registry() -> Vec<StageEntry> {
    use Capability::*;
    vec![
        document_stage(
            About {
                name: web::ExtractHtml::NAME,
                description: "Turn web pages (HTML files, WARC responses, JSONL `html`) into their article's text (paragraphs, headings, lists; navigation, share bars, comments, related links out) and fill title, authors, dates, outlet, URL, language and section from the page's markup. Other documents pass through.",
                needs: web::ExtractHtml::NEEDS,
                provides: web::ExtractHtml::PROVIDES,
            },
            web::ExtractHtml::new,
        ),
        document_stage(
            About {
                name: clean::Clean::NAME,
                description: "Strip boilerplate (mastheads, credits, bylines, share/ad/related lines, breadcrumbs), keep what it tells as metadata, find the headline and headings, normalize characters.",
                needs: clean::Clean::NEEDS,
                provides: clean::Clean::PROVIDES,
            },
            clean::Clean::new,
        ),
        document_stage(
            About {
                name: extract::quotes::Quotes::NAME,
                description: "Find every direct quotation, its kind (full, partial, title, term), speaker and cue.",
                needs: extract::quotes::Quotes::NEEDS,
                provides: extract::quotes::Quotes::PROVIDES,
            },
            extract::quotes::Quotes::new,
        ),
        document_stage(
            About {
                name: extract::entities::Entities::NAME,
                description: "Find people (with roles), organizations, places and dates; one entity per referent, with every mention.",
                needs: &[Text],
                provides: &[Entities],
            },
            extract::entities::Entities::new,
        ),
        document_stage(
            About {
                name: extract::claims::Claims::NAME,
                description: "Find numeric claims (percentages, fractions, counts, money), normalized, with qualifier and subject.",
                needs: &[Text],
                provides: &[Claims],
            },
            extract::claims::Claims::new,
        ),
        corpus_stage(
            About {
                name: corroborate::Corroborate::NAME,
                description: "Across documents: group the same quotation, one entity per person or organization, and report where documents disagree.",
                needs: &[Quotes, Entities, Claims],
                provides: &[Corroboration],
            },
            corroborate::Corroborate::new,
        ),
        export_stage(
            "csv",
            "Write RFC 4180 CSV tables (documents, quotes, entities, mentions, claims, removed, errors, corpus tables).",
            export::CsvExporter::new,
        ),
        export_stage(
            "json",
            "Write documents/<doc_id>.json, documents.jsonl and corpus tables as JSONL.",
            export::JsonExporter::new,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each stage's description is whole: a unique name, a sentence, and a default for every
    /// option it documents (and a document for every default), so `newsmill stages` and
    /// config validation tell the same story.
    #[test]
    fn every_stage_describes_itself_once_and_whole() {
        let registry = registry();
        let mut names: Vec<&str> = registry.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), registry.len(), "names are unique");
        for entry in &registry {
            assert!(entry.description.ends_with('.'), "{}", entry.name);
            let defaults: toml::Table = (entry.defaults)().parse().unwrap();
            let mut leaves = Vec::new();
            collect_keys(&defaults, "", &mut leaves);
            let documented: Vec<&str> = entry.option_docs.iter().map(|(k, _)| *k).collect();
            for key in &leaves {
                assert!(
                    documented
                        .iter()
                        .any(|d| key == d || key.starts_with(&format!("{d}."))),
                    "{}: option `{key}` has a default but no doc",
                    entry.name
                );
            }
            for key in &documented {
                assert!(
                    leaves
                        .iter()
                        .any(|l| l == key || l.starts_with(&format!("{key}."))),
                    "{}: option `{key}` is documented but has no default",
                    entry.name
                );
            }
            // The defaults as printed read back as options.
            let inline = toml::Value::Table(defaults).to_string();
            let check = (entry.check_options)(ValueDeserializer::parse(&inline).unwrap());
            assert!(check.is_ok(), "{}: {check:?}", entry.name);
        }
    }

    fn collect_keys(table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
        for (key, value) in table {
            let key = format!("{prefix}{key}");
            match value {
                toml::Value::Table(inner) => collect_keys(inner, &format!("{key}."), out),
                _ => out.push(key),
            }
        }
    }
}
