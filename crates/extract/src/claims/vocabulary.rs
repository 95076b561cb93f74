//! The words of claims: number, scale, fraction and currency words, hedges, periods, and the
//! words that end or label a phrase.

/// Lowercase form of a short ASCII word (empty for any other word), without allocating: the
/// word itself when it has no capital (most words), else a copy in a stack buffer.
pub(super) enum Lower<'a> {
    Same(&'a str),
    Copy { buf: [u8; 24], len: usize },
}

impl<'a> Lower<'a> {
    pub(super) fn of(word: &'a str) -> Lower<'a> {
        if word.len() > 24 || !word.is_ascii() {
            return Lower::Same("");
        }
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Lower::Same(word);
        }
        let mut buf = [0; 24];
        for (i, b) in word.bytes().enumerate() {
            buf[i] = b.to_ascii_lowercase();
        }
        Lower::Copy {
            buf,
            len: word.len(),
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            Lower::Same(w) => w,
            Lower::Copy { buf, len } => std::str::from_utf8(&buf[..*len]).unwrap_or(""),
        }
    }
}

pub(super) fn small_number(w: &str) -> Option<f64> {
    Some(match w {
        "zero" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "dozen" => 12.0,
        _ => return None,
    })
}

pub(super) fn scale_word(w: &str) -> Option<f64> {
    Some(match w {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "million" | "m" | "mn" | "mln" => 1e6,
        "billion" | "bn" | "b" => 1e9,
        "trillion" | "tn" | "trn" => 1e12,
        _ => return None,
    })
}

/// Denominator of a fraction word: third → 3, quarters → 4, half → 2.
pub(super) fn denominator(w: &str) -> Option<f64> {
    Some(match w {
        "half" | "halves" => 2.0,
        "third" | "thirds" => 3.0,
        "quarter" | "quarters" | "fourth" | "fourths" => 4.0,
        "fifth" | "fifths" => 5.0,
        "sixth" | "sixths" => 6.0,
        "seventh" | "sevenths" => 7.0,
        "eighth" | "eighths" => 8.0,
        "ninth" | "ninths" => 9.0,
        "tenth" | "tenths" => 10.0,
        _ => return None,
    })
}

pub(super) fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollar" | "dollars" => "USD",
        "euro" | "euros" => "EUR",
        "pound" | "pounds" | "sterling" => "GBP",
        "ruble" | "rubles" | "rouble" | "roubles" => "RUB",
        "hryvnia" | "hryvnias" | "hryvnias'" => "UAH",
        "yuan" | "renminbi" => "CNY",
        "yen" => "JPY",
        "rupee" | "rupees" => "INR",
        "franc" | "francs" => "CHF",
        _ => return None,
    })
}

pub(super) const QUALIFIERS: &[&str] = &[
    "more than",
    "less than",
    "fewer than",
    "at least",
    "at most",
    "up to",
    "just over",
    "just under",
    "close to",
    "as many as",
    "as much as",
    "as few as",
    "upwards of",
    "well over",
    "an estimated",
    "roughly",
    "about",
    "approximately",
    "around",
    "nearly",
    "almost",
    "some",
    "over",
    "under",
    "estimated",
    "only",
    "just",
    "exactly",
    "precisely",
    "barely",
    "below",
    "above",
    "beyond",
    "maybe",
    "perhaps",
];

pub(super) fn is_period(w: &str) -> bool {
    matches!(
        w,
        "quarter"
            | "year"
            | "month"
            | "week"
            | "day"
            | "period"
            | "decade"
            | "half"
            | "season"
            | "years"
            | "months"
            | "weeks"
            | "days"
    )
}

/// Plurals that do not end in -s.
pub(super) fn irregular_plural(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "children"
            | "men"
            | "women"
            | "police"
            | "staff"
            | "personnel"
            | "cattle"
            | "sheep"
            | "fish"
            | "livestock"
            | "civilians"
            | "feet"
            | "teeth"
            | "mice"
            | "geese"
            | "data"
            | "media"
            | "criteria"
            | "aircraft"
            | "offspring"
            | "clergy"
    )
}

/// Common verbs and adverbs that end a subject noun phrase ("two-thirds of voters now say").
pub(super) fn verbish(w: &str) -> bool {
    matches!(
        w,
        "now"
            | "also"
            | "still"
            | "already"
            | "just"
            | "only"
            | "even"
            | "say"
            | "said"
            | "go"
            | "goes"
            | "went"
            | "live"
            | "lives"
            | "work"
            | "works"
            | "remain"
            | "remains"
            | "support"
            | "supports"
            | "oppose"
            | "opposes"
            | "believe"
            | "believes"
            | "think"
            | "thinks"
            | "want"
            | "wants"
            | "need"
            | "needs"
            | "blame"
            | "blames"
            | "die"
            | "died"
            | "fled"
            | "left"
            | "lost"
            | "won"
            | "hold"
            | "holds"
            | "held"
            | "control"
            | "controls"
            | "under"
            | "over"
            | "about"
            | "between"
            | "among"
            | "them"
            | "us"
            | "you"
            | "it"
            | "familiar"
            | "according"
            | "across"
            | "including"
            | "like"
            | "such"
            | "there"
            | "here"
            | "so"
            | "then"
            | "who"
            | "what"
            | "where"
            | "not"
            | "no"
            | "do"
            | "does"
            | "did"
    )
}

/// Words that end a subject noun phrase.
pub(super) fn stops_phrase(w: &str) -> bool {
    matches!(
        w,
        "of" | "in"
            | "on"
            | "at"
            | "for"
            | "to"
            | "by"
            | "with"
            | "as"
            | "and"
            | "or"
            | "but"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "can"
            | "may"
            | "might"
            | "must"
            | "from"
            | "than"
            | "into"
            | "across"
            | "during"
            | "since"
            | "after"
            | "before"
            | "while"
            | "when"
            | "where"
            | "if"
            | "the"
            | "a"
            | "an"
            | "it"
            | "they"
            | "he"
            | "she"
            | "we"
            | "its"
            | "their"
            | "his"
            | "her"
            | "this"
            | "these"
            | "those"
            | "said"
            | "says"
            | "ago"
            | "more"
            | "less"
            | "per"
            | "each"
            | "a.m"
            | "p.m"
    )
}

/// Capitalized words right before a number that make it a label, not a quantity.
pub(super) fn is_label(w: &str) -> bool {
    matches!(
        w,
        "Article"
            | "No"
            | "Nos"
            | "Vol"
            | "Volume"
            | "Section"
            | "Chapter"
            | "Resolution"
            | "Flight"
            | "Route"
            | "Highway"
            | "Phase"
            | "Level"
            | "Category"
            | "Stage"
            | "Title"
            | "Amendment"
            | "Part"
            | "Room"
            | "Building"
            | "Gate"
            | "Terminal"
            | "Channel"
            | "Page"
            | "Episode"
            | "Season"
            | "Act"
            | "Rule"
            | "Paragraph"
            | "Clause"
            | "Item"
            | "Number"
            | "Block"
            | "Unit"
            | "Grade"
            | "Class"
            | "Type"
            | "Model"
            | "Version"
            | "Figure"
            | "Table"
            | "Apollo"
            | "Windows"
            | "Air"
            | "Force"
            | "Su"
            | "MiG"
            | "F"
    )
}

/// Drops binary floating-point noise (0.07 not 0.07000000000000001).
pub(super) fn tidy(v: f64) -> f64 {
    if v != 0.0 && v.abs() < 1e6 {
        let scale = 10f64.powi(12 - v.abs().log10().ceil() as i32);
        (v * scale).round() / scale
    } else {
        v
    }
}
