//! Who said each quotation, what kind of speaker that is, and which outlet carried it: one
//! small made-up article per family of attribution the speaker finder must get right (runs of
//! quotes, titles before names, bracketed party tags, described and document speakers,
//! outlets that only report). Every sentence here was written for this test.

use extract::quotes::{Quotes, QuotesOptions};
use model::{BuildContext, Document, DocumentStage, Quote, SpeakerKind};

fn quotes(text: &str) -> Vec<Quote> {
    let mut doc = Document::new("t", "t", text.to_string());
    let stage = Quotes::new(QuotesOptions::default(), &BuildContext::default()).unwrap();
    stage.process(&mut doc).unwrap();
    doc.quotes
}

/// The quotation whose text starts with `start`.
fn find<'a>(qs: &'a [Quote], start: &str) -> &'a Quote {
    qs.iter()
        .find(|q| q.text.starts_with(start))
        .unwrap_or_else(|| panic!("no quotation starting {start:?} in {qs:#?}"))
}

#[track_caller]
fn check(text: &str, start: &str, speaker: &str, kind: SpeakerKind, via: Option<&str>) {
    let qs = quotes(text);
    let q = find(&qs, start);
    assert_eq!(
        q.speaker.as_deref(),
        Some(speaker),
        "speaker of {start:?}: {q:#?}"
    );
    assert_eq!(q.speaker_kind, Some(kind), "kind of {start:?}: {q:#?}");
    assert_eq!(q.via.as_deref(), via, "via of {start:?}: {q:#?}");
}

#[test]
fn a_run_of_quotes_keeps_the_speaker_of_the_first() {
    let text = "Flooding closed the bridge\n\n\"We have never seen water this high,\" Riverton \
                fire Chief Dana Whitlock said Tuesday. \"Nobody should drive through it.\"\n";
    check(
        text,
        "We have never",
        "Dana Whitlock",
        SpeakerKind::Person,
        None,
    );
    check(
        text,
        "Nobody should",
        "Dana Whitlock",
        SpeakerKind::Person,
        None,
    );
}

#[test]
fn titles_and_organizations_before_a_name_belong_to_the_name() {
    let text = "Budget fight\n\n\"The cuts will hurt families,\" said Regional Council President \
                Helga Marsh.\n\n\"He means well,\" said Harlan ally Jodie Marsh.\n\n\"It is done,\" \
                said Harlan's top policy aide Petra Lund.\n";
    check(text, "The cuts", "Helga Marsh", SpeakerKind::Person, None);
    check(text, "He means", "Jodie Marsh", SpeakerKind::Person, None);
    check(text, "It is done", "Petra Lund", SpeakerKind::Person, None);
}

#[test]
fn a_bracketed_party_tag_is_not_the_speaker() {
    let text = "Vote looms\n\nBudget Chairman Rolf Danner (R-Ohio) said the plan \"will not survive \
                the floor.\"\n\n\"The money is simply not there,\" Rep. Olive Martens (D-Mont.) said.\n";
    check(
        text,
        "will not survive",
        "Rolf Danner",
        SpeakerKind::Person,
        None,
    );
    check(
        text,
        "The money",
        "Olive Martens",
        SpeakerKind::Person,
        None,
    );
}

#[test]
fn an_appositive_before_the_cue_does_not_hide_the_subject() {
    let text = "Convention floor\n\nCouncilwoman Ava Stone, dressed in a coat that bore the name \
                Trent, said the vote would be \"a failure for everyone.\"\n\n\"This will go to court,\" \
                Harriet Olmos, who chairs the Fairness Project said in a statement.\n";
    check(text, "a failure", "Ava Stone", SpeakerKind::Person, None);
    check(
        text,
        "This will go",
        "Harriet Olmos",
        SpeakerKind::Person,
        None,
    );
}

#[test]
fn an_outlet_told_is_the_medium_not_the_speaker() {
    let text = "Campaign trail\n\n\"That is a fair worry, because voters are angry,\" Priya Castell, \
                54, told Fox News on Monday.\n\n\"We are not done,\" Omar Reyes said in an interview \
                with the Riverton Times.\n";
    check(
        text,
        "That is a fair",
        "Priya Castell",
        SpeakerKind::Person,
        Some("Fox News"),
    );
    check(
        text,
        "We are not done",
        "Omar Reyes",
        SpeakerKind::Person,
        Some("Riverton Times"),
    );
}

#[test]
fn according_to_an_outlet_alone_credits_and_marks_it() {
    let text =
        "Rules\n\nThe new rules are \"unworkable and costly,\" according to the Daily Ledger.\n\n\
                \"I ask you not to protest on the floor,\" Mara Linde said, according to CNN.\n";
    check(
        text,
        "unworkable",
        "Daily Ledger",
        SpeakerKind::Organization,
        Some("Daily Ledger"),
    );
    check(
        text,
        "I ask you",
        "Mara Linde",
        SpeakerKind::Person,
        Some("CNN"),
    );
}

#[test]
fn described_speakers_are_speakers() {
    let text =
        "Talks stall\n\n\"The proposal is a nonstarter,\" a spokesman for Harlow Mills said.\n\n\
                \"It will cost jobs,\" said an industry lobbyist who asked not to be named.\n\n\
                \"Nobody reads the small print,\" the party member said.\n\n\"It is over,\" said a \
                source close to the campaign.\n";
    let d = SpeakerKind::Described;
    check(
        text,
        "The proposal",
        "a spokesman for Harlow Mills",
        d,
        None,
    );
    check(text, "It will cost", "an industry lobbyist", d, None);
    check(text, "Nobody reads", "the party member", d, None);
    check(
        text,
        "It is over",
        "a source close to the campaign",
        d,
        None,
    );
}

#[test]
fn documents_speak() {
    let text = "Lawsuit\n\nThe lawsuit, a 40-page complaint filed by the state, says the firm \
                \"misled thousands of customers.\"\n\n\"Prices rose faster than wages,\" the report \
                said.\n";
    let d = SpeakerKind::Document;
    check(text, "misled", "The lawsuit", d, None);
    check(text, "Prices rose", "the report", d, None);
}

#[test]
fn a_sentence_subject_speaks_when_no_cue_does_but_not_the_target_of_a_passive() {
    let text = "Volunteers\n\nSenator Ada Brennan praised the crews for keeping the roads open \
                through \"the worst storm in forty years.\"\n\nThe mayor has been accused of \
                \"ignoring the warnings for a decade\" by residents.\n";
    check(
        text,
        "the worst storm",
        "Ada Brennan",
        SpeakerKind::Person,
        None,
    );
    let qs = quotes(text);
    assert_eq!(find(&qs, "ignoring").speaker, None);
}

#[test]
fn particle_names_and_doubled_apostrophe_marks() {
    let text =
        "Summit\n\n\"This is not over,\" Ursula von der Leyen said on Sunday.\n\n''My advice \
                was not to do it,'' recalled Gail Forde, a former envoy.\n";
    check(
        text,
        "This is not over",
        "Ursula von der Leyen",
        SpeakerKind::Person,
        None,
    );
    check(text, "My advice", "Gail Forde", SpeakerKind::Person, None);
}

#[test]
fn titles_and_terms_have_no_speaker_kind() {
    let text = "Show\n\nShe spoke on \"Meet the Press\" about the so-called \"peace dividend\".\n";
    for q in quotes(text) {
        assert!(!q.kind.is_speech(), "{q:#?}");
        assert_eq!(q.speaker_kind, None);
        assert_eq!(q.via, None);
    }
}

#[test]
fn names_between_commas_and_participle_descriptions() {
    let text = "Briefing\n\n\"Nothing new changes our view,\" City Hall press secretary Noel Varga told \
                reporters.\n\n\"It was very pleasant,\" the gaming tycoon told Reuters in a rare \
                interview.\n\n\"That is inevitable,\" Ohio Rep. Dan Kiley's chief of staff, Joe Kasper, \
                told Politico.\n\n\"They need a plan,\" Nate Sorel, the analyst who founded a forecasting \
                site tweeted on Wednesday.\n";
    check(text, "Nothing new", "Noel Varga", SpeakerKind::Person, None);
    check(
        text,
        "It was very",
        "the gaming tycoon",
        SpeakerKind::Described,
        Some("Reuters"),
    );
    check(
        text,
        "That is inevitable",
        "Joe Kasper",
        SpeakerKind::Person,
        Some("Politico"),
    );
    check(text, "They need", "Nate Sorel", SpeakerKind::Person, None);
}

/// Shapes that once sliced text backwards: a name inside a headline's quotation, a bracket
/// running past the cue, candidates overlapping in a title chain.
#[test]
fn odd_shapes_never_panic() {
    for text in [
        "Bikes Are ‘The Best Public Transport Fix,’ Ida Rowe Tells City Hall.\n\nBikes are \
         “the best fix” and “cheap to run,” Ida Rowe, the former mayor of Elmton, told a crowd.\n",
        "‘Tax Truther’ Jon Dale Is Like A Client Ever, Mo Reyes Says.\n\n“No,” Mo Reyes (who \
         said so) told us.\n",
        "“Yes,” said Ohio Rep. Dan Kiley’s Dan Kiley aide Jo Park (R-Ohio.\n",
    ] {
        let _ = quotes(text);
    }
}

#[test]
fn a_name_after_a_dash_labels_the_quotation_after_its_colon() {
    let text =
        "Newsletter\n\nLate deciders moved the count - Ann Lowry: “Most voters made up their \
                minds in the final week, and the polls that kept calling caught it.”\n";
    check(text, "Most voters", "Ann Lowry", SpeakerKind::Person, None);
}

#[test]
fn an_outlet_after_according_to_does_not_take_the_words_of_a_named_speaker() {
    let text =
        "Farm bill\n\nSenator Ola Brandt called the deal \"a disaster for farmers,\" according \
                to Fox News.\n";
    check(
        text,
        "a disaster",
        "Ola Brandt",
        SpeakerKind::Person,
        Some("Fox News"),
    );
}

#[test]
fn a_title_chain_ends_in_the_person_after_a_colon_or_an_organization() {
    let text = "Harbor vote\n\nThe result did not surprise Democratic pollster Rina Calloway: \
                \"Harbor towns always vote late and vote together.\"\n\n\"The ferries will run \
                on time,\" said Coastal Transit Authority Chairman Odile Fenwick.\n";
    // The finder may know only the surname of an unlisted name; the party word is no one.
    let qs = quotes(text);
    let q = find(&qs, "Harbor towns");
    assert!(
        q.speaker
            .as_deref()
            .is_some_and(|s| s.ends_with("Calloway")),
        "{q:#?}"
    );
    check(
        text,
        "The ferries",
        "Odile Fenwick",
        SpeakerKind::Person,
        None,
    );
}

#[test]
fn retorts_after_a_quotation_are_cues() {
    let text = "Debate night\n\n\"You have no plan for the mills,\" Morrow charged.\n\n\"I have \
                three plans and a budget,\" Tillery shot back.\n";
    check(text, "You have no", "Morrow", SpeakerKind::Person, None);
    check(text, "I have three", "Tillery", SpeakerKind::Person, None);
}

#[test]
fn a_sentence_before_the_quotation_in_its_paragraph_introduces_its_speaker() {
    let text = "Council race\n\n\"The budget is a mess,\" said Councilwoman Ada Brill.\n\n\
                Mayor Tomas Quint said he would sign the plan if asked. \"I am going to support \
                it, and support it fully.\"\n";
    check(text, "I am going", "Tomas Quint", SpeakerKind::Person, None);
}

#[test]
fn a_fronted_phrase_or_a_sentence_opening_participle_is_not_the_speaker() {
    let text = "Late night\n\nIn a radio interview later that day, Senator Wren Halloway went \
                further: \"The port deal is dead.\"\n\nRepeating one of her favorite lines, the \
                governor promised \"roads before stadiums\" to the crowd.\n";
    check(
        text,
        "The port deal",
        "Wren Halloway",
        SpeakerKind::Person,
        None,
    );
    let qs = quotes(text);
    let q = find(&qs, "roads before");
    assert_ne!(q.speaker.as_deref(), Some("Repeating"), "{q:#?}");
}

#[test]
fn an_age_or_a_job_in_the_story_is_a_described_speaker() {
    let text =
        "Fair day\n\n\"I have shown goats here since I was nine,\" said the 46-year-old.\n\n\
                Another commenter said, \"The fair should stay in August.\"\n";
    check(
        text,
        "I have shown",
        "the 46-year-old",
        SpeakerKind::Described,
        None,
    );
    check(
        text,
        "The fair should",
        "Another commenter",
        SpeakerKind::Described,
        None,
    );
}

#[test]
fn a_dash_line_after_the_quotation_signs_it_and_texts_read() {
    let text = "Fact check\n\n\"We built more bridges than any county in the state.\"\n\n\
                - Mara Quillon\n\n\"Drive slowly, the geese have right of way,\" the sign \
                reads.\n\n\"Nobody asked the farmers.\"\n\n– A county divided –\n";
    check(
        text,
        "We built more",
        "Mara Quillon",
        SpeakerKind::Person,
        None,
    );
    check(
        text,
        "Drive slowly",
        "the sign",
        SpeakerKind::Described,
        None,
    );
    let qs = quotes(text);
    let q = find(&qs, "Nobody asked");
    assert_ne!(q.speaker.as_deref(), Some("A county"), "{q:#?}");
}
