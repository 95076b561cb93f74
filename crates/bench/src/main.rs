//! `newsmill-bench`: generates a corpus of N MB from the seed articles (at bench time, under
//! `target/bench/`, never committed) and runs the release `newsmill` binary on it with 1 and 2
//! threads, reporting MB/s, documents/s, peak RSS and the time of every stage.
//!
//! ```sh
//! cargo build --release -p runner -p bench
//! target/release/newsmill-bench --mb 100
//! ```
//!
//! `--adversarial` runs single hostile documents instead (see `adversarial.rs`):
//!
//! ```sh
//! target/release/newsmill-bench --adversarial --mb 10
//! ```

mod adversarial;
mod corpus;

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str =
    "usage: newsmill-bench [--mb N] [--threads 1,2] [--passes N] [--config FILE] [--corpus-stage] [--root DIR]
       newsmill-bench --adversarial [--mb N] [--timeout SECS] [--root DIR]
       newsmill-bench --generate DOCS --to FILE.jsonl [--root DIR]   (corpus only)";

struct Args {
    mb: f64,
    threads: Vec<usize>,
    config: Option<PathBuf>,
    root: PathBuf,
    generate: Option<(usize, PathBuf)>,
    /// Also run once with the `corroborate` corpus stage (one thread) for its memory.
    corpus_stage: bool,
    /// How many times to run the thread counts, back to back: the ratio to the first thread
    /// count is printed per pass, since the host's load changes between passes.
    passes: usize,
    /// Single adversarial documents of `mb` MB each instead of the corpus.
    adversarial: bool,
    /// Longest an adversarial run may take before it is killed and reported as over.
    timeout: std::time::Duration,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        mb: 100.0,
        threads: vec![1, 2],
        config: None,
        root: std::env::current_dir().map_err(|e| e.to_string())?,
        generate: None,
        corpus_stage: false,
        passes: 1,
        adversarial: false,
        timeout: std::time::Duration::from_secs(120),
    };
    let mut mb_given = false;
    let mut generate_docs = None;
    let mut generate_to = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--mb" => {
                args.mb = value()?.parse().map_err(|e| format!("--mb: {e}"))?;
                mb_given = true;
            }
            "--adversarial" => args.adversarial = true,
            "--timeout" => {
                let secs = value()?.parse().map_err(|e| format!("--timeout: {e}"))?;
                args.timeout = std::time::Duration::from_secs(secs);
            }
            "--threads" => {
                args.threads = value()?
                    .split(',')
                    .map(|t| t.trim().parse().map_err(|e| format!("--threads: {e}")))
                    .collect::<Result<_, _>>()?
            }
            "--passes" => args.passes = value()?.parse().map_err(|e| format!("--passes: {e}"))?,
            "--config" => args.config = Some(PathBuf::from(value()?)),
            "--corpus-stage" => args.corpus_stage = true,
            "--root" => args.root = PathBuf::from(value()?),
            "--generate" => {
                generate_docs = Some(value()?.parse().map_err(|e| format!("--generate: {e}"))?)
            }
            "--to" => generate_to = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if args.adversarial && !mb_given {
        args.mb = 10.0;
    }
    args.generate = match (generate_docs, generate_to) {
        (Some(n), Some(to)) => Some((n, to)),
        (None, None) => None,
        _ => return Err(format!("--generate and --to go together\n{USAGE}")),
    };
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), String> {
    if let Some((docs, to)) = &args.generate {
        let mut generator = corpus::Generator::new(&args.root, 2025).map_err(|e| e.to_string())?;
        let file = std::fs::File::create(to).map_err(|e| format!("{}: {e}", to.display()))?;
        let mut out = std::io::BufWriter::new(file);
        for _ in 0..*docs {
            let (id, text) = generator.article();
            let line = serde_json::json!({ "id": id, "text": text });
            serde_json::to_writer(&mut out, &line).map_err(|e| e.to_string())?;
            out.write_all(b"\n").map_err(|e| e.to_string())?;
        }
        return out.flush().map_err(|e| e.to_string());
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let newsmill = exe.with_file_name("newsmill");
    if !newsmill.exists() {
        return Err(format!(
            "{} not found: cargo build --release -p runner",
            newsmill.display()
        ));
    }
    if args.adversarial {
        return adversarial::run(&args.root, &newsmill, args.mb, args.timeout);
    }
    let bench_dir = args.root.join("target/bench");
    std::fs::create_dir_all(&bench_dir).map_err(|e| e.to_string())?;
    // v2: drawn with fastrand; a corpus of the first generator left in `target/bench` is not
    // reused for it.
    let corpus = bench_dir.join(format!("corpus-v2-{}mb.jsonl", args.mb));
    let (documents, bytes) = generate(&args.root, &corpus, (args.mb * 1e6) as usize)?;
    eprintln!(
        "corpus: {} ({documents} documents, {:.1} MB of text)",
        corpus.display(),
        bytes as f64 / 1e6
    );
    let config = match &args.config {
        Some(c) => c.clone(),
        None => {
            let path = bench_dir.join("bench.toml");
            std::fs::write(&path, pipeline_config(BENCH_STAGES)).map_err(|e| e.to_string())?;
            path
        }
    };
    println!("machine: {}\n", machine());
    println!("| run | threads | MB/s | documents/s | peak RSS (MB) | wall (s) | process wall (s) | CPU (s) | cores busy | workers idle |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let measure = |label: &str, config: &Path, threads: usize| {
        measure_run(&newsmill, &corpus, &bench_dir, label, config, threads)
    };
    let mut reports = Vec::new();
    let mut outputs = Vec::new();
    let mut ratios = Vec::new();
    for pass in 0..args.passes.max(1) {
        let mut speeds = Vec::new();
        for &threads in &args.threads {
            let (out, json) = measure("pipeline", &config, threads)?;
            let secs = json["elapsed_seconds"].as_f64().unwrap_or(f64::NAN);
            speeds.push((threads, json["bytes"].as_f64().unwrap_or(0.0) / secs));
            if pass == 0 {
                outputs.push(out);
                reports.push((threads, json));
            }
        }
        if let Some(&(first, base)) = speeds.first() {
            let pass_ratios: Vec<String> = speeds[1..]
                .iter()
                .map(|(t, speed)| format!("{t}/{first} threads {:.2}", speed / base))
                .collect();
            ratios.push(pass_ratios.join(", "));
        }
    }
    if ratios.iter().any(|r| !r.is_empty()) {
        println!();
        for (pass, r) in ratios.iter().enumerate() {
            println!("pass {}: {r}", pass + 1);
        }
    }
    let corpus_report = if args.corpus_stage {
        let path = bench_dir.join("bench-corroborate.toml");
        std::fs::write(&path, pipeline_config(CORPUS_STAGE_STAGES)).map_err(|e| e.to_string())?;
        Some(measure("+corroborate", &path, 1)?.1)
    } else {
        None
    };
    if let Some((_, json)) = reports.first() {
        print_steps(json);
    }
    if outputs.len() > 1 {
        let same = outputs.windows(2).all(|w| same_tree(&w[0], &w[1]));
        println!("\noutputs identical across thread counts: {same}");
    }
    if let Some(json) = corpus_report {
        let corpus_secs = json["timings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["step"] == "corpus stages")
            .filter_map(|s| s["seconds"].as_f64())
            .sum::<f64>();
        println!("corroborate (corpus stage) on one thread: {corpus_secs:.2} s");
    }
    Ok(())
}

/// Runs the binary once on the corpus and prints its row: the output folder and the run's
/// report.
fn measure_run(
    newsmill: &Path,
    corpus: &Path,
    bench_dir: &Path,
    label: &str,
    config: &Path,
    threads: usize,
) -> Result<(PathBuf, serde_json::Value), String> {
    let out = bench_dir.join(format!("out-{label}-{threads}"));
    let report = bench_dir.join(format!("report-{label}-{threads}.json"));
    // The previous run's output (a few hundred MB) is removed and everything written is
    // flushed first: otherwise the kernel writes those pages back while this run is timed,
    // on the same cores, and the run pays for its predecessor (on two cores, two threads
    // lost a fifth of a core to it).
    let _ = std::fs::remove_dir_all(&out);
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
    let clock = std::time::Instant::now();
    let (status, peak_kb, cpu) = run_measured(Command::new(newsmill).args([
        "run",
        "-c",
        config.to_str().unwrap_or_default(),
        "--input",
        corpus.to_str().unwrap_or_default(),
        "--output",
        out.to_str().unwrap_or_default(),
        "--threads",
        &threads.to_string(),
        "--quiet",
        "--report",
        report.to_str().unwrap_or_default(),
    ]))?;
    let process_wall = clock.elapsed().as_secs_f64();
    if status > 1 {
        return Err(format!("newsmill exited with {status}"));
    }
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&report).map_err(|e| format!("{}: {e}", report.display()))?,
    )
    .map_err(|e| e.to_string())?;
    let secs = json["elapsed_seconds"].as_f64().unwrap_or(f64::NAN);
    let mb = json["bytes"].as_f64().unwrap_or(0.0) / 1e6;
    let docs = json["documents"].as_f64().unwrap_or(0.0);
    // Blocked by the scheduler's account (not counting time the host gave to others), as a
    // share of the workers' time while documents were processed.
    let idle = json["workers_blocked_seconds"].as_f64().map_or_else(
        || "-".to_string(),
        |blocked| {
            let capacity = json["processing_seconds"].as_f64().unwrap_or(f64::NAN) * threads as f64;
            format!("{:.1}%", 100.0 * blocked / capacity)
        },
    );
    println!(
        "| {label} | {threads} | {:.1} | {:.0} | {:.1} | {secs:.2} | {process_wall:.2} | {cpu:.2} | {:.2} | {idle} |",
        mb / secs,
        docs / secs,
        peak_kb as f64 / 1024.0,
        cpu / process_wall
    );
    Ok((out, json))
}

/// The time of every step of one run.
fn print_steps(json: &serde_json::Value) {
    let mb = json["bytes"].as_f64().unwrap_or(0.0) / 1e6;
    println!(
        "\nPer step on {} thread(s) (time summed over threads):\n",
        json["threads"]
    );
    println!("| step | seconds | MB/s |");
    println!("|---|---:|---:|");
    if let Some(steps) = json["timings"].as_array() {
        for step in steps {
            let secs = step["seconds"].as_f64().unwrap_or(f64::NAN);
            let name = step["step"].as_str().unwrap_or("?");
            println!("| {name} | {secs:.3} | {:.1} |", mb / secs);
        }
    }
}

/// A pipeline config writing into `out` with these stages. The JSON exporter writes
/// `documents.jsonl` only (its default: a million small files would measure the file system).
pub(crate) fn pipeline_config(stages: &[&str]) -> String {
    let quoted: Vec<String> = stages.iter().map(|s| format!("{s:?}")).collect();
    format!(
        "[pipeline]\noutput = \"out\"\nstages = [{}]\n",
        quoted.join(", ")
    )
}

/// The pipeline measured: every per-document stage of the default pipeline.
const BENCH_STAGES: &[&str] = &["clean", "quotes", "entities", "claims", "csv", "json"];

/// The same pipeline with the corpus stage, whose memory is the one that could grow with the
/// corpus.
const CORPUS_STAGE_STAGES: &[&str] = &[
    "clean",
    "quotes",
    "entities",
    "claims",
    "corroborate",
    "csv",
    "json",
];

/// Cores and CPU model, so that figures are read with the machine they came from.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|kb| kb.trim().trim_end_matches(" kB").parse::<u64>().ok())
        .map_or_else(String::new, |kb| format!(", {} GiB", kb / (1 << 20)));
    format!("{cores} cores ({model}){memory}")
}

/// Writes the corpus unless a complete one of that size is already there.
fn generate(root: &Path, path: &Path, target_bytes: usize) -> Result<(usize, usize), String> {
    let marker = path.with_extension("done");
    if let Ok(done) = std::fs::read_to_string(&marker) {
        let mut parts = done
            .split_whitespace()
            .map(|p| p.parse::<usize>().unwrap_or(0));
        if let (Some(d), Some(b)) = (parts.next(), parts.next()) {
            return Ok((d, b));
        }
    }
    let mut generator = corpus::Generator::new(root, 2025).map_err(|e| e.to_string())?;
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut out = std::io::BufWriter::new(file);
    let (mut documents, mut bytes) = (0, 0);
    while bytes < target_bytes {
        let (id, text) = generator.article();
        bytes += text.len();
        documents += 1;
        let line = serde_json::json!({ "id": id, "text": text });
        serde_json::to_writer(&mut out, &line).map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    std::fs::write(&marker, format!("{documents} {bytes}\n")).map_err(|e| e.to_string())?;
    Ok((documents, bytes))
}

/// Runs a command and returns its exit code, peak resident set size in KiB and CPU time
/// (user and system) in seconds.
fn run_measured(command: &mut Command) -> Result<(i32, i64, f64), String> {
    let child = command.spawn().map_err(|e| e.to_string())?;
    let (code, usage) = wait_child(child.id() as libc::pid_t, 0)?;
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    Ok((code, usage.ru_maxrss, cpu))
}

/// Runs a command, killing it after `timeout`: its exit code, peak resident set size in KiB
/// and whether it was killed.
fn run_with_timeout(
    command: &mut Command,
    timeout: std::time::Duration,
) -> Result<(i32, i64, bool), String> {
    let child = command.spawn().map_err(|e| e.to_string())?;
    let pid = child.id() as libc::pid_t;
    let started = std::time::Instant::now();
    let mut timed_out = false;
    loop {
        let (code, usage) = wait_child(pid, libc::WNOHANG)?;
        if code != NOT_YET {
            return Ok((code, usage.ru_maxrss, timed_out));
        }
        if !timed_out && started.elapsed() > timeout {
            // SAFETY: kill(2) on our own child, which has not been reaped yet.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            timed_out = true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// What `wait_child` returns with `WNOHANG` for a child still running.
const NOT_YET: i32 = i32::MIN;

/// Waits for our child `pid` (`flags` as for wait4): its exit code (-1 when killed by a
/// signal, `NOT_YET` when still running under `WNOHANG`) and its resource usage.
fn wait_child(pid: libc::pid_t, flags: i32) -> Result<(i32, libc::rusage), String> {
    let mut status = 0;
    // SAFETY: `rusage` is plain data, zero-initialised is a valid value; wait4 fills it for
    // our own child, which we have not waited for yet.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
    if waited == 0 {
        return Ok((NOT_YET, usage));
    }
    if waited != pid {
        return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
    }
    let code = std::process::ExitStatus::from_raw(status)
        .code()
        .unwrap_or(-1);
    Ok((code, usage))
}

fn same_tree(a: &Path, b: &Path) -> bool {
    fn files(dir: &Path, base: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
                if p.is_dir() {
                    files(&p, base, out);
                } else if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(base), std::fs::read(&p)) {
                    out.push((rel.to_path_buf(), bytes));
                }
            }
        }
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    files(a, a, &mut x);
    files(b, b, &mut y);
    x == y
}
