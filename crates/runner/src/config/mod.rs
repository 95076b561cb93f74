//! pipeline.toml → a validated [`Plan`], or every problem at once.
//!
//! ```toml
//! [pipeline]
//! input = ["data/articles"]   # files or folders, relative to this file ("-": JSONL on stdin)
//! output = "out"              # relative to this file ("-": JSONL on stdout)
//! stages = ["clean", "quotes", "csv", "json"]
//!
//! [ingest]
//! max_file_bytes = 10485760
//!
//! [stages.quotes]             # options of the instance named "quotes"
//! on_error = "skip"
//!
//! [stages.quotes_raw]         # a second instance of the same stage type
//! type = "quotes"
//! ```
//!
//! Validation reads no input: it checks names, option keys and types, that every stage's needs
//! are provided by an earlier stage, that inputs exist and that the output folder is writable.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use model::{BuildContext, Capability};
use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::registry::{self, BuildError, Built, StageEntry, StageKind};

mod build;
mod options;

use build::{build_all, BuildJob};

/// What to do when a stage fails on a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Record the document in errors.csv and go on with the others.
    #[default]
    Skip,
    /// Stop the run at the first failure.
    Fail,
}

pub enum Input {
    Stdin,
    Path(PathBuf),
}

pub enum Output {
    Stdout,
    Dir(PathBuf),
}

/// Command-line values that take precedence over the config.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub input: Option<Vec<String>>,
    pub output: Option<String>,
    pub threads: Option<usize>,
    /// `--shard-index`, `--shard-count`.
    pub shard: (Option<usize>, Option<usize>),
}

/// A deterministic share of the inputs, for batch systems that run N copies of the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// The contiguous run of `n` sorted inputs this shard takes: concatenating the shards in
    /// index order gives the order of a single run.
    pub fn range(&self, n: usize) -> std::ops::Range<usize> {
        self.index * n / self.count..(self.index + 1) * n / self.count
    }

    pub fn folder_name(&self) -> String {
        format!("shard-{:05}-of-{:05}", self.index, self.count)
    }
}

pub struct PlannedStage {
    pub instance: String,
    pub entry: &'static str,
    pub kind: StageKind,
    pub on_error: OnError,
    pub built: Built,
}

pub struct Plan {
    pub inputs: Vec<Input>,
    pub output: Output,
    /// 0 = one per core.
    pub threads: usize,
    pub ingest: ingest::IngestOptions,
    pub stages: Vec<PlannedStage>,
    pub capabilities: BTreeSet<Capability>,
    pub shard: Option<Shard>,
    /// Building the stages: time summed over the builds, and wall time.
    pub build_busy: std::time::Duration,
    pub build_wall: std::time::Duration,
    /// CPU time of each thread that built stages, by the scheduler's account (empty where the
    /// system does not tell it): the busiest is the start-up that host load does not inflate.
    pub build_cpu: Vec<std::time::Duration>,
}

impl Plan {
    pub fn streaming_output(&self) -> bool {
        matches!(self.output, Output::Stdout)
    }
}

/// Where a run's documents go, for the stages that cannot run everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Folder,
    /// `--output -`: one line per document, no corpus stages.
    Streaming,
    /// `--shard-index`: a share of the inputs, no corpus stages.
    Sharded,
}

#[derive(Default)]
struct PipelineSection {
    input: Option<Spanned<Paths>>,
    output: Option<Spanned<String>>,
    stages: Vec<Spanned<String>>,
    threads: Option<Spanned<usize>>,
}

/// No run uses more threads than this, whatever the cores.
pub const THREADS_CAP: usize = 256;

/// The most threads a run may ask for on `cores` cores.
pub fn max_threads(cores: usize) -> usize {
    cores.saturating_mul(4).min(THREADS_CAP)
}

const PIPELINE_KEYS: [&str; 4] = ["input", "output", "stages", "threads"];

#[derive(Deserialize)]
#[serde(untagged)]
enum Paths {
    One(String),
    Many(Vec<String>),
}

const TOP_LEVEL_KEYS: [&str; 3] = ["pipeline", "ingest", "stages"];

/// A config is a few kilobytes: anything over this is a mistake (`-c /dev/zero`), refused
/// without being read whole.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Reads and validates `path`. Returns the plan when there are no errors, and every
/// diagnostic (errors and warnings) found.
pub fn load(path: &Path, overrides: &Overrides) -> (Option<Plan>, Vec<Diagnostic>) {
    match ingest::read_string_bounded(path, MAX_CONFIG_BYTES, "") {
        Ok(text) => load_text(path, &text, overrides),
        Err(e) => {
            let d = Diagnostic::error(format!("cannot read config {}: {e}", path.display()));
            (None, vec![d])
        }
    }
}

/// Validates `text` as if read from `path` (paths in it are relative to `path`'s folder):
/// the built-in default pipeline goes through the same checks as a file.
pub fn load_text(
    path: &Path,
    text: &str,
    overrides: &Overrides,
) -> (Option<Plan>, Vec<Diagnostic>) {
    let mut v = Validator {
        path,
        text,
        diagnostics: Vec::new(),
    };
    let plan = v.validate(overrides);
    let mut diagnostics = v.diagnostics;
    // Top to bottom of the file, command-line problems last.
    diagnostics.sort_by_key(|d| d.position.map_or((usize::MAX, 0), |p| p));
    let plan = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        plan
    };
    (plan, diagnostics)
}

struct Validator<'a> {
    path: &'a Path,
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Validator<'a> {
    fn error(&mut self, span: Option<Range<usize>>, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::error(message).at(self.path, self.text, span);
        self.diagnostics.push(d);
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn warning(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let d = Diagnostic::warning(message).at(self.path, self.text, span);
        self.diagnostics.push(d);
    }

    fn toml_error(&mut self, e: &toml::de::Error, context: &str) {
        let message = e.message().trim().to_string();
        self.error(e.span(), format!("{context}{message}"));
    }

    /// The config's folder ("" when it is the current folder, so paths print as written).
    fn base_dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    fn validate(&mut self, overrides: &Overrides) -> Option<Plan> {
        let root = match DeTable::parse(self.text) {
            Ok(root) => root,
            Err(e) => {
                self.toml_error(&e, "invalid TOML: ");
                return None;
            }
        };
        let mut pipeline = None;
        let mut ingest_options = ingest::IngestOptions::default();
        let mut stage_tables: BTreeMap<String, (Range<usize>, Spanned<DeValue<'_>>)> =
            BTreeMap::new();
        for (key, value) in root.get_ref().iter() {
            match key.get_ref().as_ref() {
                "pipeline" => pipeline = self.pipeline_section(value),
                "ingest" => {
                    let parse = ingest::IngestOptions::deserialize;
                    if let Some(o) = self.deserialize_all(value, "[ingest]: ", None, parse) {
                        ingest_options = o;
                    }
                }
                "stages" => match value.get_ref().as_table() {
                    Some(table) => {
                        for (name, options) in table.iter() {
                            stage_tables
                                .insert(name.get_ref().to_string(), (name.span(), options.clone()));
                        }
                    }
                    None => {
                        self.error(Some(value.span()), "`stages` must be a table of stage options")
                            .help("the stage list goes in [pipeline] as `stages = [...]`; per-stage options go in [stages.NAME] tables");
                    }
                },
                other => {
                    let suggestion = did_you_mean(other, TOP_LEVEL_KEYS);
                    let d = self.error(Some(key.span()), format!("unknown key `{other}`"));
                    d.help = Some(match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "top-level keys are `pipeline`, `ingest` and `stages`".into(),
                    });
                }
            }
        }
        let Some(pipeline) = pipeline else {
            if !self
                .diagnostics
                .iter()
                .any(|d| d.message.starts_with("[pipeline]"))
            {
                self.error(None, "no [pipeline] table: it lists the stages to run")
                    .help("add:\n[pipeline]\ninput = [\"data/articles\"]\noutput = \"out\"\nstages = [\"clean\", \"quotes\", \"entities\", \"claims\", \"corroborate\", \"csv\", \"json\"]");
            }
            return None;
        };

        let registry = registry::registry();
        let streaming = overrides.output.as_deref() == Some("-")
            || (overrides.output.is_none()
                && pipeline.output.as_ref().is_some_and(|o| o.get_ref() == "-"));
        let shard = self.shard(overrides);
        let threads = self.threads(&pipeline, overrides);
        let build_clock = std::time::Instant::now();
        let mode = match (streaming, shard.is_some()) {
            (true, _) => Mode::Streaming,
            (false, true) => Mode::Sharded,
            (false, false) => Mode::Folder,
        };
        let (stages, build_busy, build_cpu) =
            self.plan_stages(&pipeline, &stage_tables, &registry, mode, threads);
        let build_wall = build_clock.elapsed();
        let capabilities = self.check_needs(&stages, &registry, &pipeline);
        if !streaming {
            self.check_an_exporter_is_listed(&pipeline, &stage_tables, &registry);
        }
        let inputs = self.inputs(&pipeline, overrides);
        if shard.is_some() && inputs.iter().flatten().any(|i| matches!(i, Input::Stdin)) {
            self.diagnostics.push(Diagnostic::error(
                "--shard-index: standard input cannot be sharded; give the shards files or folders",
            ));
        }
        let output = self.output(&pipeline, overrides).map(|o| match (o, shard) {
            (Output::Dir(d), Some(s)) => Output::Dir(d.join(s.folder_name())),
            (o, _) => o,
        });
        Some(Plan {
            inputs: inputs?,
            output: output?,
            threads,
            ingest: ingest_options,
            stages,
            capabilities,
            shard,
            build_busy,
            build_wall,
            build_cpu,
        })
    }

    /// Writing to a folder needs an exporter in the list (unless a listed name is unknown,
    /// which is reported already).
    fn check_an_exporter_is_listed(
        &mut self,
        pipeline: &PipelineSection,
        stage_tables: &BTreeMap<String, (Range<usize>, Spanned<DeValue<'_>>)>,
        registry: &[StageEntry],
    ) {
        let listed_exporter = pipeline.stages.iter().any(|listed| {
            let name = listed.get_ref();
            let type_name = stage_tables
                .get(name)
                .and_then(|(_, t)| t.get_ref().as_table())
                .and_then(|t| t.iter().find(|(k, _)| k.get_ref() == "type"))
                .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string))
                .unwrap_or_else(|| name.clone());
            registry::find(registry, &type_name).is_some_and(|e| e.kind == StageKind::Export)
        });
        let unknown_listed = pipeline.stages.iter().any(|listed| {
            registry::find(registry, listed.get_ref()).is_none()
                && !stage_tables.contains_key(listed.get_ref())
        });
        if !pipeline.stages.is_empty() && !listed_exporter && !unknown_listed {
            let span = pipeline.stages.last().map(|s| s.span());
            self.error(
                span,
                "no exporter in pipeline.stages: nothing would be written",
            )
            .help("add \"csv\" and/or \"json\" to pipeline.stages (or stream with --output -)");
        }
    }

    /// The thread count (0 = one per core), refused above [`max_threads`]: thousands of
    /// threads only cost memory and start-up time, and may fail to start at all.
    fn threads(&mut self, pipeline: &PipelineSection, overrides: &Overrides) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let limit = max_threads(cores);
        let (threads, span) = match (overrides.threads, &pipeline.threads) {
            (Some(n), _) => (n, None),
            (None, Some(n)) => (*n.get_ref(), Some(n.span())),
            (None, None) => (0, None),
        };
        if threads <= limit {
            return threads;
        }
        let place = if span.is_some() {
            "[pipeline] `threads`"
        } else {
            "--threads"
        };
        let message = format!("{place}: {threads} is too many: at most {limit} (4 per core on {cores} cores, and never above {THREADS_CAP})");
        let help = Some("0 runs one thread per core".to_string());
        if span.is_some() {
            self.error(span, message).help = help;
        } else {
            // A command-line value has no place in the file.
            let mut d = Diagnostic::error(message);
            d.help = help;
            self.diagnostics.push(d);
        }
        0
    }

    fn shard(&mut self, overrides: &Overrides) -> Option<Shard> {
        match overrides.shard {
            (None, None) => None,
            (Some(index), Some(count)) if count > 0 && index < count => {
                Some(Shard { index, count })
            }
            (Some(_), Some(_)) => {
                self.diagnostics.push(Diagnostic::error(
                    "--shard-index must be below --shard-count (shards are numbered from 0)",
                ));
                None
            }
            _ => {
                self.diagnostics.push(Diagnostic::error(
                    "--shard-index and --shard-count go together",
                ));
                None
            }
        }
    }

    /// Reads [pipeline] key by key, so that one bad value does not hide the others.
    fn pipeline_section(&mut self, value: &Spanned<DeValue<'_>>) -> Option<PipelineSection> {
        let Some(table) = value.get_ref().as_table() else {
            self.error(Some(value.span()), "[pipeline]: must be a table");
            return None;
        };
        let mut section = PipelineSection::default();
        let mut has_stages = false;
        for (key, value) in table.iter() {
            let de = || ValueDeserializer::from(value.clone());
            let name = key.get_ref().as_ref();
            let result = match name {
                "input" => Spanned::<Paths>::deserialize(de()).map(|v| section.input = Some(v)),
                "output" => Spanned::<String>::deserialize(de()).map(|v| section.output = Some(v)),
                "stages" => Vec::<Spanned<String>>::deserialize(de()).map(|v| {
                    has_stages = true;
                    if v.is_empty() {
                        self.error(Some(value.span()), "[pipeline] `stages` is empty: nothing would be run")
                            .help("e.g. stages = [\"clean\", \"quotes\", \"csv\"]; `newsmill stages` lists them all");
                    }
                    section.stages = v;
                }),
                "threads" => Spanned::<usize>::deserialize(de()).map(|v| section.threads = Some(v)),
                other => {
                    let d = self.error(
                        Some(key.span()),
                        format!("[pipeline]: unknown key `{other}`"),
                    );
                    d.help = Some(match did_you_mean(other, PIPELINE_KEYS) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("[pipeline] takes {}", PIPELINE_KEYS.join(", ")),
                    });
                    continue;
                }
            };
            if let Err(e) = result {
                let message = e.message().trim().to_string();
                let message = message.replace(
                    "data did not match any variant of untagged enum Paths",
                    "expected a path or a list of paths",
                );
                self.error(
                    e.span().or(Some(value.span())),
                    format!("[pipeline] `{name}`: {message}"),
                );
            }
        }
        if !has_stages {
            self.error(Some(value.span()), "[pipeline]: no `stages` list")
                .help("e.g. stages = [\"clean\", \"quotes\", \"entities\", \"claims\", \"corroborate\", \"csv\", \"json\"]");
        }
        Some(section)
    }

    fn plan_stages(
        &mut self,
        pipeline: &PipelineSection,
        tables: &BTreeMap<String, (Range<usize>, Spanned<DeValue<'_>>)>,
        registry: &[StageEntry],
        mode: Mode,
        threads: usize,
    ) -> (
        Vec<PlannedStage>,
        std::time::Duration,
        Vec<std::time::Duration>,
    ) {
        let mut jobs = Vec::new();
        let mut seen = BTreeSet::new();
        let mut export_paths = options::ExportPaths::default();
        for listed in &pipeline.stages {
            let instance = listed.get_ref().clone();
            if !seen.insert(instance.clone()) {
                self.error(Some(listed.span()), format!("stage `{instance}` is listed twice"))
                    .help("to run one stage type twice, give each a name: [stages.NAME] with type = \"...\"");
                continue;
            }
            let table = tables.get(&instance).map(|(_, v)| v);
            let job = self.plan_stage(listed, table, registry, mode, &mut export_paths);
            jobs.extend(job);
        }
        for (name, (span, _)) in tables {
            if !seen.contains(name) {
                self.warning(
                    Some(span.clone()),
                    format!("[stages.{name}] is not used: `{name}` is not in pipeline.stages"),
                );
            }
        }
        let (results, build_cpu) = build_all(&jobs, threads);
        let (planned, build_busy) = self.take_built(jobs, results);
        (planned, build_busy, build_cpu)
    }

    /// The build of one listed stage, once its type, options and paths are known to be right.
    fn plan_stage<'r, 'i>(
        &mut self,
        listed: &Spanned<String>,
        table: Option<&Spanned<DeValue<'i>>>,
        registry: &'r [StageEntry],
        mode: Mode,
        export_paths: &mut options::ExportPaths,
    ) -> Option<BuildJob<'r, 'i>> {
        let instance = listed.get_ref().clone();
        let (type_name, type_span, on_error, options) = match table {
            Some(t) => self.split_stage_table(&instance, t)?,
            None => (instance.clone(), listed.span(), OnError::Skip, None),
        };
        let Some(entry) = registry::find(registry, &type_name) else {
            let names = registry.iter().map(|e| e.name);
            let d = self.error(Some(type_span), format!("unknown stage `{type_name}`"));
            d.help = Some(match did_you_mean(&type_name, names) {
                Some(s) => format!("did you mean `{s}`? (`newsmill stages` lists them all)"),
                None => "`newsmill stages` lists the stages there are".to_string(),
            });
            return None;
        };
        if entry.kind == StageKind::Corpus {
            let unavailable = match mode {
                Mode::Sharded => Some("in shard mode and will be skipped: each shard sees only its share of the documents"),
                Mode::Streaming => Some("in streaming mode (--output -) and will be skipped: it needs every document before it can write anything"),
                Mode::Folder => None,
            };
            if let Some(why) = unavailable {
                self.warning(
                    Some(listed.span()),
                    format!("corpus stage `{instance}` is unavailable {why}"),
                );
            }
        }
        let span = table.map(|t| t.span()).unwrap_or(listed.span());
        let options =
            options.unwrap_or_else(|| Spanned::new(span.clone(), DeValue::Table(DeTable::new())));
        // Every problem of the stage is reported, then it is left out of the build.
        let options_ok = self.check_options(&instance, entry, &options);
        let paths_ok = entry.kind != StageKind::Export
            || self.check_export_paths(&instance, entry, &options, listed.span(), export_paths);
        if !(options_ok && paths_ok) {
            return None;
        }
        let context = BuildContext {
            base_dir: self.base_dir(),
            instance: instance.clone(),
        };
        Some(BuildJob {
            instance,
            entry,
            on_error,
            span,
            options,
            context,
            at: self.diagnostics.len(),
        })
    }

    /// The stages that were built, in pipeline order, and the time the builds took; each
    /// stage that refused its options is reported where it would have been had the stages
    /// been built in turn, so that the report reads the same.
    fn take_built(
        &mut self,
        jobs: Vec<BuildJob<'_, '_>>,
        results: Vec<build::BuildResult>,
    ) -> (Vec<PlannedStage>, std::time::Duration) {
        let mut planned = Vec::new();
        let mut build_busy = std::time::Duration::ZERO;
        let mut inserted = 0;
        for (job, (built, time)) in jobs.into_iter().zip(results) {
            build_busy += time;
            let before = self.diagnostics.len();
            let BuildJob {
                instance,
                entry,
                on_error,
                span,
                ..
            } = job;
            let context = format!("[stages.{instance}] ({}): ", entry.name);
            match built {
                Ok(built) => planned.push(PlannedStage {
                    instance,
                    entry: entry.name,
                    kind: entry.kind,
                    on_error,
                    built,
                }),
                // Options were checked before the build; kept for a stage that reads more.
                Err(BuildError::Options(e)) => self.toml_error(&e, &context),
                Err(BuildError::Stage(e)) => {
                    self.error(Some(span), format!("{context}{e}"));
                }
            }
            let new: Vec<Diagnostic> = self.diagnostics.drain(before..).collect();
            let at = job.at + inserted;
            inserted += new.len();
            self.diagnostics.splice(at..at, new);
        }
        (planned, build_busy)
    }

    /// Splits a stage table into its type, `on_error` and the stage's own options.
    #[allow(clippy::type_complexity)]
    fn split_stage_table<'i>(
        &mut self,
        instance: &str,
        table: &Spanned<DeValue<'i>>,
    ) -> Option<(String, Range<usize>, OnError, Option<Spanned<DeValue<'i>>>)> {
        let Some(entries) = table.get_ref().as_table() else {
            self.error(
                Some(table.span()),
                format!("[stages.{instance}] must be a table"),
            );
            return None;
        };
        let mut type_name = (instance.to_string(), table.span());
        let mut on_error = OnError::Skip;
        let mut rest = DeTable::new();
        let mut ok = true;
        for (key, value) in entries.iter() {
            match key.get_ref().as_ref() {
                "type" => match value.get_ref().as_str() {
                    Some(t) => type_name = (t.to_string(), value.span()),
                    None => {
                        self.error(
                            Some(value.span()),
                            format!("[stages.{instance}] `type` must be a string naming a stage"),
                        );
                        ok = false;
                    }
                },
                "on_error" => match value.get_ref().as_str() {
                    Some("skip") => on_error = OnError::Skip,
                    Some("fail") => on_error = OnError::Fail,
                    _ => {
                        self.error(
                            Some(value.span()),
                            format!("[stages.{instance}] `on_error` must be \"skip\" or \"fail\""),
                        );
                        ok = false;
                    }
                },
                _ => {
                    rest.insert(key.clone(), value.clone());
                }
            }
        }
        ok.then(|| {
            (
                type_name.0,
                type_name.1,
                on_error,
                Some(Spanned::new(table.span(), DeValue::Table(rest))),
            )
        })
    }

    /// Every stage's needs must be provided by an earlier stage; a stage that rewrites the
    /// text must come before the stages that read it.
    fn check_needs(
        &mut self,
        stages: &[PlannedStage],
        registry: &[StageEntry],
        pipeline: &PipelineSection,
    ) -> BTreeSet<Capability> {
        let span_of = |instance: &str| {
            pipeline
                .stages
                .iter()
                .find(|s| s.get_ref() == instance)
                .map(|s| s.span())
        };
        let mut provided = BTreeSet::from([Capability::Text]);
        let mut readers: Vec<&str> = Vec::new();
        for stage in stages {
            let entry = registry::find(registry, stage.entry).expect("planned from registry");
            for need in entry.needs {
                if !provided.contains(need) {
                    let providers: Vec<&str> = registry
                        .iter()
                        .filter(|e| e.provides.contains(need))
                        .map(|e| e.name)
                        .collect();
                    let d = self.error(
                        span_of(&stage.instance),
                        format!(
                            "stage `{}` needs {}, which no earlier stage provides",
                            stage.instance,
                            need.as_str()
                        ),
                    );
                    d.help = Some(format!(
                        "add {} before `{}` in pipeline.stages",
                        providers
                            .iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join(" or "),
                        stage.instance
                    ));
                }
            }
            if entry.rewrites_text() {
                if let Some(reader) = readers.first() {
                    self.error(
                        span_of(&stage.instance),
                        format!("stage `{}` rewrites the text, so the results of `{reader}` before it would be lost", stage.instance),
                    )
                    .help(format!("move `{}` before `{reader}`", stage.instance));
                }
            }
            if entry.kind == StageKind::Document && !entry.rewrites_text() {
                readers.push(&stage.instance);
            }
            provided.extend(entry.provides.iter().copied());
        }
        provided
    }

    fn inputs(&mut self, pipeline: &PipelineSection, overrides: &Overrides) -> Option<Vec<Input>> {
        let (paths, span, base) = match (&overrides.input, &pipeline.input) {
            (Some(cli), _) => (cli.clone(), None, PathBuf::new()),
            (None, Some(p)) => {
                let list = match p.get_ref() {
                    Paths::One(s) => vec![s.clone()],
                    Paths::Many(v) => v.clone(),
                };
                (list, Some(p.span()), self.base_dir())
            }
            (None, None) => {
                self.error(None, "no input: set `input` in [pipeline] or pass --input");
                return None;
            }
        };
        if paths.is_empty() {
            self.error(span, "`input` is empty: name at least one file or folder");
            return None;
        }
        let mut inputs = Vec::new();
        for p in paths {
            if p == "-" {
                inputs.push(Input::Stdin);
                continue;
            }
            let path = base.join(&p);
            if !path.exists() {
                let message = format!("input path {} does not exist", path.display());
                match span {
                    Some(_) => {
                        self.error(span.clone(), message);
                    }
                    None => self
                        .diagnostics
                        .push(Diagnostic::error(format!("--input: {message}"))),
                }
            }
            inputs.push(Input::Path(path));
        }
        Some(inputs)
    }

    fn output(&mut self, pipeline: &PipelineSection, overrides: &Overrides) -> Option<Output> {
        let (dir, span) = match (&overrides.output, &pipeline.output) {
            (Some(cli), _) if cli == "-" => return Some(Output::Stdout),
            (None, Some(o)) if o.get_ref() == "-" => return Some(Output::Stdout),
            (Some(cli), _) => (PathBuf::from(cli), None),
            (None, Some(o)) => (self.base_dir().join(o.get_ref()), Some(o.span())),
            (None, None) => (self.base_dir().join("out"), None),
        };
        if let Err(reason) = writable(&dir) {
            let message = format!("output folder {} is not writable: {reason}", dir.display());
            match span {
                Some(s) => {
                    self.error(Some(s), message);
                }
                None => self.diagnostics.push(Diagnostic::error(message)),
            }
        }
        Some(Output::Dir(dir))
    }
}

/// Whether `dir` exists and takes new files, or could be created, without creating it.
fn writable(dir: &Path) -> Result<(), String> {
    let mut existing = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    while !existing.exists() {
        existing = match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
    }
    if !existing.is_dir() {
        return Err(format!("{} is a file", existing.display()));
    }
    let probe = existing.join(format!(".newsmill-probe-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(e.to_string()),
    }
}
