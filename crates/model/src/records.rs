//! Records the extract stages attach to a document. Offsets live in [`Span`]s.

use serde::Serialize;

use crate::document::Span;

/// How a quoted span is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Reported speech of a clause or more.
    Full,
    /// A phrase of someone's words inside the writer's sentence (Putin offered “robust” …).
    Partial,
    /// The name of a work, programme or agreement (“State of the Union”).
    Title,
    /// A term or group name the writer puts in quotes, not anyone's speech.
    Term,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Full => "full",
            QuoteKind::Partial => "partial",
            QuoteKind::Title => "title",
            QuoteKind::Term => "term",
        }
    }

    /// Speech kinds carry a speaker; titles and terms never do.
    pub fn is_speech(self) -> bool {
        matches!(self, QuoteKind::Full | QuoteKind::Partial)
    }
}

/// What kind of speaker a quotation is credited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    /// A named person ("Steve Witkoff", or "he" resolved to one).
    Person,
    /// A named organization or body ("the Kremlin", "Reuters").
    Organization,
    /// A text that speaks: a report, a statement, a complaint, a poll.
    Document,
    /// A speaker the text describes without naming ("a spokesman for Disney").
    Described,
    /// Speech whose speaker the text never gives, or that could not be resolved.
    Unknown,
}

impl SpeakerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Organization => "organization",
            SpeakerKind::Document => "document",
            SpeakerKind::Described => "described",
            SpeakerKind::Unknown => "unknown",
        }
    }
}

/// A direct quotation. `span` excludes the quote marks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// `q1`, `q2`, … in document order.
    pub id: String,
    pub text: String,
    pub kind: QuoteKind,
    /// The fullest name the document gives the speaker; `None` when unresolved.
    pub speaker: Option<String>,
    /// The words that name the speaker at the cue (`he`, `the envoy`, `Witkoff`).
    pub speaker_mention: Option<String>,
    /// What kind of speaker `speaker` is; `None` for titles and terms.
    pub speaker_kind: Option<SpeakerKind>,
    /// The cue verb phrase (`said`, `pointed out`, `according to`).
    pub cue: Option<String>,
    /// The medium that carried the words, not their speaker ("told NBC", "according to
    /// Fox News", "in an interview with the Ledger").
    pub via: Option<String>,
    /// For the later parts of a split quote: the id of the part before.
    pub continues: Option<String>,
    /// Normalized text used to match the same words across documents.
    pub key: String,
    #[serde(flatten)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityKind {
    Person,
    Org,
    Place,
    Date,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "PERSON",
            EntityKind::Org => "ORG",
            EntityKind::Place => "PLACE",
            EntityKind::Date => "DATE",
        }
    }
}

/// One referent in a document (all its mentions together).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    /// `e1`, `e2`, … in order of first mention.
    pub id: String,
    /// The fullest form the document uses.
    pub name: String,
    pub kind: EntityKind,
    pub role: Option<String>,
    /// Other forms used in the document.
    pub aliases: Vec<String>,
    /// Number of mentions.
    pub mentions: usize,
    /// Normalized name for matching across documents (case, accents, transliteration).
    pub key: String,
    /// Normalized value where the kind has one (ISO date at the precision given for DATE).
    pub value: Option<String>,
    /// For relative dates: what they were resolved against (`published 2025-08-21`).
    pub anchor: Option<String>,
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    pub entity_id: String,
    pub text: String,
    #[serde(flatten)]
    pub span: Span,
}

/// A numeric claim: a number, what it counts or measures, and about what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// `c1`, `c2`, … in document order.
    pub id: String,
    pub text: String,
    /// Normalized value (70% → 0.70, three-quarters → 0.75, five → 5).
    pub value: f64,
    /// `percent`, `fraction`, `count`, `USD`, …
    pub unit: String,
    /// What the number is about (`Donetsk`, `regions`).
    pub subject: Option<String>,
    /// `about`, `approximately`, `more than`, …
    pub qualifier: Option<String>,
    #[serde(flatten)]
    pub span: Span,
}
