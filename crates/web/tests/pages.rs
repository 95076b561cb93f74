//! Extraction on pages written for these tests (news with JSON-LD and share bars, a blog, a
//! paywall stub, a Windows-1252 page, a page with no <body>, a 10 MB page of nested divs),
//! and the stage in a pipeline with `clean`.

use std::time::{Duration, Instant};

use model::{BuildContext, Document, DocumentStage, Format};
use web::{extract, ExtractHtml, ExtractHtmlOptions};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(path).unwrap();
    ingest::decode_page(&bytes, None).text
}

/// The article as a reviewer reads it: headings marked, then the metadata.
fn render(page: &str) -> String {
    let article = extract(page);
    let mut out = String::new();
    for p in &article.paragraphs {
        out.push_str(if p.heading { "## " } else { "" });
        out.push_str(&p.text);
        out.push('\n');
    }
    out.push_str("---\n");
    out.push_str(&serde_json::to_string_pretty(&article.meta).unwrap());
    out
}

#[test]
fn news_page_keeps_the_story_and_its_metadata() {
    let page = fixture("news.html");
    let out = render(&page);
    for gone in [
        "cookies",
        "Share on",
        "Sport",
        "Related",
        "Ferry fares",
        "disgrace",
        "Scaffolding",
        "Advertisement",
        "rights reserved",
        "not text",
    ] {
        assert!(!out.contains(gone), "{gone:?} should be left out:\n{out}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn blog_post_without_article_markup() {
    insta::assert_snapshot!(render(&fixture("blog.html")));
}

#[test]
fn paywall_stub_gives_the_free_paragraph_only() {
    let out = render(&fixture("paywall.html"));
    assert!(!out.contains("Subscribe"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn windows_1252_page_is_decoded_by_its_meta_charset() {
    let out = render(&fixture("cp1252.html"));
    assert!(
        out.contains("Café Rosa said the plan was “long overdue” – and"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn page_without_body_or_closing_tags() {
    insta::assert_snapshot!(render(&fixture("nobody.html")));
}

#[test]
fn ten_megabytes_of_nested_divs_take_linear_time() {
    let depth = 10 * 1024 * 1024 / "<div></div>".len();
    let mut page = "<div>".repeat(depth);
    page.push_str("<p>The only paragraph of this page sits at the bottom of a very deep tree of divisions.</p>");
    page.push_str(&"</div>".repeat(depth));
    let started = Instant::now();
    let article = extract(&page);
    let took = started.elapsed();
    assert_eq!(article.paragraphs.len(), 1);
    assert!(article.paragraphs[0].text.starts_with("The only paragraph"));
    // Release builds take a fraction of a second; the bound only catches quadratic time.
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

fn html_document(page: String) -> Document {
    let mut doc = Document::new("d", "d.html", page);
    doc.format = Format::Html;
    doc
}

#[test]
fn stage_replaces_the_page_by_its_article_and_clean_keeps_the_page_metadata() {
    let stage = ExtractHtml::new(ExtractHtmlOptions::default(), &BuildContext::default()).unwrap();
    let clean = clean::Clean::new(Default::default(), &BuildContext::default()).unwrap();
    let mut doc = html_document(fixture("news.html"));
    stage.process(&mut doc).unwrap();
    clean.process(&mut doc).unwrap();
    assert!(
        doc.text().starts_with("The harbour bridge will close"),
        "{}",
        doc.text()
    );
    // Offsets index the extracted text: it is the document's source now, not the page.
    assert!(doc.source_text.starts_with("The harbour bridge will close"));
    assert!(!doc.source_text.contains('<'));
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("Harbour bridge to close for six weeks of repairs")
    );
    assert_eq!(doc.meta.authors, ["Maria Okafor", "Tom Lindqvist"]);
    assert_eq!(doc.meta.published.unwrap().to_string(), "2025-04-02");
    assert_eq!(doc.meta.modified.unwrap().to_string(), "2025-04-03");
    assert_eq!(doc.meta.outlet.as_deref(), Some("The Coastal Courier"));
    assert_eq!(
        doc.meta.url.as_deref(),
        Some("https://www.coastalcourier.example/local/harbour-bridge-repairs")
    );
    assert_eq!(doc.meta.language.as_deref(), Some("en-GB"));
    assert_eq!(doc.meta.section.as_deref(), Some("Local"));
    assert_eq!(doc.meta.image_credits, ["Photo: Ana Ruiz"]);
}

#[test]
fn what_ingest_knew_stays_where_the_page_is_silent() {
    let stage = ExtractHtml::new(ExtractHtmlOptions::default(), &BuildContext::default()).unwrap();
    let mut doc = html_document(fixture("nobody.html"));
    doc.meta.url = Some("https://www.stormwatch.example/warnings/amber".into());
    doc.meta.published = chrono::NaiveDate::from_ymd_opt(2025, 1, 10);
    stage.process(&mut doc).unwrap();
    assert_eq!(
        doc.meta.outlet.as_deref(),
        Some("stormwatch.example"),
        "the host"
    );
    assert_eq!(
        doc.meta.published.unwrap().to_string(),
        "2025-01-10",
        "the fetch date"
    );
    assert_eq!(doc.meta.title.as_deref(), Some("Storm warning issued"));
}

#[test]
fn text_documents_pass_through_and_empty_pages_fail() {
    let stage = ExtractHtml::new(ExtractHtmlOptions::default(), &BuildContext::default()).unwrap();
    let mut text = Document::new("t", "t.txt", "<p>not a page</p>".into());
    stage.process(&mut text).unwrap();
    assert_eq!(text.text(), "<p>not a page</p>");
    let mut empty = html_document("<html><body><nav><a href=/>Home</a></nav></body></html>".into());
    assert!(stage.process(&mut empty).is_err());
}

#[test]
fn feature_keeps_its_intro_its_anchor_headings_and_mixed_list_items() {
    let out = render(&fixture("feature.html"));
    for kept in [
        "Three small ports",
        "## What it costs",
        "full funding report",
        "Each town pays",
        "Engineers expect",
    ] {
        assert!(out.contains(kept), "{kept:?} should be kept:\n{out}");
    }
    assert!(!out.contains("min read"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn labels_above_the_first_sentence_are_dropped() {
    let story = "<p>The ferry to the island will run twice a day from Monday, the operator said, after a winter of single crossings and cancelled sailings.</p>\
        <p>Residents had asked for the second crossing since the autumn, when the old boat was sold.</p>";
    let page = format!(
        "<html><body><div class=\"story\"><p>Transport</p><p>Updated 4 March 2025, 08:15 GMT</p>{story}</div></body></html>"
    );
    let article = extract(&page);
    let first = &article.paragraphs[0].text;
    assert!(first.starts_with("The ferry"), "{:?}", article.paragraphs);
    // A short first paragraph that is a sentence is the article's, and stays.
    let page =
        format!("<html><body><div class=\"story\"><p>It is back.</p>{story}</div></body></html>");
    assert_eq!(extract(&page).paragraphs[0].text, "It is back.");
}
