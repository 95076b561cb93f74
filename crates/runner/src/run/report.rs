//! What a run reports: its figures ([`Outcome`], [`Usage`]), the closing summary and `--timings`
//! on stderr, and the `--report` JSON.

use std::io::Write;
use std::time::Duration;

/// How a run ended.
pub struct Outcome {
    pub documents: usize,
    pub failed: usize,
    /// File → data rows written.
    pub files: Vec<(String, usize)>,
    pub elapsed: std::time::Duration,
    /// Set when a stage with `on_error = "fail"` stopped the run.
    pub aborted: Option<String>,
    pub skipped_inputs: Vec<ingest::Skipped>,
    /// WARC records that are not HTML responses (requests, metadata, redirects…).
    pub skipped_records: usize,
    /// Bytes of decoded source text of the documents read.
    pub bytes: u64,
    pub threads: usize,
    /// Time per step, summed over threads: `ingest`, each stage instance, `export`.
    pub timings: Vec<(String, Duration)>,
    /// Where the cores went, so that the share two threads leave idle is known apart from
    /// the host's noise.
    pub usage: Usage,
}

/// Wall and busy times of the start-up and of the document workers.
#[derive(Default)]
pub struct Usage {
    /// From the start of the process to the first document handed to the workers.
    pub startup: Duration,
    /// Building the stages: time summed over the builds, and wall time.
    pub build_busy: Duration,
    pub build_wall: Duration,
    /// CPU time of each thread that built stages (see `Plan::build_cpu`).
    pub build_cpu: Vec<Duration>,
    /// From the first document handed to the workers to the last one processed.
    pub processing: Duration,
    /// Time the workers spent on documents, summed over workers: reading them, running the
    /// stages and encoding them (each worker does all three).
    pub workers_busy: Duration,
    /// Time the workers waited for their turn at the input or for a credit (memory bound),
    /// summed over workers.
    pub workers_waiting_for_input: Duration,
    /// The workers' own account from the scheduler (Linux): time on a core, and time ready
    /// but waiting for one (taken by other processes), summed over workers. The rest of their
    /// processing time they were blocked, with nothing to do: the idle share, which the host's
    /// load does not inflate the way it inflates wall-clock figures.
    pub workers_sched: Option<Sched>,
    /// The same of the writer thread that runs beside the workers. It
    /// uses cores the workers leave, so the cores left idle by the whole run are at least the
    /// workers' blocked time less its, and at most the blocked time.
    pub writer_sched: Option<Sched>,
    /// CPU time of the whole process (user and system), where the system tells it.
    pub cpu: Option<Duration>,
}

#[derive(Default, Clone, Copy)]
pub struct Sched {
    pub on_cpu: Duration,
    pub runnable: Duration,
}

impl Sched {
    /// This thread's counters so far, from `/proc/thread-self/schedstat`.
    pub fn of_this_thread() -> Option<Sched> {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
        Some(Sched {
            on_cpu: Duration::from_nanos(fields.next()??),
            runnable: Duration::from_nanos(fields.next()??),
        })
    }

    pub(super) fn add(a: Option<Sched>, b: Option<Sched>) -> Option<Sched> {
        let (a, b) = (a?, b?);
        Some(Sched {
            on_cpu: a.on_cpu + b.on_cpu,
            runnable: a.runnable + b.runnable,
        })
    }

    /// What `pairs` of (before, after) counters add up to, if every thread had them.
    pub fn spent(pairs: impl IntoIterator<Item = (Option<Sched>, Option<Sched>)>) -> Option<Sched> {
        let mut total = Sched::default();
        for (before, after) in pairs {
            let (before, after) = (before?, after?);
            total.on_cpu += after.on_cpu.saturating_sub(before.on_cpu);
            total.runnable += after.runnable.saturating_sub(before.runnable);
        }
        Some(total)
    }
}

impl Usage {
    /// Worker time not spent on documents while documents were being processed.
    pub fn workers_idle(&self, threads: usize) -> Duration {
        (self.processing * threads as u32).saturating_sub(self.workers_busy)
    }

    /// Worker time blocked with nothing to do, by the scheduler's account.
    pub fn workers_blocked(&self, threads: usize) -> Option<Duration> {
        let sched = self.workers_sched?;
        Some(
            (self.processing * threads as u32)
                .saturating_sub(sched.on_cpu)
                .saturating_sub(sched.runnable),
        )
    }
}

/// User and system time of this process so far, from `/proc/self/stat` (Linux), in clock
/// ticks of 10 ms: coarse, but enough against runs of seconds.
pub(super) fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// The closing summary, on stderr.
pub fn print_summary(outcome: &Outcome) {
    let mut err = std::io::stderr().lock();
    let ok = outcome.documents - outcome.failed;
    let _ = writeln!(
        err,
        "{} documents: {ok} ok, {} failed, in {:.2} s",
        outcome.documents,
        outcome.failed,
        outcome.elapsed.as_secs_f64()
    );
    for line in ingest::skipped_summary(&outcome.skipped_inputs) {
        let _ = writeln!(err, "{line}");
    }
    if outcome.skipped_records > 0 {
        let _ = writeln!(
            err,
            "skipped {} web archive records that are not HTML responses (requests, metadata, redirects…)",
            outcome.skipped_records
        );
    }
    for (file, rows) in &outcome.files {
        let _ = writeln!(err, "  {file}: {rows} rows");
    }
}

/// Time per step, on stderr (`--timings`). Throughput per step is the input size over the
/// step's own time (summed over threads), so steps compare on one scale.
pub fn print_timings(outcome: &Outcome) {
    let mut err = std::io::stderr().lock();
    let mb = outcome.bytes as f64 / 1e6;
    let _ = writeln!(
        err,
        "{:.1} MB in {:.2} s on {} threads: {:.1} MB/s, {:.0} documents/s end to end",
        mb,
        outcome.elapsed.as_secs_f64(),
        outcome.threads,
        mb / outcome.elapsed.as_secs_f64().max(1e-9),
        outcome.documents as f64 / outcome.elapsed.as_secs_f64().max(1e-9)
    );
    for (step, time) in &outcome.timings {
        let secs = time.as_secs_f64();
        let _ = writeln!(
            err,
            "  {step:<16} {secs:>8.3} s  {:>9.1} MB/s",
            mb / secs.max(1e-9)
        );
    }
    let u = &outcome.usage;
    let _ = writeln!(
        err,
        "start-up {:.3} s (building the stages: {:.3} s of work in {:.3} s)",
        u.startup.as_secs_f64(),
        u.build_busy.as_secs_f64(),
        u.build_wall.as_secs_f64()
    );
    if !u.build_cpu.is_empty() {
        let cpu: Vec<String> = u
            .build_cpu
            .iter()
            .map(|c| format!("{:.3}", c.as_secs_f64()))
            .collect();
        let _ = writeln!(
            err,
            "  stage builds by the scheduler: {} s on a core, per thread",
            cpu.join(" + ")
        );
    }
    let capacity = u.processing.as_secs_f64() * outcome.threads as f64;
    let idle = u.workers_idle(outcome.threads).as_secs_f64();
    let _ = writeln!(
        err,
        "workers: {:.3} s busy (reading, stages, encoding), {idle:.3} s idle ({:.1}% of {} × {:.3} s; waiting for their turn at the input or for a credit {:.3} s)",
        u.workers_busy.as_secs_f64(),
        100.0 * idle / capacity.max(1e-9),
        outcome.threads,
        u.processing.as_secs_f64(),
        u.workers_waiting_for_input.as_secs_f64()
    );
    if let (Some(sched), Some(blocked)) = (u.workers_sched, u.workers_blocked(outcome.threads)) {
        let _ = writeln!(
            err,
            "workers by the scheduler: {:.3} s on a core, {:.3} s ready but waiting for one, {:.3} s blocked ({:.1}% idle)",
            sched.on_cpu.as_secs_f64(),
            sched.runnable.as_secs_f64(),
            blocked.as_secs_f64(),
            100.0 * blocked.as_secs_f64() / capacity.max(1e-9)
        );
        if let Some(others) = u.writer_sched {
            let least = blocked.saturating_sub(others.on_cpu).as_secs_f64();
            let _ = writeln!(
                err,
                "writer: {:.3} s on a core; cores left idle: {:.1}% to {:.1}%",
                others.on_cpu.as_secs_f64(),
                100.0 * least / capacity.max(1e-9),
                100.0 * blocked.as_secs_f64() / capacity.max(1e-9)
            );
        }
    }
    if let Some(cpu) = u.cpu {
        let wall = (u.startup + outcome.elapsed).as_secs_f64();
        let _ = writeln!(
            err,
            "CPU {:.2} s over {wall:.2} s from process start: {:.2} cores busy",
            cpu.as_secs_f64(),
            cpu.as_secs_f64() / wall.max(1e-9)
        );
    }
}

/// The run's figures as JSON (`--report FILE`), for batch systems and the benchmark.
pub fn report_json(outcome: &Outcome) -> serde_json::Value {
    serde_json::json!({
        "documents": outcome.documents,
        "failed": outcome.failed,
        "bytes": outcome.bytes,
        "threads": outcome.threads,
        "elapsed_seconds": outcome.elapsed.as_secs_f64(),
        "aborted": outcome.aborted,
        "skipped_inputs": outcome.skipped_inputs.len(),
        "skipped_records": outcome.skipped_records,
        "startup_seconds": outcome.usage.startup.as_secs_f64(),
        "build_seconds": outcome.usage.build_busy.as_secs_f64(),
        "build_wall_seconds": outcome.usage.build_wall.as_secs_f64(),
        "build_cpu_seconds_per_thread": outcome.usage.build_cpu.iter().map(|c| c.as_secs_f64()).collect::<Vec<_>>(),
        "processing_seconds": outcome.usage.processing.as_secs_f64(),
        "workers_busy_seconds": outcome.usage.workers_busy.as_secs_f64(),
        "workers_idle_seconds": outcome.usage.workers_idle(outcome.threads).as_secs_f64(),
        "workers_waiting_for_input_seconds": outcome.usage.workers_waiting_for_input.as_secs_f64(),
        "workers_on_cpu_seconds": outcome.usage.workers_sched.map(|s| s.on_cpu.as_secs_f64()),
        "workers_runnable_seconds": outcome.usage.workers_sched.map(|s| s.runnable.as_secs_f64()),
        "writer_on_cpu_seconds": outcome.usage.writer_sched.map(|s| s.on_cpu.as_secs_f64()),
        "workers_blocked_seconds": outcome.usage.workers_blocked(outcome.threads).map(|d| d.as_secs_f64()),
        "cpu_seconds": outcome.usage.cpu.map(|c| c.as_secs_f64()),
        "timings": outcome.timings.iter().map(|(step, time)| serde_json::json!({"step": step, "seconds": time.as_secs_f64()})).collect::<Vec<_>>(),
        "files": outcome.files.iter().map(|(k, v)| (k.clone(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
    })
}
