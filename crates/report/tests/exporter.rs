//! The exporter on a small corpus of its own: what each section shows, escaping, limits, and
//! the file it writes.

use model::{Document, Entity, EntityKind, Exporter, Quote, QuoteKind, Span, SpeakerKind, Table};
use report::{ReportExporter, ReportOptions};

fn quote(id: &str, text: &str, speaker: Option<&str>, kind: QuoteKind) -> Quote {
    Quote {
        id: id.into(),
        text: text.into(),
        kind,
        speaker: speaker.map(str::to_string),
        speaker_mention: None,
        speaker_kind: speaker.map(|_| SpeakerKind::Person),
        cue: Some("said".into()),
        via: None,
        continues: None,
        key: text.to_lowercase(),
        span: Span::default(),
    }
}

fn person(id: &str, name: &str, role: Option<&str>, key: &str) -> Entity {
    Entity {
        id: id.into(),
        name: name.into(),
        kind: EntityKind::Person,
        role: role.map(str::to_string),
        aliases: Vec::new(),
        mentions: 2,
        key: key.into(),
        value: None,
        anchor: None,
    }
}

/// Three documents of two outlets about a harbour, and one that failed.
fn corpus() -> Vec<Document> {
    let mut docs = Vec::new();
    for (i, (outlet, date, spelling)) in [
        ("Harbour Gazette", "2024-05-02", "Mira Okafor"),
        ("Coast Radio", "2024-05-02", "Mira Okafor"),
        ("Harbour Gazette", "2024-05-04", "Mira Okafour"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut doc = Document::new(format!("d{i}"), format!("in/d{i}.txt"), String::new());
        doc.meta.outlet = Some(outlet.into());
        doc.meta.published = Some(date.parse().unwrap());
        doc.meta.title = Some(format!("Port <b>news</b> {i}"));
        doc.meta.authors = vec!["Lena Voss".into()];
        doc.entities = vec![
            person("e1", spelling, Some("harbour master"), "mira okafor"),
            person("e2", "Tomas Reyes", None, "tomas reyes"),
        ];
        doc.quotes = vec![
            quote(
                "q1",
                "The port reopens in May",
                Some(spelling),
                QuoteKind::Full,
            ),
            quote("q2", "ferry", Some("Tomas Reyes"), QuoteKind::Partial),
            quote("q3", "Blue Flag", None, QuoteKind::Title),
        ];
        docs.push(doc);
    }
    docs.push(Document::failed("d3", "in/d3.bin", "ingest", "binary file"));
    docs
}

fn tables() -> Vec<Table> {
    let groups = Table::from_rows(
        "quote_groups",
        &[
            "group_id",
            "speaker",
            "text",
            "sources",
            "members",
            "corroborated",
            "kind",
        ],
        vec![vec![
            "g1".into(),
            "Mira Okafor".into(),
            "The port reopens in May".into(),
            "2".into(),
            "3".into(),
            "true".into(),
            "full".into(),
        ]],
    );
    let members = Table::from_rows(
        "quote_group_members",
        &["group_id", "doc_id", "text", "outlet", "wording"],
        vec![
            vec![
                "g1".into(),
                "d0".into(),
                "The port reopens in May".into(),
                "Harbour Gazette".into(),
                "exact".into(),
            ],
            vec![
                "g1".into(),
                "d1".into(),
                "The port reopens in June".into(),
                "Coast Radio".into(),
                "changed".into(),
            ],
        ],
    );
    let discrepancies = Table::from_rows(
        "discrepancies",
        &["kind", "subject", "values", "doc_ids", "texts", "unit"],
        vec![vec![
            "claim".into(),
            "ferries".into(),
            "4|6".into(),
            "d0|d1".into(),
            "four ferries | six ferries".into(),
            "count".into(),
        ]],
    );
    vec![groups, members, discrepancies]
}

fn report(options: ReportOptions, dir: &std::path::Path) -> (String, Box<ReportExporter>) {
    let mut exporter = Box::new(ReportExporter::new(options, dir).unwrap());
    for doc in corpus() {
        exporter.write_document(&doc).unwrap();
    }
    for table in tables() {
        exporter.write_table(&table).unwrap();
    }
    (exporter.render(), exporter)
}

#[test]
fn each_section_shows_what_the_corpus_says() {
    let dir = tempfile::tempdir().unwrap();
    let (html, exporter) = report(ReportOptions::default(), dir.path());
    assert!(html.contains("<dt>Documents</dt><dd>4</dd>"));
    assert!(
        html.contains("<dt>Outlets</dt><dd>2</dd>"),
        "named outlets counted once each"
    );
    assert!(html.contains("2024-05-02 – 2024-05-04"));
    assert!(html.contains("<a href=\"#failed\">1</a>"));
    // Two spellings of one person are one speaker, named as most documents spell her.
    assert!(html.contains("Mira Okafor: 3 quotes, 2 outlets"), "{html}");
    assert!(!html.contains("Okafour: "));
    assert!(html.contains("harbour master"));
    // The version that differs shows its changed word.
    assert!(html.contains("<del>May</del> <ins>June</ins>"));
    assert!(html.contains("Coast Radio <span class=\"who\">(<a href=\"#doc-2\">d1</a>)"));
    assert!(html.contains("four ferries"));
    assert!(
        html.contains("week") || html.contains("2024-05-03"),
        "an empty day is drawn"
    );
    assert!(html.contains("Tomas Reyes"));
    assert!(
        html.contains("Port &lt;b&gt;news&lt;/b&gt; 0"),
        "titles are escaped"
    );
    assert!(!html.contains("<b>news"));
    assert!(html.contains("binary file"));
    assert!(
        !html.contains("Blue Flag"),
        "titles of works are not quotes"
    );
    let summary = exporter.finish().unwrap();
    assert_eq!(summary.files, [("report.html".to_string(), 4)]);
    let written = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert_eq!(written, html);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no staging file left"
    );
}

#[test]
fn limits_cut_the_lists_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let options = ReportOptions {
        max_documents: 1,
        top_speakers: 1,
        ..Default::default()
    };
    let (html, _) = report(options, dir.path());
    assert_eq!(html.matches("<article class=\"doc\"").count(), 1);
    assert!(html.contains("the first 1 shown"));
    assert!(html.contains("The 1 most quoted of 2 speakers"));
    assert!(!html.contains("id=\"speaker-2\""));
}

#[test]
fn a_file_name_with_a_folder_is_refused() {
    let options = ReportOptions {
        file: "../report.html".into(),
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    assert!(ReportExporter::new(options, dir.path()).is_err());
}
