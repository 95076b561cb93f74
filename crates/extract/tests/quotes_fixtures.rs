//! The quotes stage on small articles in the styles of other outlets (wire services,
//! broadsheets, tabloids, transcripts, local papers, newsletters): one snapshot per fixture,
//! a table of every quotation with its kind, speaker, mention, cue and link.

use std::path::{Path, PathBuf};

use extract::quotes::{Quotes, QuotesOptions};
use model::{BuildContext, Document, DocumentStage};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quotes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

fn run(path: &Path) -> Document {
    let text = std::fs::read_to_string(path).unwrap();
    let id = path.file_stem().unwrap().to_string_lossy().to_string();
    let mut doc = Document::new(id, path.display().to_string(), text);
    let stage = Quotes::new(QuotesOptions::default(), &BuildContext::default()).unwrap();
    stage.process(&mut doc).unwrap();
    doc
}

fn table(doc: &Document) -> String {
    let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    let mut out = String::from("id | kind | speaker | mention | cue | continues | text\n");
    for q in &doc.quotes {
        out.push_str(&format!(
            "{} | {} | {} | {} | {} | {} | {}\n",
            q.id,
            q.kind.as_str(),
            dash(&q.speaker),
            dash(&q.speaker_mention),
            dash(&q.cue),
            dash(&q.continues),
            q.text
        ));
    }
    for w in &doc.warnings {
        out.push_str(&format!("warning: {}\n", w.message));
    }
    out
}

#[test]
fn fixtures_snapshot() {
    let files = fixtures();
    assert!(files.len() >= 40, "only {} fixtures", files.len());
    for path in files {
        let doc = run(&path);
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(name, table(&doc));
    }
}

#[test]
fn fixture_offsets_point_at_the_quoted_words() {
    for path in fixtures() {
        let doc = run(&path);
        let text: Vec<char> = doc.text().chars().collect();
        let source: Vec<char> = doc.source_text.chars().collect();
        for q in &doc.quotes {
            let in_text: String = text[q.span.start..q.span.end].iter().collect();
            let in_source: String = source[q.span.source_start..q.span.source_end]
                .iter()
                .collect();
            assert_eq!(q.text, in_text, "{} {}", path.display(), q.id);
            assert_eq!(q.text, in_source, "{} {}", path.display(), q.id);
            assert_eq!(q.key, model::normalize::quote_key(&q.text));
            if !q.kind.is_speech() {
                assert!(
                    q.speaker.is_none(),
                    "{} {} has a speaker",
                    path.display(),
                    q.id
                );
            }
        }
    }
}

#[test]
fn extra_cues_from_options_and_files() {
    let text =
        "“We will rebuild,” the mayor harrumphed. “Every street,” Ada Quill opined.".to_string();
    let dir = std::env::temp_dir().join(format!("quotes-cues-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("cues.txt"), "# house style\nopined\n").unwrap();
    let ctx = BuildContext {
        base_dir: dir.clone(),
        instance: "quotes".into(),
    };
    let options = QuotesOptions {
        extra_cues: vec!["harrumphed".into()],
        cue_lists: vec!["cues.txt".into()],
        ..Default::default()
    };
    let stage = Quotes::new(options, &ctx).unwrap();
    let mut doc = Document::new("x", "x.txt", text);
    stage.process(&mut doc).unwrap();
    let cues: Vec<Option<&str>> = doc.quotes.iter().map(|q| q.cue.as_deref()).collect();
    assert_eq!(cues, vec![Some("harrumphed"), Some("opined")]);
    assert_eq!(doc.quotes[1].speaker.as_deref(), Some("Ada Quill"));
    std::fs::remove_dir_all(&dir).ok();

    let missing = QuotesOptions {
        cue_lists: vec!["no-such-file.txt".into()],
        ..Default::default()
    };
    assert!(Quotes::new(missing, &BuildContext::default()).is_err());
}

#[test]
fn an_unclosed_mark_in_one_long_paragraph_is_bounded() {
    let mut text = String::from("The mayor said “we will fix the roads");
    for _ in 0..400 {
        text.push_str(" and the bridges and the tunnels");
    }
    text.push('.');
    let options = QuotesOptions {
        max_quote_chars: 500,
        ..Default::default()
    };
    let stage = Quotes::new(options, &BuildContext::default()).unwrap();
    let mut doc = Document::new("long", "long.txt", text);
    stage.process(&mut doc).unwrap();
    assert_eq!(doc.quotes.len(), 1);
    assert!(doc.quotes[0].text.chars().count() <= 500);
    assert!(doc.quotes[0].text.starts_with("we will fix the roads"));
    assert_eq!(doc.warnings.len(), 1);
    assert!(doc.warnings[0].message.contains("length limit"));
}

#[test]
fn nested_quotes_can_be_left_out() {
    let text = "“He told me ‘we will win’ and left,” said Ana Ruiz.".to_string();
    let options = QuotesOptions {
        nested: false,
        ..Default::default()
    };
    let stage = Quotes::new(options, &BuildContext::default()).unwrap();
    let mut doc = Document::new("n", "n.txt", text);
    stage.process(&mut doc).unwrap();
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(doc.quotes[0].text, "He told me ‘we will win’ and left,");
    assert_eq!(doc.quotes[0].speaker.as_deref(), Some("Ana Ruiz"));
}

#[test]
fn truncated_and_odd_texts_never_panic() {
    let stage = Quotes::new(QuotesOptions::default(), &BuildContext::default()).unwrap();
    let mut texts: Vec<String> = vec![
        String::new(),
        "“".into(),
        "”".into(),
        "\"\"\"".into(),
        "‘’‘’’".into(),
        "«»«".into(),
        "“ ”, he said.".into(),
        "He said, “".into(),
        "“Ünïcödé — ”, said Zoë Ångström.\n\n“Ж,” she said.".into(),
    ];
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(37).collect();
        texts.extend(cuts.into_iter().map(|c| text[..c].to_string()));
    }
    for text in texts {
        let mut doc = Document::new("t", "t.txt", text.clone());
        stage.process(&mut doc).unwrap();
        for q in &doc.quotes {
            assert_eq!(q.text, doc.text()[q.span.bytes.clone()], "{text:?}");
        }
    }
}

/// Text that did not pass through `clean` keeps its no-break and other wide spaces; a dot
/// after one (an abbreviation test reads the word before it) must not cut a character.
#[test]
fn wide_spaces_before_a_dot_are_whole_characters() {
    for space in ['\u{a0}', '\u{2009}', '\u{3000}'] {
        let text = format!(
            "“We will rebuild the bridge,” said{space}Mayor{space}Jones{space}of{space}Leeds. \
             Her deputy agreed.\n\n“It starts in May,” Jones{space}told{space}reporters{space}Dr. Lee{space}X. \
             Later{space}she{space}left."
        );
        let mut doc = Document::new("wide", "wide.txt", text);
        let stage = Quotes::new(QuotesOptions::default(), &BuildContext::default()).unwrap();
        stage.process(&mut doc).unwrap();
        let texts: Vec<&str> = doc.quotes.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(
            texts,
            ["We will rebuild the bridge,", "It starts in May,"],
            "{space:?}"
        );
    }
}
