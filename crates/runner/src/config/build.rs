//! Builds the planned stages in parallel: stages compile their regexes and automata when built,
//! independently of each other, and this is most of the start-up; built in turn, they would
//! keep all but one core waiting.

use std::ops::Range;
use std::time::{Duration, Instant};

use model::BuildContext;
use rayon::prelude::*;
use toml::de::{DeValue, ValueDeserializer};
use toml::Spanned;

use super::OnError;
use crate::registry::{BuildError, Built, StageEntry};
use crate::run::Sched;

/// A stage to build, once its options are known to be there.
pub(super) struct BuildJob<'r, 'i> {
    pub(super) instance: String,
    pub(super) entry: &'r StageEntry,
    pub(super) on_error: OnError,
    pub(super) span: Range<usize>,
    pub(super) options: Spanned<DeValue<'i>>,
    pub(super) context: BuildContext,
    /// How many diagnostics came before it.
    pub(super) at: usize,
}

/// What building a stage gave, and the time it took.
pub(super) type BuildResult = (Result<Built, BuildError>, Duration);

/// Builds the stages on up to `threads` threads (0: one per core), results in job order; also
/// returns the CPU time each thread spent building, by the scheduler's account (empty where
/// the system does not tell it). Each thread takes the next stage not yet taken, so a long
/// build does not hold up the short ones behind it.
pub(super) fn build_all(
    jobs: &[BuildJob<'_, '_>],
    threads: usize,
) -> (Vec<BuildResult>, Vec<Duration>) {
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(jobs.len())
    .max(1);
    let build = |job: &BuildJob<'_, '_>| {
        let before = Sched::of_this_thread();
        let clock = Instant::now();
        let options = ValueDeserializer::from(job.options.clone());
        let built = (job.entry.build)(options, &job.context);
        let cpu = Sched::spent([(before, Sched::of_this_thread())]).map(|s| s.on_cpu);
        ((built, clock.elapsed()), rayon::current_thread_index(), cpu)
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("newsmill-build-{i}"))
        .build();
    let built: Vec<_> = match pool {
        Ok(pool) => pool.install(|| jobs.par_iter().with_max_len(1).map(build).collect()),
        // No thread could be started: this one builds them all.
        Err(_) => jobs.iter().map(build).collect(),
    };
    let mut per_thread: Vec<Option<Duration>> = Vec::new();
    let mut results = Vec::with_capacity(built.len());
    for (result, thread, cpu) in built {
        let thread = thread.unwrap_or(0);
        if per_thread.len() <= thread {
            per_thread.resize(thread + 1, Some(Duration::ZERO));
        }
        per_thread[thread] = per_thread[thread].zip(cpu).map(|(a, b)| a + b);
        results.push(result);
    }
    let cpu = per_thread
        .into_iter()
        .collect::<Option<_>>()
        .unwrap_or_default();
    (results, cpu)
}
