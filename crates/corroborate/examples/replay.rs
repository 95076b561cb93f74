//! Replays the corpus stage alone on documents the per-document stages already processed, to
//! measure its memory and time without re-running them: `newsmill run --output - … |
//! cargo run --release -p corroborate --example replay -- - OUT` (or a saved stream as the
//! first argument). Writes each table as JSON lines of cells to `OUT/NAME.rows` and prints the
//! stage's times and the process's peak RSS, with the allocator the binary uses.

use std::io::{BufRead, BufWriter, Write};
use std::time::Instant;

use model::{BuildContext, Claim, CorpusStage, Document, Entity, EntityKind, Quote, QuoteKind};
use serde_json::Value;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

fn opt(v: &Value, key: &str) -> Option<String> {
    v[key].as_str().map(str::to_string)
}

fn document(v: &Value) -> Document {
    let mut doc = Document::new(text(v, "id"), String::new(), String::new());
    if v["status"].as_str() != Some("ok") {
        doc.fail("replay", "failed in the stream");
    }
    doc.meta.outlet = opt(v, "outlet");
    for q in v["quotes"].as_array().into_iter().flatten() {
        let kind = match q["kind"].as_str() {
            Some("full") => QuoteKind::Full,
            Some("partial") => QuoteKind::Partial,
            Some("title") => QuoteKind::Title,
            _ => QuoteKind::Term,
        };
        doc.quotes.push(Quote {
            id: text(q, "id"),
            text: text(q, "text"),
            kind,
            speaker: opt(q, "speaker"),
            speaker_mention: None,
            speaker_kind: None,
            via: None,
            cue: None,
            continues: None,
            key: text(q, "key"),
            span: Default::default(),
        });
    }
    for e in v["entities"].as_array().into_iter().flatten() {
        let kind = match e["kind"].as_str() {
            Some("PERSON") => EntityKind::Person,
            Some("ORG") => EntityKind::Org,
            Some("PLACE") => EntityKind::Place,
            _ => EntityKind::Date,
        };
        doc.entities.push(Entity {
            id: String::new(),
            name: text(e, "name"),
            kind,
            role: None,
            aliases: e["aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect(),
            mentions: e["mentions"].as_u64().unwrap_or_default() as usize,
            key: text(e, "key"),
            value: None,
            anchor: None,
        });
    }
    for c in v["claims"].as_array().into_iter().flatten() {
        doc.claims.push(Claim {
            id: String::new(),
            text: text(c, "text"),
            value: c["value"].as_f64().unwrap_or(f64::NAN),
            unit: text(c, "unit"),
            subject: opt(c, "subject"),
            qualifier: opt(c, "qualifier"),
            span: Default::default(),
        });
    }
    doc
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (input, out) = match &args[..] {
        [_, input, out] => (input.clone(), std::path::PathBuf::from(out)),
        _ => {
            eprintln!("usage: replay STREAM.jsonl|- OUT_DIR");
            std::process::exit(2);
        }
    };
    let reader: Box<dyn BufRead> = if input == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(&input).expect("open the stream"),
        ))
    };
    let ctx = BuildContext {
        base_dir: ".".into(),
        instance: "corroborate".into(),
    };
    let mut stage =
        corroborate::Corroborate::new(Default::default(), &ctx).expect("default options");
    let (mut observing, mut docs) = (std::time::Duration::ZERO, 0usize);
    for line in reader.lines() {
        let line = line.expect("read the stream");
        let doc = document(&serde_json::from_str(&line).expect("a JSON document"));
        let t = Instant::now();
        stage.observe(&doc);
        observing += t.elapsed();
        docs += 1;
    }
    let rss_observed = status_kb("VmRSS:");
    let t = Instant::now();
    let tables = stage.finish().expect("finish");
    let finished = t.elapsed();
    let peak_finish = status_kb("VmHWM:");
    std::fs::create_dir_all(&out).expect("output folder");
    let t = Instant::now();
    for table in &tables {
        let file = std::fs::File::create(out.join(format!("{}.rows", table.name))).expect("create");
        let mut w = BufWriter::new(file);
        for row in table.rows() {
            serde_json::to_writer(&mut w, &row.expect("row")).expect("write");
            w.write_all(b"\n").expect("write");
        }
        w.flush().expect("flush");
    }
    drop(tables);
    println!(
        "{docs} docs: observe {:.2} s, finish {:.2} s, write {:.2} s; RSS after observe {} kB, \
         peak through finish {} kB, peak {} kB",
        observing.as_secs_f64(),
        finished.as_secs_f64(),
        t.elapsed().as_secs_f64(),
        rss_observed,
        peak_finish,
        status_kb("VmHWM:")
    );
}
