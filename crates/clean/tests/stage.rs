//! The stage contract: options, metadata given by the input, text rewritten by an earlier stage.

use chrono::NaiveDate;
use clean::{Clean, CleanOptions};
use model::{BuildContext, Document, DocumentStage, OffsetMap, TextBuilder};

const ARTICLE: &str = "Thursday\n\n08-21-2025 Vol 2059\n\nEnvoy Says Moscow Accepted Security Guarantees\n\nThe envoy said on Sunday that Moscow had accepted the framework for the guarantees.\n\n“It is a first,” he said.\n\nimage source from:aol\n\nCharlotte Hayes\n";

fn run(opts: CleanOptions, doc: &mut Document) {
    Clean::new(opts, &BuildContext::default())
        .unwrap()
        .process(doc)
        .unwrap();
}

#[test]
fn a_bad_user_regex_is_an_error_naming_the_option() {
    let mut opts = CleanOptions::default();
    opts.byline.extra_patterns = vec!["(unclosed".into()];
    let err = Clean::new(opts, &BuildContext::default()).unwrap_err();
    assert!(
        err.message.contains("byline.extra_patterns"),
        "{}",
        err.message
    );
    let mut opts = CleanOptions::default();
    opts.dateline.extra_patterns = vec!["[".into()];
    let err = Clean::new(opts, &BuildContext::default()).unwrap_err();
    assert!(
        err.message.contains("dateline.extra_patterns"),
        "{}",
        err.message
    );
}

#[test]
fn options_reject_unknown_keys_and_read_nested_families() {
    let opts: CleanOptions = toml::from_str(
        "date_order = \"dmy\"\n[masthead]\nenabled = false\nextra_patterns = [\"^x$\"]\n",
    )
    .unwrap();
    assert!(!opts.masthead.enabled);
    assert!(toml::from_str::<CleanOptions>("no_such_option = 1").is_err());
    assert!(toml::from_str::<CleanOptions>("[share]\nenabld = true").is_err());
}

#[test]
fn metadata_given_by_the_input_is_kept_and_disagreement_warned() {
    let mut doc = Document::new("d", "d.txt", ARTICLE.to_string());
    doc.meta.title = Some("Given title".into());
    doc.meta.published = Some(NaiveDate::from_ymd_opt(2025, 8, 20).unwrap());
    doc.meta.authors = vec!["Given Author".into()];
    run(CleanOptions::default(), &mut doc);
    assert_eq!(doc.meta.title.as_deref(), Some("Given title"));
    assert_eq!(doc.meta.published, NaiveDate::from_ymd_opt(2025, 8, 20));
    assert_eq!(doc.meta.authors, vec!["Given Author".to_string()]);
    assert_eq!(doc.meta.image_credits, vec!["aol".to_string()]);
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.stage == "clean" && w.message.contains("disagrees")));
    // The headline still leaves the text.
    assert!(!doc.text().contains("Envoy Says"));
    assert_eq!(doc.paragraphs.len(), 2);
}

#[test]
fn disabled_family_keeps_its_lines() {
    let mut opts = CleanOptions::default();
    opts.masthead.enabled = false;
    let mut doc = Document::new("d", "d.txt", ARTICLE.to_string());
    run(opts, &mut doc);
    assert!(doc.removed.iter().all(|r| r.reason != "masthead"));
    assert_eq!(doc.meta.published, None);
}

#[test]
fn a_rewritten_text_is_cleaned_and_still_maps_to_the_source() {
    // An earlier stage replaced the weekday line by a marker and kept the rest verbatim.
    let source = ARTICLE.to_string();
    let mut doc = Document::new("d", "d.txt", source.clone());
    let cut = source.find("\n\n08").unwrap();
    let mut b = TextBuilder::default();
    b.replace(0..cut, "[Thursday]");
    b.copy(&source, cut..source.len());
    let (text, map): (String, OffsetMap) = b.finish();
    let len = text.len();
    #[allow(clippy::single_range_in_vec_init)]
    let paragraphs = vec![0..len];
    doc.set_text(text, map, paragraphs);
    run(CleanOptions::default(), &mut doc);
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.message.contains("earlier stage")));
    let first = doc.paragraphs[0].clone();
    let span = doc.span(first.clone());
    let chars: Vec<char> = source.chars().collect();
    let from: String = chars[span.source_start..span.source_end].iter().collect();
    assert_eq!(from, &doc.text()[first]);
    // Removed lines keep their source line numbers.
    let credit = doc
        .removed
        .iter()
        .find(|r| r.reason == "image_credit")
        .unwrap();
    assert_eq!(credit.line, 11);
}

#[test]
fn mojibake_maps_as_a_whole_and_the_rest_exactly() {
    let source =
        "Envoy’s claim\n\nThe envoyâ€™s “claim” was repeated on Sunday by several officials.\n"
            .to_string();
    let mut doc = Document::new("d", "d.txt", source.clone());
    run(CleanOptions::default(), &mut doc);
    assert_eq!(
        doc.text(),
        "The envoy’s “claim” was repeated on Sunday by several officials."
    );
    let chars: Vec<char> = source.chars().collect();
    let at = |needle: &str| {
        let b = doc.text().find(needle).unwrap();
        let s = doc.span(b..b + needle.len());
        chars[s.source_start..s.source_end]
            .iter()
            .collect::<String>()
    };
    assert_eq!(at("claim"), "claim");
    assert_eq!(at("’"), "â€™");
    assert_eq!(at("envoy’s"), "envoyâ€™s");
    assert!(doc.warnings.iter().any(|w| w.message.contains("mojibake")));
}

/// Place and agency a dateline should give.
type Want = Option<(&'static str, Option<&'static str>)>;

#[test]
fn datelines_by_form() {
    let stage = Clean::new(CleanOptions::default(), &BuildContext::default()).unwrap();
    let cases: [(&str, Want); 9] = [
        (
            "WASHINGTON (AP) — The Senate voted.",
            Some(("WASHINGTON", Some("AP"))),
        ),
        (
            "NEW YORK, N.Y. (AP) — Stocks fell.",
            Some(("NEW YORK, N.Y.", Some("AP"))),
        ),
        (
            "LONDON, Aug 21 (Reuters) - Prices rose.",
            Some(("LONDON", Some("Reuters"))),
        ),
        ("(CNN) — The president spoke.", Some(("", Some("CNN")))),
        (
            "GAZA CITY -- Aid arrived on Monday.",
            Some(("GAZA CITY", None)),
        ),
        ("The Senate — which adjourned early — voted.", None),
        ("BREAKING — A strong earthquake struck.", None),
        ("LONDON - Prices rose, officials said.", None),
        ("Officials in KYIV — the capital — said so.", None),
    ];
    for (para, want) in cases {
        let mut doc = Document::new("d", "d.txt", format!("{para}\n"));
        stage.process(&mut doc).unwrap();
        let got = doc
            .meta
            .dateline
            .as_ref()
            .map(|d| (d.place.as_str(), d.agency.as_deref()));
        assert_eq!(got, want, "{para}");
        assert_eq!(doc.text(), para, "the dateline stays in the text");
    }
}
