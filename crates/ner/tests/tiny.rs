//! A tiny model trained on a few sentences of our own tags its own training sentences, and
//! survives a round trip through bytes.

use ner::{spans_of, tags_of, Example, Kind, Model, Scratch, Span, Token, Trainer};

/// Sentences with names marked `[Kind words]`.
const FIXTURE: &[&str] = &[
    "[P Maria Kowalczyk] visited the [O Tallinn Harbour Council] last Monday .",
    "The [O Brindle University] hired [P Tomas Ferreira] as a lecturer .",
    "Flooding closed roads across [L Morvale] and [L Eastbury] last week .",
    "[P Ferreira] said the [O Brindle University] board would meet in [L Morvale] .",
    "A spokesman for the [O Quillon Group] declined to comment .",
    "She moved from [L Eastbury] to work with [P Anneke Duval] .",
];

fn parse(line: &str) -> (Vec<&str>, Vec<Span>) {
    let mut words = Vec::new();
    let mut spans = Vec::new();
    let mut open: Option<(usize, Kind)> = None;
    for w in line.split(' ') {
        if let Some(tag) = w.strip_prefix('[') {
            let kind = match tag {
                "P" => Kind::Person,
                "O" => Kind::Org,
                _ => Kind::Place,
            };
            open = Some((words.len(), kind));
            continue;
        }
        let (word, closes) = match w.strip_suffix(']') {
            Some(word) => (word, true),
            None => (w, false),
        };
        words.push(word);
        if closes {
            let (start, kind) = open.take().expect("a name opened before it closes");
            spans.push(Span {
                start,
                end: words.len(),
                kind,
            });
        }
    }
    (words, spans)
}

fn tokens<'a>(words: &[&'a str]) -> Vec<Token<'a>> {
    words.iter().map(|w| Token { text: w, flags: 0 }).collect()
}

#[test]
fn tags_round_trip_through_spans() {
    let spans = [
        Span {
            start: 1,
            end: 3,
            kind: Kind::Org,
        },
        Span {
            start: 3,
            end: 4,
            kind: Kind::Place,
        },
    ];
    let mut back = Vec::new();
    spans_of(&tags_of(5, &spans), &mut back);
    assert_eq!(back, spans);
}

/// The fixture's sentences as training examples.
fn examples_of<'a>(parsed: &'a [(Vec<&'a str>, Vec<Span>)]) -> Vec<Example<'a>> {
    parsed
        .iter()
        .map(|(w, s)| Example {
            tokens: tokens(w),
            tags: tags_of(w.len(), s),
        })
        .collect()
}

#[test]
fn a_tiny_model_tags_its_own_training_sentences() {
    let parsed: Vec<(Vec<&str>, Vec<Span>)> = FIXTURE.iter().map(|l| parse(l)).collect();
    let examples = examples_of(&parsed);
    let mut trainer = Trainer::new(12);
    trainer.train(&examples, 20, 7);
    let model = Model::from_bytes(&trainer.finish().to_bytes()).expect("a model reads back");
    let mut scratch = Scratch::default();
    for (words, gold) in &parsed {
        let mut found = Vec::new();
        model.tag(&tokens(words), &mut scratch, &mut found);
        assert_eq!(&found, gold, "{}", words.join(" "));
        // The same names with margins: one each, and a name it learned is above no name.
        let (mut again, mut margins) = (Vec::new(), Vec::new());
        model.tag_with_margins(&tokens(words), &mut scratch, &mut again, &mut margins);
        assert_eq!(&again, gold);
        assert_eq!(margins.len(), gold.len());
        assert!(margins.iter().all(|&m| m > 0), "{margins:?}");
    }
}

#[test]
fn an_empty_model_finds_nothing_and_bad_bytes_are_refused() {
    let mut found = Vec::new();
    Model::empty(10).tag(
        &tokens(&["Ada", "Lovelace", "wrote"]),
        &mut Scratch::default(),
        &mut found,
    );
    assert!(found.is_empty());
    assert!(Model::from_bytes(b"not a model").is_err());
    let mut short = Model::empty(10).to_bytes();
    short.pop();
    assert!(Model::from_bytes(&short).is_err());
}

#[test]
fn training_is_deterministic() {
    let parsed: Vec<(Vec<&str>, Vec<Span>)> = FIXTURE.iter().map(|l| parse(l)).collect();
    let examples = examples_of(&parsed);
    let fit = || {
        let mut trainer = Trainer::new(10);
        trainer.train(&examples, 5, 3);
        trainer.finish().to_bytes()
    };
    assert_eq!(fit(), fit());
}

#[test]
fn gazetteer_places_are_whole_one_word_places_and_no_first_names() {
    assert!(ner::gazetteer_place("York"));
    assert!(ner::gazetteer_place("tulsa"));
    // A place and a first name both: no evidence either way.
    assert!(!ner::gazetteer_place("Jordan"));
    assert!(!ner::gazetteer_place("Harbour"));
}
