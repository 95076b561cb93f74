//! The speaker-ranking trainer on a tiny brat corpus written for this test: three short
//! articles whose annotations credit the outlet of "…,” according to <outlet>" (as PolNeAR
//! does) where the shipped rule order credits the person named before the quotation.

use std::path::Path;

use extract::quotes::{Quotes, QuotesOptions, SpeakerWeights};
use model::{BuildContext, Document, DocumentStage};
use train::speakers::{fit, read_ann, read_corpus};

const ARTICLES: &[(&str, &str, &str)] = &[
    (
        "one",
        "Mayor Lena Ostrowski called the budget \"a reckless gamble with our parks,\" according to the Riverton Times.\n",
        "the Riverton Times",
    ),
    (
        "two",
        "Councilman Abel Varga described the vote as \"a betrayal of every family on the east side,\" according to the Harlow Gazette.\n",
        "the Harlow Gazette",
    ),
    (
        "three",
        "Judge Mira Castell called the ruling \"long overdue for the people of this county,\" according to the Dunmore Herald.\n",
        "the Dunmore Herald",
    ),
];

/// A brat annotation crediting `source` with the quotation of `text`.
fn ann(text: &str, source: &str) -> String {
    let open = text.find('"').unwrap();
    let close = text[open + 1..].find('"').unwrap() + open + 2;
    let src = text.rfind(source).unwrap();
    let cue = text.find("according to").unwrap();
    format!(
        "T1\tSource {src} {}\t{source}\nT2\tCue {cue} {}\taccording to\nT3\tContent {open} {close}\t{}\n\
         T4\tAttribution {cue} {}\taccording to\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        src + source.len(),
        cue + 12,
        &text[open..close],
        cue + 12
    )
}

fn speaker(stage: &Quotes, text: &str) -> Option<String> {
    let mut doc = Document::new("t", "t", text.to_string());
    stage.process(&mut doc).unwrap();
    doc.quotes[0].speaker.clone()
}

#[test]
fn the_shipped_weights_load_and_rank_a_cue_after_the_quote_first() {
    let w = SpeakerWeights::shipped();
    assert!(w.get("route=after") > w.get("route=colon"), "{w:?}");
}

#[test]
fn brat_offsets_are_characters_turned_into_bytes() {
    let text = "Zoë said \"yes.\"";
    let gold = read_ann("T1\tSource 0 3\tZoë\nT2\tContent 9 15\t\"yes.\"\nE1\tAttribution:T2 Content:T2 Source:T1\n", text).unwrap();
    assert_eq!(gold[0].source, "Zoë");
    assert_eq!(&text[gold[0].content[0].clone()], "\"yes.\"");
}

#[test]
fn training_on_a_tiny_corpus_learns_its_convention() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("speakers-fixture");
    for sub in ["text", "attributions"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    for (stem, text, source) in ARTICLES {
        std::fs::write(dir.join("text").join(format!("{stem}.txt")), text).unwrap();
        std::fs::write(
            dir.join("attributions").join(format!("{stem}_ab12.ann")),
            ann(text, source),
        )
        .unwrap();
    }
    let shipped = Quotes::new(QuotesOptions::default(), &BuildContext::default()).unwrap();
    // The rule order credits the person named before the quotation.
    assert_eq!(
        speaker(&shipped, ARTICLES[0].1).as_deref(),
        Some("Lena Ostrowski")
    );
    let examples = read_corpus(&dir).unwrap();
    assert_eq!(examples.len(), 3, "{examples:#?}");
    let fitted = fit(&examples, 5);
    assert_eq!(fitted.accuracy, 1.0);
    assert_eq!(fitted.baseline, 0.0);
    let trained = Quotes::new(QuotesOptions::default(), &BuildContext::default())
        .unwrap()
        .with_speaker_weights(SpeakerWeights::parse(&fitted.weights.to_tsv()).unwrap());
    for (_, text, source) in ARTICLES {
        let got = speaker(&trained, text).unwrap_or_default();
        assert!(
            source.ends_with(&got) && !got.is_empty(),
            "{got:?} for {source:?}"
        );
    }
    // Deterministic: the same corpus gives the same file.
    assert_eq!(fit(&examples, 5).weights.to_tsv(), fitted.weights.to_tsv());
}
