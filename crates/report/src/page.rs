//! The page: its head and style, then one section per question, each from the aggregates.

use std::collections::HashMap;
use std::fmt::Write;

use model::{EntityKind, SpeakerKind};

use crate::aggregate::{Corpus, ListedDocument, Speaker};
use crate::corpus_tables::{CorpusTables, Discrepancy, Group, Member};
use crate::html::{count, escape, link, plural, shorten, table};
use crate::svg::{bars, BarRow};
use crate::{diff, timeline, ReportOptions};

const STYLE: &str = include_str!("style.css");

/// Anchors of the rows names link to: speakers (by key and by lowercase name) and the listed
/// documents (by id).
#[derive(Default)]
pub struct Anchors {
    speaker_keys: HashMap<String, String>,
    speaker_names: HashMap<String, String>,
    documents: HashMap<String, String>,
    /// The outlets of the listed documents, by id.
    outlets: HashMap<String, String>,
}

impl Anchors {
    fn speaker(&self, name: &str) -> Option<&str> {
        self.speaker_names
            .get(&name.to_lowercase())
            .map(String::as_str)
    }

    fn document(&self, id: &str) -> Option<&str> {
        self.documents.get(id).map(String::as_str)
    }
}

/// The whole page.
pub fn render(corpus: &Corpus, tables: &CorpusTables, options: &ReportOptions) -> String {
    let top = top_speakers(corpus, options.top_speakers);
    let mut anchors = Anchors::default();
    for (rank, (key, speaker)) in top.iter().enumerate() {
        let anchor = format!("speaker-{}", rank + 1);
        anchors.speaker_keys.insert(key.to_string(), anchor.clone());
        for spelling in speaker.spellings() {
            let names = &mut anchors.speaker_names;
            names
                .entry(spelling.to_lowercase())
                .or_insert(anchor.clone());
        }
    }
    for doc in &corpus.listed {
        anchors
            .documents
            .insert(doc.id.clone(), format!("doc-{}", doc.index + 1));
        if let Some(outlet) = &doc.outlet {
            anchors.outlets.insert(doc.id.clone(), outlet.clone());
        }
    }
    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, &options.title);
    header(&mut out, corpus, &options.title);
    speakers(&mut out, corpus, &top);
    corroborated(&mut out, tables, &anchors);
    discrepancies(&mut out, tables, &anchors);
    timeline::section(&mut out, corpus);
    co_mentions(&mut out, corpus, options.top_pairs, &anchors);
    documents(&mut out, corpus, &anchors);
    failed(&mut out, corpus);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"Newsmill\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n\
         </head>\n<body>\n<main>\n",
        escape(title)
    );
}

fn header(out: &mut String, corpus: &Corpus, title: &str) {
    let _ = write!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"lead\">Who said what, who agrees, where outlets \
         differ: a summary of this run's tables.</p>\n<dl class=\"stats\">",
        escape(title)
    );
    let stat = |out: &mut String, name: &str, value: String| {
        let _ = write!(out, "<div><dt>{name}</dt><dd>{value}</dd></div>");
    };
    stat(out, "Documents", count(corpus.documents));
    stat(out, "Outlets", outlets_summary(corpus));
    stat(out, "Dates", dates_summary(corpus));
    stat(out, "Quotes", count(corpus.quotes));
    let floor = if corpus.speakers_pruned {
        "at least "
    } else {
        ""
    };
    stat(
        out,
        "Speakers",
        format!("{floor}{}", count(corpus.speakers.len() as u64)),
    );
    let failed = match corpus.failed {
        0 => "none".to_string(),
        n => format!("<a href=\"#failed\">{}</a>", count(n)),
    };
    stat(out, "Failed documents", failed);
    out.push_str("</dl>\n<nav aria-label=\"Sections\"><ul>");
    for (id, name) in [
        ("speakers", "Speakers"),
        ("corroborated", "Corroborated quotes"),
        ("discrepancies", "Discrepancies"),
        ("timeline", "Timeline"),
        ("together", "Mentioned together"),
        ("documents", "Documents"),
    ] {
        let _ = write!(out, "<li><a href=\"#{id}\">{name}</a></li>");
    }
    out.push_str("</ul></nav>\n</header>\n");
}

fn outlets_summary(corpus: &Corpus) -> String {
    let named = corpus.outlets.len() as u64;
    match (named, corpus.documents_without_outlet) {
        (_, 0) => count(named),
        (0, n) => format!(
            "none named <span class=\"note\">({} without)</span>",
            count(n)
        ),
        (named, n) => format!(
            "{} <span class=\"note\">(+{} without)</span>",
            count(named),
            plural(n, "document", "documents")
        ),
    }
}

fn dates_summary(corpus: &Corpus) -> String {
    let range = match (corpus.days.keys().next(), corpus.days.keys().next_back()) {
        (Some(first), Some(last)) if first == last => first.to_string(),
        (Some(first), Some(last)) => format!("{first} – {last}"),
        _ => "none given".to_string(),
    };
    match corpus.undated_documents {
        0 => range,
        n => format!("{range} <span class=\"note\">({} undated)</span>", count(n)),
    }
}

/// The most quoted speakers, most quotes first (then more outlets, then by name).
fn top_speakers(corpus: &Corpus, n: usize) -> Vec<(&str, &Speaker)> {
    let mut all: Vec<(&str, &Speaker)> = corpus
        .speakers
        .iter()
        .map(|(k, s)| (k.as_str(), s))
        .collect();
    all.sort_by(|a, b| {
        (b.1.quotes, b.1.outlets())
            .cmp(&(a.1.quotes, a.1.outlets()))
            .then_with(|| a.1.name().cmp(b.1.name()))
            .then_with(|| a.0.cmp(b.0))
    });
    all.truncate(n);
    all
}

/// The role the documents give, else what kind of speaker it is when not a person, so a body
/// ("White House") or a description ("European leaders") is not read as a person's name.
fn role_of(speaker: &Speaker) -> String {
    let note = |what: &str| format!("<span class=\"note\">{what}</span>");
    match (speaker.role(), speaker.kind, speaker.speaker_kind) {
        (Some(role), _, _) => escape(role),
        (None, Some(EntityKind::Org), _) => note("organization"),
        (None, _, Some(kind)) if kind != SpeakerKind::Person => note(kind.as_str()),
        _ => String::new(),
    }
}

fn speakers(out: &mut String, corpus: &Corpus, top: &[(&str, &Speaker)]) {
    out.push_str("<section aria-labelledby=\"speakers\">\n<h2 id=\"speakers\">Speakers</h2>\n");
    if top.is_empty() {
        out.push_str("<p>No quote has a named speaker.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">The {} most quoted of {} speakers. A document that names no outlet \
         counts as an outlet of its own.</p>",
        top.len(),
        count(corpus.speakers.len() as u64)
    );
    let rows: Vec<BarRow> = top
        .iter()
        .map(|(_, s)| BarRow {
            label: format!(
                "{}: {}, {}",
                shorten(s.name(), 32),
                plural(s.quotes, "quote", "quotes"),
                plural(s.outlets(), "outlet", "outlets")
            ),
            first: s.quotes,
            second: s.outlets(),
        })
        .collect();
    let chart_title = "Most quoted speakers: quotes and outlets quoting them";
    out.push_str(&bars(
        "speakers-chart",
        chart_title,
        ("quotes", "outlets"),
        &rows,
    ));
    let rows: Vec<Vec<String>> = top
        .iter()
        .enumerate()
        .map(|(rank, (_, s))| {
            vec![
                format!(
                    "<span id=\"speaker-{}\">{}</span>",
                    rank + 1,
                    escape(s.name())
                ),
                role_of(s),
                count(s.quotes),
                count(s.outlets()),
                count(s.documents),
            ]
        })
        .collect();
    let headers = ["Speaker", "Role", "#Quotes", "#Outlets", "#Docs"];
    table(
        out,
        "The chart's numbers, with each speaker's role",
        &headers,
        &rows,
    );
    out.push_str("</section>\n");
}

/// Where a document's version comes from: its outlet (as the table gives it, else as the
/// listed document names it), and its id.
fn source_label(outlet: &str, doc_id: &str, anchors: &Anchors) -> String {
    let doc = link(anchors.document(doc_id), doc_id);
    let outlet = match outlet {
        "" => anchors.outlets.get(doc_id).map_or("", String::as_str),
        named => named,
    };
    if outlet.is_empty() {
        format!("unknown outlet <span class=\"who\">({doc})</span>")
    } else {
        format!("{} <span class=\"who\">({doc})</span>", escape(outlet))
    }
}

fn group_block(out: &mut String, group: &Group, anchors: &Anchors) {
    let class = if group.corroborated {
        "group"
    } else {
        "group short"
    };
    let _ = write!(
        out,
        "<div class=\"{class}\"><p><q>{}</q> <span class=\"who\">— {}, {} {}</span></p>",
        escape(&group.text),
        link(anchors.speaker(&group.speaker), or_unknown(&group.speaker)),
        plural(group.sources, "outlet", "outlets"),
        if group.corroborated {
            ""
        } else {
            "<span class=\"tag\">too short to corroborate</span>"
        }
    );
    let first = group.versions.first().map_or("", |m| m.text.as_str());
    out.push_str("<ol>");
    for member in &group.versions {
        let _ = write!(
            out,
            "<li>{}: <q>{}</q> <span class=\"tag\">{}</span></li>",
            source_label(&member.outlet, &member.doc_id, anchors),
            version_html(first, member),
            escape(&member.wording)
        );
    }
    let more = group.members.saturating_sub(group.versions.len() as u64);
    if more > 0 {
        let _ = write!(out, "<li class=\"note\">and {} more</li>", count(more));
    }
    out.push_str("</ol></div>\n");
}

/// A version's words: as they are when `corroborate` found them exactly the group's (a
/// trailing comma the cut left is no difference worth marking), else marked against the first.
fn version_html(first: &str, member: &Member) -> String {
    if member.wording == "exact" {
        escape(&member.text)
    } else {
        diff::highlight(first, &member.text)
    }
}

fn or_unknown(name: &str) -> &str {
    if name.is_empty() {
        "unknown speaker"
    } else {
        name
    }
}

fn corroborated(out: &mut String, tables: &CorpusTables, anchors: &Anchors) {
    out.push_str(
        "<section aria-labelledby=\"corroborated\">\n\
         <h2 id=\"corroborated\">Corroborated quotes</h2>\n",
    );
    if !tables.present {
        out.push_str("<p>The pipeline ran no corroboration stage.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">{} carried by two or more outlets{}. Each version's wording is \
         compared with the first: <ins>words it adds</ins>, <del>words it drops</del>.</p>",
        plural(tables.shared_total, "quote", "quotes"),
        shown_of(tables.shared.len(), tables.shared_total)
    );
    for group in &tables.shared {
        group_block(out, group, anchors);
    }
    let _ = write!(
        out,
        "<h3 id=\"single-outlet\">Quotes only one outlet carries</h3>\n<p class=\"note\">{}; \
         the first {} full quotes are listed (phrases inside the writer's sentence are not).</p>\n",
        plural(tables.single_total, "quote", "quotes"),
        count(tables.single.len() as u64)
    );
    let rows: Vec<Vec<String>> = tables
        .single
        .iter()
        .map(|g| {
            vec![
                format!("<q>{}</q>", escape(&g.text)),
                link(anchors.speaker(&g.speaker), or_unknown(&g.speaker)),
            ]
        })
        .collect();
    table(
        out,
        "Quotes one outlet carries",
        &["Quote", "Speaker"],
        &rows,
    );
    out.push_str("</section>\n");
}

/// ` (the first 40 shown)` when a list is cut.
fn shown_of(shown: usize, total: u64) -> String {
    if (shown as u64) < total {
        format!(" (the top {} shown)", count(shown as u64))
    } else {
        String::new()
    }
}

fn discrepancies(out: &mut String, tables: &CorpusTables, anchors: &Anchors) {
    out.push_str(
        "<section aria-labelledby=\"discrepancies\">\n<h2 id=\"discrepancies\">Discrepancies</h2>\n",
    );
    if !tables.present {
        out.push_str("<p>The pipeline ran no corroboration stage.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">Where documents disagree: {}{}.</p>",
        plural(tables.discrepancies_total, "discrepancy", "discrepancies"),
        shown_of(tables.discrepancies.len(), tables.discrepancies_total)
    );
    let rows: Vec<Vec<String>> = tables
        .discrepancies
        .iter()
        .map(|d| discrepancy_row(d, anchors))
        .collect();
    let headers = ["Subject", "Kind", "Values: outlet (document) and words"];
    table(
        out,
        "Each value with its document and words",
        &headers,
        &rows,
    );
    out.push_str("</section>\n");
}

/// One row per discrepancy: its subject, kind, and each value with the outlet that gives it
/// and its words, one line each (so they stay together however the table wraps).
fn discrepancy_row(d: &Discrepancy, anchors: &Anchors) -> Vec<String> {
    let kind = if d.unit.is_empty() {
        escape(&d.kind)
    } else {
        format!("{} ({})", escape(&d.kind), escape(&d.unit))
    };
    let mut values = String::from("<ul class=\"values\">");
    for (i, value) in d.values.iter().enumerate() {
        let doc = d.doc_ids.get(i).map_or("", String::as_str);
        let _ = write!(
            values,
            "<li><strong>{}</strong> · {}",
            escape(&readable_value(value, &d.unit)),
            source_label("", doc, anchors)
        );
        if let Some(text) = d.texts.get(i) {
            let _ = write!(values, ": <q>{}</q>", escape(text));
        }
        values.push_str("</li>");
    }
    if d.values.is_empty() {
        values.push_str("<li class=\"note\">too many to show here: see discrepancies.csv</li>");
    }
    let more = d.total.saturating_sub(d.values.len()) as u64;
    if more > 0 {
        let _ = write!(values, "<li class=\"note\">and {} more</li>", count(more));
    }
    values.push_str("</ul>");
    vec![
        format!("<strong>{}</strong>", escape(&d.subject)),
        kind,
        values,
    ]
}

/// A share as a percentage (`0.75` → `75%`), as the articles write it; other values as given.
fn readable_value(value: &str, unit: &str) -> String {
    match value.parse::<f64>() {
        Ok(share) if unit == "share" => {
            let percent = (share * 10_000.0).round() / 100.0;
            format!("{percent}%")
        }
        _ => value.to_string(),
    }
}

fn co_mentions(out: &mut String, corpus: &Corpus, n: usize, anchors: &Anchors) {
    out.push_str(
        "<section aria-labelledby=\"together\">\n\
         <h2 id=\"together\">People and organizations mentioned together</h2>\n",
    );
    let mut pairs: Vec<(&(u32, u32), &u64)> = corpus.pairs.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    pairs.truncate(n);
    let name = |id: u32| {
        let entry = &corpus.names[id as usize];
        let kind = if entry.kind == EntityKind::Org {
            " <span class=\"tag\">org</span>"
        } else {
            ""
        };
        let anchor = anchors.speaker_keys.get(&entry.key).map(String::as_str);
        format!("{}{kind}", link(anchor, &entry.name))
    };
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .map(|(&(a, b), &together)| vec![name(a), name(b), count(together)])
        .collect();
    let approximate = if corpus.pairs_pruned {
        " Counts are a floor: rare names and pairs were left out to bound memory."
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<p class=\"note\">The {} pairs named in the most documents.{approximate}</p>",
        rows.len()
    );
    table(
        out,
        "Pairs named in one document",
        &["Name", "Mentioned with", "#Documents"],
        &rows,
    );
    out.push_str("</section>\n");
}

fn documents(out: &mut String, corpus: &Corpus, anchors: &Anchors) {
    out.push_str("<section aria-labelledby=\"documents\">\n<h2 id=\"documents\">Documents</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">{}, in input order{}; documents.csv and quotes.csv hold them all.</p>",
        plural(corpus.documents, "document", "documents"),
        shown_of(corpus.listed.len(), corpus.documents).replace("top", "first")
    );
    for doc in &corpus.listed {
        document(out, doc, anchors);
    }
    out.push_str("</section>\n");
}

fn document(out: &mut String, doc: &ListedDocument, anchors: &Anchors) {
    let file = doc.source.rsplit(['/', '\\']).next().unwrap_or(&doc.source);
    let title = doc.title.as_deref().unwrap_or(file);
    let _ = write!(
        out,
        "<article class=\"doc\" id=\"doc-{}\"><h3>{}</h3><p class=\"meta\">",
        doc.index + 1,
        escape(title)
    );
    let mut meta = vec![doc
        .outlet
        .as_deref()
        .map_or("unknown outlet".into(), escape)];
    meta.push(doc.published.map_or("undated".into(), |d| d.to_string()));
    if !doc.authors.is_empty() {
        meta.push(format!("by {}", escape(&doc.authors.join(", "))));
    }
    meta.push(format!("<code>{}</code>", escape(&doc.id)));
    out.push_str(&meta.join(" · "));
    out.push_str("</p>");
    if let Some((stage, message)) = &doc.failure {
        let _ = write!(
            out,
            "<p class=\"failed\">Failed in {}: {} (<a href=\"#failed\">errors</a>)</p>",
            escape(stage),
            escape(message)
        );
    }
    if !doc.quotes.is_empty() {
        out.push_str("<ol>");
        for quote in &doc.quotes {
            let speaker = match (&quote.speaker, &quote.speaker_key) {
                (Some(name), Some(key)) => {
                    link(anchors.speaker_keys.get(key).map(String::as_str), name)
                }
                _ => "<span class=\"note\">unattributed</span>".to_string(),
            };
            let kind = if quote.partial {
                " <span class=\"tag\">partial</span>"
            } else {
                ""
            };
            let cont = if quote.continues {
                " <span class=\"tag\">continued</span>"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<li>{speaker}: <q>{}</q>{kind}{cont}</li>",
                escape(&quote.text)
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</article>\n");
}

fn failed(out: &mut String, corpus: &Corpus) {
    out.push_str("<section aria-labelledby=\"failed\">\n<h2 id=\"failed\">Failed documents</h2>\n");
    let rows: Vec<Vec<String>> = corpus
        .failures
        .iter()
        .map(|(source, stage, message)| vec![escape(source), escape(stage), escape(message)])
        .collect();
    let _ = writeln!(
        out,
        "<p class=\"note\">{}{}; errors.csv lists every one.</p>",
        plural(corpus.failed, "document failed", "documents failed"),
        shown_of(rows.len(), corpus.failed).replace("top", "first")
    );
    if !rows.is_empty() {
        table(
            out,
            "Why each document failed",
            &["Source", "Stage", "Error"],
            &rows,
        );
    }
    out.push_str("</section>\n");
}
