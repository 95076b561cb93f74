//! `newsmill-bench --adversarial`: single documents built to defeat the per-document stages
//! (unclosed nested quotes, text without punctuation, one line of names, bare quote marks,
//! long runs of capitalized words, deeply nested HTML), each run alone through every
//! per-document stage and compared with normal articles of the same total size (the first
//! row): time per MB, its ratio to normal text, and peak memory against the document's size.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::corpus;

/// Every per-document stage; `extract_html` only touches the `.html` case.
const STAGES: &[&str] = &[
    "extract_html",
    "clean",
    "quotes",
    "entities",
    "claims",
    "csv",
    "json",
];

/// One adversarial document: a name, the file extension it is read as and its text.
pub struct Case {
    pub name: &'static str,
    pub extension: &'static str,
    pub text: String,
}

/// Repeats `unit` until `bytes` is reached (whole units only, so the text stays valid UTF-8).
fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len()).max(1))
}

/// Normal text of about `bytes`: generated articles, as one JSONL document each (the
/// baseline) and one after another as a single document.
pub fn normal_text(root: &Path, bytes: usize) -> Result<(String, String), String> {
    let mut generator = corpus::Generator::new(root, 2025).map_err(|e| e.to_string())?;
    let mut text = String::with_capacity(bytes + 64 * 1024);
    let mut jsonl = String::with_capacity(bytes + bytes / 8);
    while text.len() < bytes {
        let (id, article) = generator.article();
        text.push_str(&article);
        jsonl.push_str(&serde_json::json!({ "id": id, "text": article }).to_string());
        jsonl.push('\n');
    }
    Ok((jsonl, text))
}

/// The adversarial documents, each about `bytes` long; `normal` is the reference text some
/// are derived from (so they keep its words and names).
pub fn cases(normal: &str, bytes: usize) -> Vec<Case> {
    let no_punctuation: String = normal
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let capitalized: String = normal
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_uppercase().to_string());
            first.unwrap_or_default() + chars.as_str() + " "
        })
        .collect();
    let depth = bytes / 11;
    let html = format!(
        "<html><body>{}<p>Jane Doe said, “we are ready.”</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    vec![
        Case {
            name: "unclosed nested quotes",
            extension: "txt",
            text: repeat_to("Jane Doe said, “a ‘b « c \" ", bytes),
        },
        Case {
            name: "no punctuation",
            extension: "txt",
            text: no_punctuation,
        },
        Case {
            name: "one line of names",
            extension: "txt",
            text: repeat_to("John Smith ", bytes),
        },
        Case {
            name: "bare quote marks",
            extension: "txt",
            text: repeat_to("“ ” \" ' ‘ ’ « » ‹ › „ ", bytes),
        },
        Case {
            name: "quote-dense line",
            extension: "txt",
            text: repeat_to(
                "“We will win,” said Jane Doe. \"Not today,\" Tom Lee said. ",
                bytes,
            ),
        },
        Case {
            name: "capitalized words",
            extension: "txt",
            text: capitalized,
        },
        Case {
            name: "nested HTML",
            extension: "html",
            text: html,
        },
    ]
}

/// What one run of the binary on one document cost.
struct Measured {
    seconds: f64,
    /// Bytes of text read, as the run reports them (the JSONL input's text, not its lines).
    bytes: Option<f64>,
    peak_mb: f64,
    /// Per-stage seconds from the run report, slowest first.
    stages: Vec<(String, f64)>,
    timed_out: bool,
}

/// Runs every case and the normal text through `newsmill` (one thread), printing a table.
pub fn run(root: &Path, newsmill: &Path, mb: f64, timeout: Duration) -> Result<(), String> {
    let bytes = (mb * 1e6) as usize;
    let dir = root.join("target/bench/adversarial");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let config = dir.join("adversarial.toml");
    std::fs::write(&config, crate::pipeline_config(STAGES)).map_err(|e| e.to_string())?;
    let (articles, normal) = normal_text(root, bytes)?;
    let mut all = vec![
        Case {
            name: "normal articles (baseline)",
            extension: "jsonl",
            text: articles,
        },
        Case {
            name: "normal text, one document",
            extension: "txt",
            text: normal.clone(),
        },
    ];
    all.extend(cases(&normal, bytes));
    println!("machine: {}\n", crate::machine());
    println!(
        "| document | MB | seconds | s/MB | × normal | peak RSS (MB) | RSS / document | slowest stage |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    let mut normal_per_mb = None;
    for case in &all {
        let m = measure(&dir, &config, newsmill, case, timeout)?;
        // The text read, for JSONL (not its lines); the file for the rest (an HTML page's
        // extracted text is a small part of it).
        let size = match case.extension {
            "jsonl" => m.bytes.unwrap_or(case.text.len() as f64),
            _ => case.text.len() as f64,
        } / 1e6;
        let per_mb = m.seconds / size;
        let base = *normal_per_mb.get_or_insert(per_mb);
        let mut slowest = String::new();
        if let Some((stage, secs)) = m.stages.first() {
            let _ = write!(slowest, "{stage} {secs:.2} s");
        }
        let over = if m.timed_out { "> " } else { "" };
        println!(
            "| {} | {size:.1} | {over}{:.2} | {over}{per_mb:.3} | {over}{:.2} | {:.0} | {:.1} | {slowest} |",
            case.name,
            m.seconds,
            per_mb / base,
            m.peak_mb,
            m.peak_mb / size,
        );
    }
    Ok(())
}

fn measure(
    dir: &Path,
    config: &Path,
    newsmill: &Path,
    case: &Case,
    timeout: Duration,
) -> Result<Measured, String> {
    let input = dir.join("input");
    let _ = std::fs::remove_dir_all(&input);
    std::fs::create_dir_all(&input).map_err(|e| e.to_string())?;
    std::fs::write(input.join(format!("case.{}", case.extension)), &case.text)
        .map_err(|e| e.to_string())?;
    let out = dir.join("out");
    let report = dir.join("report.json");
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_file(&report);
    let clock = Instant::now();
    let (status, peak_kb, timed_out) = crate::run_with_timeout(
        Command::new(newsmill).args([
            "run".as_ref(),
            "-c".as_ref(),
            config.as_os_str(),
            "--input".as_ref(),
            input.as_os_str(),
            "--output".as_ref(),
            out.as_os_str(),
            "--threads".as_ref(),
            "1".as_ref(),
            "--quiet".as_ref(),
            "--report".as_ref(),
            report.as_os_str(),
        ]),
        timeout,
    )?;
    let seconds = clock.elapsed().as_secs_f64();
    if !timed_out && status > 1 {
        return Err(format!("{}: newsmill exited with {status}", case.name));
    }
    let mut stages = Vec::new();
    let mut read = None;
    if let Ok(bytes) = std::fs::read(&report) {
        let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        read = json["bytes"].as_f64();
        for step in json["timings"].as_array().into_iter().flatten() {
            if let (Some(name), Some(secs)) = (step["step"].as_str(), step["seconds"].as_f64()) {
                stages.push((name.to_string(), secs));
            }
        }
    }
    stages.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(Measured {
        seconds,
        bytes: read,
        peak_mb: peak_kb as f64 / 1024.0,
        stages,
        timed_out,
    })
}
