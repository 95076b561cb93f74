//! The line rule families: each decides, from one normalized line and where it stands (above,
//! inside or below the story), whether the line is boilerplate, and what it tells.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::sync::{LazyLock, OnceLock};

use chrono::Weekday;
use memchr::memmem::Finder;
use regex::{Captures, Regex};

use crate::dates::{DateParser, Found, MONTH, NUMERIC, WEEKDAY};
use crate::options::CleanOptions;

/// Boilerplate kinds; the name is the `reason` in removed.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Masthead,
    ImageCredit,
    Byline,
    Share,
    Advertisement,
    Related,
    Link,
    Image,
    Breadcrumb,
    Copyright,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Masthead => "masthead",
            Kind::ImageCredit => "image_credit",
            Kind::Byline => "byline",
            Kind::Share => "share",
            Kind::Advertisement => "advertisement",
            Kind::Related => "related",
            Kind::Link => "link",
            Kind::Image => "image",
            Kind::Breadcrumb => "breadcrumb",
            Kind::Copyright => "copyright",
        }
    }
}

/// Where a line stands: above the first prose paragraph, among them, or below the last.
/// Page furniture that could pass for text (a weekday, a name, a list item) is only taken
/// above or below the story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    Head,
    Body,
    Tail,
}

/// What a removed line told.
#[derive(Debug, Default, Clone)]
pub(crate) struct LineMeta {
    pub date: Option<Found>,
    pub weekday: Option<Weekday>,
    pub authors: Vec<String>,
    pub credit: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    /// The date is when the story was updated, not published.
    pub update: bool,
    /// A wire or outlet named alone (`Associated Press` below the story).
    pub outlet: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub kind: Kind,
    pub meta: LineMeta,
}

impl Hit {
    fn new(kind: Kind) -> Self {
        Hit {
            kind,
            meta: LineMeta::default(),
        }
    }
}

/// Lines longer than this are never boilerplate for the built-in rules (a cheap precheck
/// that spares the regexes on nearly every body paragraph).
const MAX_BOILERPLATE_BYTES: usize = 300;

const NOT_NAME_WORDS: &str = include_str!("../../../data/clean/not_name_words.txt");
const PHOTO_AGENCIES: &str = include_str!("../../../data/clean/photo_agencies.txt");

fn list(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[derive(Debug)]
pub(crate) struct Rules {
    pub dates: DateParser,
    enabled: [bool; 10],
    pub lone_name: bool,
    max_name_words: usize,
    max_item_words: usize,
    extra: Vec<(Kind, Regex)>,
    not_name: HashSet<String>,
    masthead_piece: GroupRule,
    masthead_groups: PieceGroups,
    masthead_strong: regex_automata::meta::Regex,
    credit_prefix: Rule,
    credit_by: Rule,
    credit_agency: Rule,
    credit_trailing: Rule,
    byline_by: Rule,
    byline_trailer: Rule,
    share: Rule,
    advertisement: Rule,
    related: Rule,
    link: Rule,
    image: Rule,
    bullet: Rule,
    copyright: Rule,
    tags: Rule,
    role_words: regex_automata::meta::Regex,
}

/// Indices of the named groups of the masthead piece pattern.
#[derive(Debug)]
struct PieceGroups {
    upd: usize,
    time: usize,
    sep: usize,
    vol: usize,
    iss: usize,
}

impl PieceGroups {
    fn of(re: &regex_automata::meta::Regex) -> Self {
        let at = |name: &str| {
            re.group_info()
                .to_index(regex_automata::PatternID::ZERO, name)
                .expect("masthead piece group")
        };
        PieceGroups {
            upd: at("upd"),
            time: at("time"),
            sep: at("sep"),
            vol: at("vol"),
            iss: at("iss"),
        }
    }
}

/// A bad user pattern, named by its option key.
#[derive(Debug, thiserror::Error)]
#[error("clean: option `{option}` has an invalid regex `{pattern}`: {source}")]
pub struct PatternError {
    pub option: String,
    pub pattern: String,
    #[source]
    pub source: regex::Error,
}

/// Which rule families are on, and the user's extra patterns of each, compiled.
#[allow(clippy::type_complexity)]
fn enabled_families(o: &CleanOptions) -> Result<([bool; 10], Vec<(Kind, Regex)>), PatternError> {
    let mut enabled = [false; 10];
    let mut extra = Vec::new();
    let families: [(Kind, &str, bool, &Vec<String>); 10] = [
        (
            Kind::Masthead,
            "masthead",
            o.masthead.enabled,
            &o.masthead.extra_patterns,
        ),
        (
            Kind::ImageCredit,
            "image_credit",
            o.image_credit.enabled,
            &o.image_credit.extra_patterns,
        ),
        (
            Kind::Byline,
            "byline",
            o.byline.enabled,
            &o.byline.extra_patterns,
        ),
        (
            Kind::Share,
            "share",
            o.share.enabled,
            &o.share.extra_patterns,
        ),
        (
            Kind::Advertisement,
            "advertisement",
            o.advertisement.enabled,
            &o.advertisement.extra_patterns,
        ),
        (
            Kind::Related,
            "related",
            o.related.enabled,
            &o.related.extra_patterns,
        ),
        (Kind::Link, "link", o.link.enabled, &o.link.extra_patterns),
        (
            Kind::Image,
            "image",
            o.image.enabled,
            &o.image.extra_patterns,
        ),
        (
            Kind::Breadcrumb,
            "breadcrumb",
            o.breadcrumb.enabled,
            &o.breadcrumb.extra_patterns,
        ),
        (
            Kind::Copyright,
            "copyright",
            o.copyright.enabled,
            &o.copyright.extra_patterns,
        ),
    ];
    for (kind, key, on, patterns) in families {
        if !on {
            continue;
        }
        enabled[kind as usize] = true;
        for p in patterns {
            extra.push((kind, compile(key, p)?));
        }
    }
    Ok((enabled, extra))
}

impl Rules {
    pub(crate) fn new(o: &CleanOptions) -> Result<Self, PatternError> {
        let rule = Rule::new;
        let (enabled, extra) = enabled_families(o)?;
        let agencies: Vec<String> = list(PHOTO_AGENCIES).map(regex::escape).collect();
        let agencies = agencies.join("|");
        let sep = r"[\s,|·•/:;–—\-()\[\].]+";
        // One alternation of masthead pieces: a line is a masthead when it is made of nothing else.
        let masthead_pieces = format!(
            r"
                (?P<wd>(?-u:\b){WEEKDAY}(?-u:\b)\.?)
                | (?P<num>{NUMERIC})
                | (?-u:\b){MONTH}(?-u:\b)\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?(?-u:\b))?(?:,?\s+\d{{4}}(?-u:\b))?
                | (?-u:\b)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?-u:\b)\.?(?:,?\s+\d{{4}}(?-u:\b))?
                | (?-u:\b)(?:vol(?:ume)?\.?|v\.)\s*(?P<vol>\d+|[ivxlcdm]+)(?-u:\b)
                | (?:(?-u:\b)(?:no\.?|nr\.?|number|issue|iss\.|edition\s+no\.?)|\#)\s*(?P<iss>\d+)(?-u:\b)
                | (?-u:\b)(?:(?:late|early|morning|evening|afternoon|final|city|national|international|weekend|sunday|daily|print|digital|online|e-?paper)\s+)?edition(?-u:\b)
                | (?P<upd>(?-u:\b)(?:last\s+|first\s+)?(?:updated|published|posted|modified|printed|issued)(?:\s+(?:on|at))?(?-u:\b))
                | (?P<time>(?-u:\b)\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m(?-u:\b)\.?)?(?:\s*(?:gmt|utc|bst|cet|cest|edt|est|pdt|pst|cdt|cst|et|pt|ist|msk|eet|eest|aest)(?-u:\b))?
                  | (?-u:\b)\d{{1,2}}\s*[ap]\.?m(?-u:\b)\.?)
                | (?-u:\b)page\s+[a-z]?\d+(?-u:\b)
                | (?:(?-u:\b)price\s*:?\s*)?[$£€]\s?\d+(?:[.,]\d{{2}})?
                | (?-u:\b)(?:19|20)\d{{2}}(?-u:\b)
                | (?P<sep>{sep})"
        );
        let masthead_piece = GroupRule::new(&format!("(?xi){masthead_pieces}"));
        Ok(Rules {
            dates: DateParser::new(o.date_order),
            enabled,
            lone_name: o.byline.enabled && o.byline.lone_name,
            max_name_words: o.byline.max_name_words.max(2),
            max_item_words: o.breadcrumb.max_item_words.max(1),
            extra,
            not_name: list(NOT_NAME_WORDS).map(str::to_lowercase).collect(),
            masthead_groups: PieceGroups::of(&masthead_piece.ascii),
            masthead_piece,
            masthead_strong: matcher(&format!(
                r"(?i)(?-u:\b){WEEKDAY}(?-u:\b)|\d|(?-u:\b)edition(?-u:\b)|(?-u:\b){MONTH}(?-u:\b)"
            )),
            credit_prefix: rule(
                r"(?i)^(?:(?:main|top|lead|header|cover|featured|hero|file)\s+)?(?:photo(?:graph)?s?|images?|pictures?|pics?|illustrations?|graphics?|video|footage|credits?|photo\s+credit|image\s+credit|picture\s+credit|image\s+source|photo\s+source|picture\s+source|source\s+of\s+(?:the\s+)?image|thumbnail)(?:\s+(?:from|by|via|courtesy(?:\s+of)?))?\s*[:：|]\s*(?P<credit>\S.*)$",
            ),
            credit_by: rule(
                r"(?i)^(?:photo(?:graph)?|image|picture|illustration|graphic)s?\s+(?:by|courtesy\s+of|courtesy|via|from)\s+(?P<credit>\S.*)$",
            ),
            credit_agency: rule(&format!(
                r"(?i)^[(\[]?(?P<credit>(?:{NAME_CHAR}+\s*/\s*)?(?:{agencies})(?:\s*(?:/|via)\s*{NAME_CHAR}+)?)[)\]]?$"
            )),
            credit_trailing: rule(&format!(
                r"(?i)^.+?(?:[.!?]\s+(?:photo(?:graph)?|image|picture|illustration)\s*:\s*(?P<c1>[^.]+)|\s*[(\[](?:(?:photo(?:graph)?|image|picture|credit)s?\s*[:：]\s*(?P<c2>[^)\]]+)|(?P<c3>[^)\]]*(?:getty images|ap photo|(?:{agencies})\s*/\s*[^)\]]+|[^)\]]+/\s*(?:{agencies}))))[)\]])\.?$"
            )),
            byline_by: rule(
                r"(?i)^(?:(?:by|written\s+by|words\s+by|story\s+by|text\s+by|posted\s+by|contributed\s+by)\s+|(?:author|authors|byline|writer|reporter)\s*:\s*)(?P<rest>\S.+)$",
            ),
            byline_trailer: rule(
                r"(?i)^(?:\(?\s*)(?:additional\s+)?(?:reporting|writing|written|compiled|editing|edited|produced)\s+by\s+\S.+$",
            ),
            share: rule(
                r"(?xi)^(?:
                  (?:share|tweet|pin(?:\s+it)?|e-?mail|print|copy\s+link|copy\s+url|save|comments?|subscribe(?:\s+now)?|sign\s+in|log\s+in|whatsapp|facebook|twitter|x|linkedin|reddit|telegram|flipboard|messenger|bluesky|threads|instagram|pinterest|sms)
                    (?:\s*[|/·•,]?\s*(?:share|tweet|pin|e-?mail|print|copy\s+link|save|comments?|whatsapp|facebook|twitter|x|linkedin|reddit|telegram|flipboard|messenger|bluesky|threads|instagram|pinterest|sms))*
                | share\s+(?:this|on|via|to|with|article|story|post|page|your)(?-u:\b).*
                | (?:follow|like)\s+(?:us|me|@\w+|\S+(?:\s+\S+){0,3}\s+on\s+(?:twitter|x|facebook|instagram|linkedin|threads|bluesky|telegram|tiktok|youtube|google\s+news|mastodon))(?-u:\b).*
                | (?:subscribe|sign\s+up|sign-up|signup|join|register|get)(?-u:\b).*(?-u:\b)(?:newsletters?|updates|alerts|inbox|channel|podcast|free|subscription|subscriber|whatsapp|telegram|briefing|digest|notifications?)(?-u:\b).*
                | (?:click|tap)\s+here(?-u:\b).*
                | (?:leave|post|add|view|show)\s+(?:a\s+|all\s+)?comments?(?:\s+\(\d+\))?
                | type\s+your\s+e-?mail(?-u:\b).*
                | (?:download|get)\s+(?:our|the)\s+(?:free\s+)?app(?-u:\b).*
                )[\s.!:>»›]*$",
            ),
            advertisement: rule(
                r"(?xi)^[\s\-–—_*\[(|·•]*(?:
                  (?:advertisement|advertising|advert|ads?|ad\s+feedback|sponsored(?:\s+(?:content|post|links?|stories|by\s+[^.,;]+))?|paid\s+(?:content|post|partnership)|promoted(?:\s+content)?|partner\s+content
                  |(?:story|article|text)\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?(?:advertisement|ad|video))?
                  |continue\s+reading(?:\s+(?:below|the\s+main\s+story))?
                  |scroll\s+(?:down\s+)?to\s+continue(?:\s+(?:reading|with\s+content))?
                  |skip\s+advert(?:isement)?|remove\s+ads?)
                  [\s\-–—_*\])|·•.:]*)+$",
            ),
            related: rule(
                r"(?xi)^(?:
                  (?:read\s+more|read\s+also|also\s+read|more\s+reading|see\s+also|related|related\s+(?:articles?|stories|content|coverage|news|reading|topics|links|posts)|more\s+on\s+this(?:\s+story)?|more\s+from\s+\S+(?:\s+\S+)?|more\s+(?:stories|news)|recommended(?:\s+(?:stories|articles|reading|for\s+you))?|you\s+(?:may|might)\s+also\s+(?:like|be\s+interested\s+in)|most\s+(?:read|popular|viewed)|top\s+stories|trending(?:\s+now)?|what\s+to\s+read\s+next|further\s+reading|must\s+read|don[’']?t\s+miss|editor[’']?s\s+picks?)
                    (?:\s*[:»›>|–—-]\s*.*)?
                | (?:watch|listen|video|explainer|podcast|photos|gallery|in\s+pictures)\s*:\s*.+
                )$",
            ),
            link: rule(
                r"(?xi)^(?:(?:source|via|link|url|originally\s+published\s+(?:at|on)|read\s+the\s+full\s+(?:story|article)\s+(?:at|on))\s*:?\s*)?
                  (?:<?(?:https?://|www\.)\S+>?|\[[^\]]*\]\((?:https?://|/|www\.)[^)\s]*\)|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|co\.uk|gov|edu|io|info|news)/\S*)$",
            ),
            image: rule(
                r"(?xi)^(?:!\[[^\]]*\](?:\([^)]*\))?.*
                | <img(?-u:\b)[^>]*>?
                | \[(?:image|photo|picture|graphic|video|embed|gallery|chart|map|infographic|media|caption)(?-u:\b)[^\]]*\]
                | (?:image|photo|picture|slide)\s+\d+\s+(?:of|/)\s+\d+
                | \{\{?\s*(?:image|photo|img)[^}]*\}\}?
                )$",
            ),
            bullet: rule(r"^(?:[-*•·▪►▸–]|\d{1,2}[.)])\s+(?P<item>\S.*)$"),
            copyright: rule(
                r"(?xi)^(?:
                  (?:©|\(c\)|copyright\s*(?:©|\(c\))|copyright)\s*(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?[\s,]*[^.]{0,80}?\.?
                | (?:©|\(c\)|copyright\s*(?:©|\(c\)))\s*[^.]{0,80}?\.?
                | all\s+rights\s+reserved\.?
                | this\s+(?:material|article|story|content)\s+may\s+not\s+be\s+(?:published|reproduced|copied)(?:,?\s+(?:or\s+)?(?:broadcast|rewritten|redistributed|distributed|republished|used))*(?:\s+without\s+(?:prior\s+)?(?:written\s+)?permission)?\.?
                )(?:\s+(?:all\s+rights\s+reserved\.?|this\s+(?:material|article|story|content)\s+may\s+not\s+be\s+(?:published|reproduced|copied)(?:,?\s+(?:or\s+)?(?:broadcast|rewritten|redistributed|distributed|republished|used))*(?:\s+without\s+(?:prior\s+)?(?:written\s+)?permission)?\.?))*$",
            ),
            tags: rule(
                r"(?i)^(?:tags?|topics?|categories|category|filed\s+under|more\s+about|related\s+topics|keywords)\s*:\s*(?P<items>\S.*)$",
            ),
            role_words: matcher(
                r"(?i)(?-u:\b)(?:writer|reporter|correspondent|editor|columnist|contributor|staff|chief|analyst|producer|journalist|bureau|desk|news|press|agency|reuters|associated|afp|bbc|cnn|times|post|guardian|journal|herald|tribune|daily|weekly|magazine|online|media|network|wire)(?-u:\b)",
            ),
        })
    }

    pub(crate) fn on(&self, kind: Kind) -> bool {
        self.enabled[kind as usize]
    }

    /// The line rules, in order of how sure they are. `line` is trimmed and normalized.
    pub(crate) fn classify(&self, line: &str, zone: Zone) -> Option<Hit> {
        if line.is_empty() {
            return None;
        }
        if let Some(hit) = self.extra(line) {
            return Some(hit);
        }
        if line.len() > MAX_BOILERPLATE_BYTES {
            return None;
        }
        let edge = zone != Zone::Body;
        let f = byte_flags(line);
        let seen = Seen::new(line);
        if f & F_HIGH == 0 {
            // All ASCII: no digit or space beyond it, known without a second pass.
            let _ = seen.unicode.set(false);
        }
        let first = line.as_bytes()[0];
        if self.on(Kind::Image)
            && matches!(
                first,
                b'!' | b'<' | b'[' | b'{' | b'I' | b'i' | b'P' | b'p' | b'S' | b's'
            )
            && self.image.form(seen.unicode()).is_match(line)
        {
            return Some(Hit::new(Kind::Image));
        }
        let has_all = |flags: u16| f & flags == flags;
        let linkish = (has_all(F_COLON) && has(line, &URL_SCHEME))
            || (has_all(F_W | F_DOT) && has(line, &WWW))
            || (!has_all(F_SPACE) && has_all(F_DOT | F_SLASH));
        if self.on(Kind::Link) && linkish && self.link.form(seen.unicode()).is_match(line) {
            return Some(Hit::new(Kind::Link));
        }
        if self.on(Kind::Advertisement)
            && starts_like(line, AD_SKIP, AD_STARTS)
            && self.advertisement.form(seen.unicode()).is_match(line)
        {
            return Some(Hit::new(Kind::Advertisement));
        }
        // A bare agency name (`Reuters`, `Associated Press`) above or below the story names
        // the wire the story came from; inside it, it sits under a picture.
        if edge && self.on(Kind::Byline) && self.bare_agency(line, f, &seen) {
            let mut hit = Hit::new(Kind::Byline);
            hit.meta.outlet = Some(line.to_string());
            return Some(hit);
        }
        if self.on(Kind::ImageCredit) {
            if let Some(credit) = self.credit(line, f, &seen) {
                let mut hit = Hit::new(Kind::ImageCredit);
                hit.meta.credit = Some(credit);
                return Some(hit);
            }
        }
        if self.on(Kind::Byline) {
            if let Some(hit) = self.byline(line, edge, f, &seen) {
                return Some(hit);
            }
        }
        // A prompt is not a sentence: `Share the burden, she said.` stays.
        let sentence =
            has_all(F_COMMA | F_SPACE) && has(line, &COMMA_SPACE) && ends_with_stop(line);
        if self.on(Kind::Share)
            && !sentence
            && share_possible(line)
            && words_up_to(line, 21) <= 20
            && self.share.form(seen.unicode()).is_match(line)
        {
            return Some(Hit::new(Kind::Share));
        }
        if self.on(Kind::Related)
            && starts_like(line, b"", RELATED_STARTS)
            && self.related.form(seen.unicode()).is_match(line)
        {
            return Some(Hit::new(Kind::Related));
        }
        if edge && self.on(Kind::Masthead) {
            if let Some(hit) = self.masthead(line, &seen) {
                return Some(hit);
            }
        }
        if edge && self.on(Kind::Breadcrumb) && self.breadcrumb(line, &seen) {
            return Some(Hit::new(Kind::Breadcrumb));
        }
        // `© 2025 …` / `Copyright 2025 …` say what they are anywhere; `All rights reserved`
        // alone only above or below the story.
        let marked = line.starts_with('©')
            || line.starts_with("(c)")
            || line
                .get(..9)
                .is_some_and(|p| p.eq_ignore_ascii_case("copyright"));
        if (edge || marked)
            && self.on(Kind::Copyright)
            && self.copyright.form(seen.unicode()).is_match(line)
        {
            return Some(Hit::new(Kind::Copyright));
        }
        None
    }

    pub(crate) fn has_extra(&self) -> bool {
        !self.extra.is_empty()
    }

    /// The user's patterns, which apply anywhere and to lines of any length.
    pub(crate) fn extra(&self, line: &str) -> Option<Hit> {
        for (kind, re) in &self.extra {
            if let Some(c) = re.captures(line) {
                return Some(self.extra_hit(*kind, line, &c));
            }
        }
        None
    }

    fn extra_hit(&self, kind: Kind, line: &str, c: &Captures) -> Hit {
        let mut hit = Hit::new(kind);
        let group = |name: &str| c.name(name).map(|m| m.as_str().trim().to_string());
        hit.meta.volume = group("volume");
        hit.meta.issue = group("issue");
        hit.meta.credit = group("credit");
        if let Some(a) = group("author") {
            hit.meta.authors = self.names(&a).unwrap_or_else(|| vec![a]);
        }
        // Only lines that carry dates by nature (or a pattern that says where the date is)
        // may set the published date: a share prompt mentioning a day must not.
        hit.meta.date = match group("date") {
            Some(d) => self.dates.find(&d),
            None if matches!(kind, Kind::Masthead | Kind::Byline) => self.dates.find(line),
            None => None,
        };
        if kind == Kind::Masthead {
            hit.meta.weekday = self.dates.weekday(line);
        }
        hit
    }

    /// A line made only of weekday, date, volume, issue, edition and time pieces.
    fn masthead(&self, line: &str, seen: &Seen) -> Option<Hit> {
        // No whole-line pattern `^(?:pieces)+$` tests the line first: pieces that tile the
        // line one after another are a match of it, so it could only say no earlier, for
        // the few lines that pass `masthead_strong` and are no masthead, and it cost as much
        // to build as any two other rules.
        if line.len() > 150 || !self.masthead_strong.is_match(line) {
            return None;
        }
        let mut hit = Hit::new(Kind::Masthead);
        let mut covered = 0;
        let mut strong = false;
        let mut updated = false;
        let mut time = false;
        // One set of capture slots for all pieces, groups read by index: no piece matches
        // the empty string, so each search from the end of the last piece is the next step
        // of `captures_iter`.
        let g = &self.masthead_groups;
        let unicode = seen.unicode();
        let pieces = self.masthead_piece.form(unicode);
        let mut caps = pieces.create_captures();
        while covered < line.len() {
            // Every piece but the separator starts with a letter, digit, `#` or currency
            // sign, so a separator character starts a separator piece, which runs as far as
            // they do: read by hand, it spares a capture search for every other piece.
            if !unicode {
                let run = separator_run(&line[covered..]);
                if run > 0 {
                    covered += run;
                    continue;
                }
            }
            // What `Regex::captures_read_at` does.
            pieces.search_captures(
                &regex_automata::Input::new(line).span(covered..line.len()),
                &mut caps,
            );
            let Some(m) = caps.get_match() else {
                break;
            };
            if m.start() != covered {
                return None;
            }
            covered = m.end();
            let upd = caps.get_group(g.upd).is_some();
            let tm = caps.get_group(g.time).is_some();
            updated |= upd;
            time |= tm;
            // A clock time alone is a live blog's entry stamp, not a masthead.
            strong |= !upd && caps.get_group(g.sep).is_none() && !tm;
            if let Some(vol) = caps.get_group(g.vol) {
                hit.meta
                    .volume
                    .get_or_insert_with(|| line[vol.range()].to_string());
            }
            if let Some(iss) = caps.get_group(g.iss) {
                hit.meta
                    .issue
                    .get_or_insert_with(|| line[iss.range()].to_string());
            }
        }
        if covered != line.len() || !(strong || updated && time) {
            return None;
        }
        hit.meta.date = self.dates.find(line);
        hit.meta.weekday = self.dates.weekday(line);
        hit.meta.update = contains_ascii_ignore_case(line, b"updated")
            || contains_ascii_ignore_case(line, b"modified");
        Some(hit)
    }

    /// A line that is only an agency's name, with nothing that makes it a picture credit.
    fn bare_agency(&self, line: &str, f: u16, seen: &Seen) -> bool {
        // `F_NOT_AGENCY`: a byte `credit_agency` never matches.
        if line.len() > 40 || line.starts_with(['(', '[']) || f & (F_SLASH | F_NOT_AGENCY) != 0 {
            return false;
        }
        let words = [
            "photo",
            "getty",
            "image",
            "pool",
            "shutterstock",
            "alamy",
            "unsplash",
            "istock",
            "pa ",
        ];
        // An ASCII line lower-cases byte by byte: searched in place, with no lower-cased copy.
        let picture = if f & F_HIGH == 0 {
            words
                .iter()
                .any(|k| contains_ascii_ignore_case(line, k.as_bytes()))
        } else {
            let lower = line.to_lowercase();
            words.iter().any(|k| lower.contains(k))
        };
        !picture && self.credit_agency.form(seen.unicode()).is_match(line)
    }

    /// The credit, when the line is an image credit (or a caption ending in one).
    fn credit(&self, line: &str, f: u16, seen: &Seen) -> Option<String> {
        // `：` is the only character of the prefix rule's separators that is not ASCII; its
        // first byte stands for it.
        let prefix =
            f & (F_COLON | F_PIPE | F_EF) != 0 && starts_like(line, b"", CREDIT_PREFIX_STARTS);
        let c = if prefix && self.credit_prefix.form(seen.unicode()).is_match(line) {
            self.credit_prefix.form(seen.unicode()).captures(line)?
        } else if starts_like(line, b"", CREDIT_BY_STARTS)
            && self.credit_by.form(seen.unicode()).is_match(line)
        {
            self.credit_by.form(seen.unicode()).captures(line)?
        } else if line.len() <= 90
            && f & F_NOT_AGENCY == 0
            && self.credit_agency.form(seen.unicode()).is_match(line)
        {
            self.credit_agency.form(seen.unicode()).captures(line)?
        } else if self.caption_credit_possible(line, f)
            && self.credit_trailing.form(seen.unicode()).is_match(line)
        {
            self.credit_trailing.form(seen.unicode()).captures(line)?
        } else {
            return None;
        };
        let credit = ["credit", "c1", "c2", "c3"]
            .iter()
            .find_map(|g| c.name(g))?
            .as_str()
            .trim()
            .trim_end_matches([')', ']', '.'])
            .trim();
        // A credit is a name or two, never a sentence ("Picture this: a summit where…").
        if credit.is_empty()
            || words(credit) > 8
            || credit.contains(". ")
            || credit.ends_with(['!', '?'])
        {
            return None;
        }
        Some(credit.to_string())
    }

    /// Cheap gate for the caption rule, which would otherwise scan every line: the credit is
    /// bracketed at the end, or follows `Photograph:` near the end.
    fn caption_credit_possible(&self, line: &str, f: u16) -> bool {
        if line.ends_with([')', ']']) || line.ends_with(").") || line.ends_with("].") {
            return true;
        }
        let mut from = line.len().saturating_sub(80);
        while !line.is_char_boundary(from) {
            from += 1;
        }
        let tail = &line[from..];
        if f & F_COLON == 0 || !has_byte(tail, b':') {
            return false;
        }
        ["hotograph:", "hoto:", "mage:", "icture:", "llustration:"]
            .iter()
            .any(|k| tail.contains(k))
    }

    /// `By Jane Doe`, `Jane Doe | Reuters`, `Reporting by …; Editing by …`, and at the edges
    /// of the story `Jane Doe, Political Correspondent`.
    fn byline(&self, line: &str, edge: bool, f: u16, seen: &Seen) -> Option<Hit> {
        let mut hit = Hit::new(Kind::Byline);
        let lower_first = line.as_bytes()[0].to_ascii_lowercase();
        if matches!(lower_first, b'r' | b'w' | b'c' | b'e' | b'p' | b'a' | b'(')
            && self.byline_trailer.form(seen.unicode()).is_match(line)
        {
            // Reuters-style trailer: authors are who reported and wrote, not who edited.
            for part in line.trim_matches(['(', ')', '.']).split(';') {
                let p = part.trim();
                let lower = p.to_lowercase();
                if let Some(at) = lower.find(" by ") {
                    let role = &lower[..at];
                    if role.contains("report") || role.contains("writ") {
                        hit.meta
                            .authors
                            .extend(self.names(p[at + 4..].trim()).unwrap_or_default());
                    }
                }
            }
            return Some(hit);
        }
        if let Some(c) = (starts_like(line, b"", BYLINE_BY_STARTS)
            && self.byline_by.form(seen.unicode()).is_match(line))
        .then(|| self.byline_by.form(seen.unicode()).captures(line))
        .flatten()
        {
            let rest = c.name("rest")?.as_str();
            let (names, date) = self.byline_rest(rest)?;
            hit.meta.authors = names;
            hit.meta.date = date;
            return Some(hit);
        }
        if f & F_PIPE != 0 {
            let mut parts = line.split('|').map(str::trim);
            let names = self.names(parts.next()?)?;
            let rest: Vec<&str> = parts.collect();
            if rest
                .iter()
                .all(|p| self.is_affiliation(p) || self.dates.find(p).is_some())
            {
                hit.meta.authors = names;
                hit.meta.date = rest.iter().find_map(|p| self.dates.find(p));
                return Some(hit);
            }
            return None;
        }
        if edge && self.lone_name {
            // `Jane Doe, Reuters` / `Jane Doe - Staff Writer` at the edges of the story.
            if let Some(at) = line.find([',', '–', '—']).or_else(|| line.find(" - ")) {
                let (name, rest) = line.split_at(at);
                let rest = rest.trim_start_matches([',', '–', '—', ' ', '-']);
                if let Some(names) = self.names(name) {
                    if names.len() == 1
                        && self.is_affiliation(rest)
                        && self.role_words.is_match(rest)
                    {
                        hit.meta.authors = names;
                        return Some(hit);
                    }
                }
            }
        }
        None
    }

    /// After `By`: names, then perhaps an outlet, a role, a date.
    fn byline_rest(&self, rest: &str) -> Option<(Vec<String>, Option<Found>)> {
        let date = self.dates.find(rest);
        let mut head = rest;
        if let Some(d) = &date {
            if let Some(at) = rest.find(&d.text) {
                head = rest[..at].trim_end_matches([' ', ',', '|', '-', '–', '—', '·']);
                head = head.strip_suffix(" on").unwrap_or(head).trim_end();
            }
        }
        let cut = head
            .find(['|', '–', '—', '·', ';', '('])
            .or_else(|| head.find(" - "))
            .or_else(|| head.find(" for "))
            .or_else(|| head.find(" in "))
            .unwrap_or(head.len());
        let (names_part, tail) = head.split_at(cut);
        let tail = tail
            .trim_start_matches(['|', '–', '—', '·', ';', '(', ' ', '-'])
            .trim_end_matches(')');
        if !tail.is_empty()
            && !self.is_affiliation(tail.trim_start_matches("for ").trim_start_matches("in "))
        {
            return None;
        }
        // `By Jane Doe, Reuters` / `By Jane Doe, Political Editor`: the first comma part
        // decides; trailing comma parts must be outlets or roles.
        let mut parts = names_part
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let first = parts.next()?;
        let mut names = Vec::new();
        match self.names(first) {
            Some(n) => names.extend(n),
            None if self.is_affiliation(first) && self.role_words.is_match(first) => {
                // `By Reuters Staff`, `By The Associated Press`: an agency byline.
                return Some((Vec::new(), date));
            }
            None => return None,
        }
        for p in parts {
            if let Some(n) = self.names(p) {
                names.extend(n);
            } else if !self.is_affiliation(p) {
                return None;
            }
        }
        Some((names, date))
    }

    /// One or more person names joined by `and` / `&` / `,`.
    pub(crate) fn names(&self, s: &str) -> Option<Vec<String>> {
        let s = s.trim().trim_end_matches([',', ';', ':']).trim();
        let mut out = Vec::new();
        for part in s
            .split(" and ")
            .flat_map(|p| p.split(" & "))
            .flat_map(|p| p.split(", "))
        {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            out.push(self.name_before_affiliation(part)?);
        }
        (!out.is_empty()).then_some(out)
    }

    /// `DAVID ACHTERBERG Associated Press`: a name, then the outlet without a comma.
    fn name_before_affiliation(&self, s: &str) -> Option<String> {
        let tokens: Vec<&str> = s.split_whitespace().collect();
        for k in 2..tokens.len() {
            let rest = tokens[k..].join(" ");
            if self.role_words.is_match(&rest) && self.is_affiliation(&rest) {
                if let Some(name) = self.person_name(&tokens[..k].join(" ")) {
                    return Some(name);
                }
            }
        }
        self.person_name(s)
    }

    /// A person's name by its shape: 2 to `max_name_words` capitalized words (particles like
    /// `de`, `van` allowed), none of them a common English word.
    pub(crate) fn person_name(&self, s: &str) -> Option<String> {
        let s = s.trim();
        if s.len() > 50 || s.is_empty() {
            return None;
        }
        let mut main = 0;
        let mut tokens = Vec::new();
        for tok in s.split_whitespace() {
            let bare = tok.trim_end_matches('.');
            let lower = bare.to_lowercase();
            if matches!(
                lower.as_str(),
                "de" | "da"
                    | "di"
                    | "del"
                    | "della"
                    | "van"
                    | "von"
                    | "der"
                    | "den"
                    | "le"
                    | "la"
                    | "du"
                    | "bin"
                    | "ibn"
                    | "al"
                    | "el"
                    | "ter"
                    | "dos"
                    | "das"
                    | "y"
            ) && main > 0
            {
                tokens.push(tok.to_string());
                continue;
            }
            if matches!(lower.as_str(), "jr" | "sr" | "ii" | "iii" | "iv") && main >= 2 {
                tokens.push(tok.to_string());
                continue;
            }
            let first = bare.chars().next()?;
            if bare.ends_with("’s") || bare.ends_with("'s") {
                return None;
            }
            if !first.is_uppercase() {
                return None;
            }
            let initial = bare.chars().count() <= 2 && tok.ends_with('.');
            if !initial {
                if tok.ends_with('.') && bare.chars().count() > 2 {
                    return None;
                }
                if !bare
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
                {
                    return None;
                }
                if bare.chars().filter(|c| c.is_alphabetic()).count() < 2 {
                    return None;
                }
                if self.not_name.contains(lower.as_str()) {
                    return None;
                }
            }
            main += 1;
            tokens.push(tok.to_string());
        }
        if main < 2 || main > self.max_name_words {
            return None;
        }
        let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
        let shouting = letters.iter().all(|c| c.is_uppercase());
        if shouting {
            // `By JANE DOE`: give the name in its usual case.
            return Some(
                tokens
                    .iter()
                    .map(|t| title_case(t))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        Some(tokens.join(" "))
    }

    /// An outlet, desk or role after a name: a few capitalized words, no sentence.
    fn is_affiliation(&self, s: &str) -> bool {
        let s = s.trim();
        if s.is_empty()
            || s.len() > 60
            || s.ends_with(['.', '!', '?', ':']) && !s.ends_with(" Inc.")
        {
            return false;
        }
        let ws: Vec<&str> = s.split_whitespace().collect();
        ws.len() <= 6
            && ws.iter().all(|w| {
                let c = w.chars().next().unwrap_or('a');
                c.is_uppercase()
                    || c.is_ascii_digit()
                    || c == '@'
                    || matches!(*w, "of" | "for" | "the" | "at" | "and" | "in" | "on" | "&")
            })
    }

    /// `- Category` items and `Home > World > Europe` trails.
    fn breadcrumb(&self, line: &str, seen: &Seen) -> bool {
        let short = |item: &str| {
            let item = item.trim();
            let n = words(item);
            n >= 1
                && n <= self.max_item_words
                && item
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                && !item.ends_with(['.', '!', '?', ',', ';', ':', '”', '"'])
        };
        if let Some(c) = self.bullet.form(seen.unicode()).captures(line) {
            return short(&c["item"]);
        }
        if let Some(c) = self.tags.form(seen.unicode()).captures(line) {
            return c["items"].split([',', ';', '|', '·', '•']).all(&short);
        }
        // A trail needs a spaced separator (`News > World`), so `AP Photo/Evan Vucci` or
        // `24/7` never qualify.
        let spaced = [" > ", " › ", " » ", " → ", " / ", " | "]
            .iter()
            .any(|sep| line.contains(sep));
        spaced && line.split(['>', '›', '»', '→', '/', '|']).all(short)
    }
}

/// A built-in rule, built with ASCII `\d` and `\s` ([`ascii_digits_and_spaces`]), and as
/// written only when a line with another digit or space first needs it (normalized lines
/// have no other spaces; other digits are rare). Building is most of the stage's start-up.
#[derive(Debug)]
pub(crate) struct Rule {
    ascii: Regex,
    unicode: OnceLock<Regex>,
    pattern: String,
}

impl Rule {
    pub(crate) fn new(pattern: &str) -> Rule {
        Rule {
            ascii: Regex::new(&ascii_digits_and_spaces(pattern)).expect("built-in clean pattern"),
            unicode: OnceLock::new(),
            pattern: pattern.to_string(),
        }
    }

    /// The form of the rule that matches `line` as the rule as written does.
    pub(crate) fn for_line(&self, line: &str) -> &Regex {
        self.form(has_unicode_digit_or_space(line))
    }

    /// The form of the rule for a line that has (`unicode`) or has not a digit or space
    /// beyond ASCII.
    fn form(&self, unicode: bool) -> &Regex {
        if unicode {
            self.unicode
                .get_or_init(|| Regex::new(&self.pattern).expect("built-in clean pattern"))
        } else {
            &self.ascii
        }
    }
}

/// A built-in rule whose groups are read, in the two forms of a [`Rule`], built as a
/// [`matcher`] is: for these case-folded alternations of month and weekday names, extracting
/// the literals for a prefilter was most of the build, and the lines they search are short.
#[derive(Debug)]
pub(crate) struct GroupRule {
    ascii: regex_automata::meta::Regex,
    unicode: OnceLock<regex_automata::meta::Regex>,
    pattern: String,
}

impl GroupRule {
    pub(crate) fn new(pattern: &str) -> GroupRule {
        GroupRule {
            ascii: matcher(&ascii_digits_and_spaces(pattern)),
            unicode: OnceLock::new(),
            pattern: pattern.to_string(),
        }
    }

    /// The form of the rule that matches `line` as the rule as written does.
    pub(crate) fn for_line(&self, line: &str) -> &regex_automata::meta::Regex {
        self.form(has_unicode_digit_or_space(line))
    }

    /// As [`Rule::form`].
    fn form(&self, unicode: bool) -> &regex_automata::meta::Regex {
        if unicode {
            self.unicode.get_or_init(|| matcher(&self.pattern))
        } else {
            &self.ascii
        }
    }
}

/// A line in `classify`, asked once whether it has a digit or space beyond ASCII, and only
/// when a rule is about to run.
struct Seen<'a> {
    line: &'a str,
    unicode: OnceCell<bool>,
}

impl<'a> Seen<'a> {
    fn new(line: &'a str) -> Self {
        Seen {
            line,
            unicode: OnceCell::new(),
        }
    }

    fn unicode(&self) -> bool {
        *self
            .unicode
            .get_or_init(|| has_unicode_digit_or_space(self.line))
    }
}

/// `pattern` with `\d` and `\s` as ASCII classes. Unicode's classes hold hundreds of ranges
/// that every use in a pattern compiles again; on a line whose digits and spaces are all
/// ASCII (see [`has_unicode_digit_or_space`]) both forms match alike.
fn ascii_digits_and_spaces(pattern: &str) -> String {
    pattern
        .replace(r"\d", "[0-9]")
        .replace(r"\s", r"[\t\n\x0B\x0C\r\x20]")
}

/// Whether `line` has a digit or white space beyond ASCII, where Unicode's `\d` and `\s`
/// differ from [`ascii_digits_and_spaces`]. (`is_numeric` holds every decimal digit.) Asked
/// before every rule a line meets, so ASCII is skipped eight bytes at a time and the
/// typographic quotes and dashes, the common characters beyond it, are passed over.
pub(crate) fn has_unicode_digit_or_space(line: &str) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            if u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) & HIGH == 0 {
                i += 8;
                continue;
            }
        }
        if b[i] < 0x80 {
            i += 1;
            continue;
        }
        let c = line[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if !('\u{2010}'..='\u{2027}').contains(&c) && (c.is_numeric() || c.is_whitespace()) {
            return true;
        }
    }
    false
}

/// Length of the run of the masthead piece pattern's separator class
/// (`[\s,|·•/:;–—\-()\[\].]`, `\s` as ASCII) that starts `s`.
fn separator_run(s: &str) -> usize {
    let mut n = 0;
    for c in s.chars() {
        if !matches!(
            c,
            '\t' | '\n'
                | '\x0B'
                | '\x0C'
                | '\r'
                | ' '
                | ','
                | '|'
                | '·'
                | '•'
                | '/'
                | ':'
                | ';'
                | '–'
                | '—'
                | '-'
                | '('
                | ')'
                | '['
                | ']'
                | '.'
        ) {
            break;
        }
        n += c.len_utf8();
    }
    n
}

/// A character of the names around an agency in a credit (`Jane Doe / AFP`): a letter, `.`,
/// `'`, `’`, space or `-`. `(?i)[\p{L}.'’ -]` as it was written is this class (case folding
/// adds only U+0345, which folds to a Greek letter); stated exactly, it spares the folding
/// of every letter range, half of what the credit rule cost to build.
const NAME_CHAR: &str = r"(?-i:[\p{L}\u{345}.'’ -])";

/// A built-in pattern only ever asked whether or where it matches (no groups), built without
/// the literal prefilter: for these case-insensitive word lists, extracting the literals was
/// most of the build (two-thirds of `role_words`), and the lines they test are short.
pub(crate) fn matcher(pattern: &str) -> regex_automata::meta::Regex {
    regex_automata::meta::Regex::builder()
        .configure(regex_automata::meta::Config::new().auto_prefilter(false))
        .build(pattern)
        .expect("built-in clean pattern")
}

fn compile(key: &str, pattern: &str) -> Result<Regex, PatternError> {
    Regex::new(pattern).map_err(|source| PatternError {
        option: format!("{key}.extra_patterns"),
        pattern: pattern.to_string(),
        source,
    })
}

// Every line up to 300 bytes is searched for these; the `memchr` crate's prebuilt searchers
// cost a fraction of `str::contains`, which sets up a new search each call.
static URL_SCHEME: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("://"));
static WWW: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("www."));
static COMMA_SPACE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(", "));

fn has(line: &str, needle: &Finder) -> bool {
    needle.find(line.as_bytes()).is_some()
}

/// Whether `line.to_ascii_lowercase()` contains `needle` (lower-case ASCII).
fn contains_ascii_ignore_case(line: &str, needle: &[u8]) -> bool {
    line.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn has_byte(line: &str, byte: u8) -> bool {
    memchr::memchr(byte, line.as_bytes()).is_some()
}

fn ends_with_stop(s: &str) -> bool {
    s.trim_end_matches(['”', '"', '’', '\'', ')'])
        .ends_with('.')
}

/// Number of space-separated words (lines are normalized: only ASCII spaces remain, but tabs
/// and newlines are counted as breaks too).
pub(crate) fn words(s: &str) -> usize {
    words_up_to(s, usize::MAX)
}

/// [`words`], but counting stops once `limit` is reached: `words_up_to(s, 9) >= 8` reads
/// only as far as the eighth word.
pub(crate) fn words_up_to(s: &str, limit: usize) -> usize {
    let mut n = 0;
    let mut after_break = true;
    for &b in s.as_bytes() {
        let brk = is_break(b);
        if !brk && after_break {
            n += 1;
            if n >= limit {
                return n;
            }
        }
        after_break = brk;
    }
    n
}

// First letters of the anchored rules, tested before the rules themselves: nearly every line
// of an article starts with a pair no rule starts with, and the test costs a fraction of
// even a failing regex search. Each list is every alternative's first two letters.

/// ASCII bytes of the leading class the advertisement rule skips (`\s`, `-`, `_`, `*`, `[`,
/// `(`, `|`; its other members are not ASCII).
const AD_SKIP: &[u8] = b" \t\n\x0b\x0c\r-_*[(|";
const AD_STARTS: &[[u8; 2]] = &[
    *b"ad", *b"sp", *b"pa", *b"pr", *b"st", *b"ar", *b"te", *b"co", *b"sc", *b"sk", *b"re",
];
const RELATED_STARTS: &[[u8; 2]] = &[
    *b"re", *b"al", *b"mo", *b"se", *b"yo", *b"to", *b"tr", *b"wh", *b"fu", *b"mu", *b"do", *b"ed",
    *b"wa", *b"li", *b"vi", *b"ex", *b"po", *b"ph", *b"ga", *b"in",
];
const SHARE_STARTS: &[[u8; 2]] = &[
    *b"sh", *b"tw", *b"pi", *b"em", *b"e-", *b"pr", *b"co", *b"sa", *b"su", *b"si", *b"lo", *b"wh",
    *b"fa", *b"li", *b"re", *b"te", *b"fl", *b"me", *b"bl", *b"in", *b"sm", *b"fo", *b"jo", *b"ge",
    *b"cl", *b"ta", *b"le", *b"po", *b"ad", *b"vi", *b"ty", *b"do",
];
const CREDIT_PREFIX_STARTS: &[[u8; 2]] = &[
    *b"ma", *b"to", *b"le", *b"he", *b"co", *b"fe", *b"fi", *b"ph", *b"im", *b"pi", *b"il", *b"gr",
    *b"vi", *b"fo", *b"cr", *b"so", *b"th",
];
const CREDIT_BY_STARTS: &[[u8; 2]] = &[*b"ph", *b"im", *b"pi", *b"il", *b"gr"];
const BYLINE_BY_STARTS: &[[u8; 2]] = &[
    *b"by", *b"wr", *b"wo", *b"st", *b"te", *b"po", *b"co", *b"au", *b"re",
];

/// The first two bytes of `line` after any leading bytes in `skip`, lower-cased (0 past the
/// end), or `None` when either is not ASCII: a Unicode space or a case variant such as `ſ`
/// or `K` may start a match there, so only the rule itself can tell.
fn first_two(line: &str, skip: &[u8]) -> Option<[u8; 2]> {
    let b = line.as_bytes();
    let start = b.iter().position(|c| !skip.contains(c)).unwrap_or(b.len());
    let x = b.get(start).copied().unwrap_or(0);
    let y = b.get(start + 1).copied().unwrap_or(0);
    (x.is_ascii() && y.is_ascii()).then(|| [x.to_ascii_lowercase(), y.to_ascii_lowercase()])
}

/// Whether a rule whose alternatives start with one of `starts` may match `line`.
fn starts_like(line: &str, skip: &[u8], starts: &[[u8; 2]]) -> bool {
    first_two(line, skip).is_none_or(|p| starts.contains(&p))
}

/// The share rule's starts, where `x` alone is a word and `threads` the only `th` word (the
/// pair of every line opening with `The`).
fn share_possible(line: &str) -> bool {
    match first_two(line, b"") {
        None => true,
        Some([b'x', _]) => true,
        Some([b't', b'h']) => line
            .as_bytes()
            .get(2)
            .is_none_or(|&c| !c.is_ascii() || c.eq_ignore_ascii_case(&b'r')),
        Some(p) => SHARE_STARTS.contains(&p),
    }
}

// Which of the bytes the rules look for a line holds, from one pass over it: each test
// below would otherwise be a search of its own.
const F_SPACE: u16 = 1;
const F_DOT: u16 = 1 << 1;
const F_SLASH: u16 = 1 << 2;
const F_COLON: u16 = 1 << 3;
const F_PIPE: u16 = 1 << 4;
const F_COMMA: u16 = 1 << 5;
/// A lower-case `w` (`www.` is searched for case-sensitively).
const F_W: u16 = 1 << 6;
/// The first byte of `：`.
const F_EF: u16 = 1 << 7;
/// An ASCII byte that cannot stand in a bare agency credit: all but letters, white space,
/// the brackets, `.`, `'`, `-` and `/` (the rule's other characters are not ASCII).
const F_NOT_AGENCY: u16 = 1 << 8;
/// A byte beyond ASCII.
const F_HIGH: u16 = 1 << 9;

static BYTE_FLAGS: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let agency = c.is_ascii_alphabetic()
            || matches!(
                c,
                b' ' | b'\t'
                    | b'\n'
                    | b'\x0b'
                    | b'\x0c'
                    | b'\r'
                    | b'.'
                    | b'\''
                    | b'-'
                    | b'/'
                    | b'('
                    | b')'
                    | b'['
                    | b']'
            );
        if !agency {
            t[b] = F_NOT_AGENCY;
        }
        b += 1;
    }
    t[b' ' as usize] |= F_SPACE;
    t[b'.' as usize] |= F_DOT;
    t[b'/' as usize] |= F_SLASH;
    t[b':' as usize] |= F_COLON;
    t[b'|' as usize] |= F_PIPE;
    t[b',' as usize] |= F_COMMA;
    t[b'w' as usize] |= F_W;
    while b < 256 {
        t[b] = F_HIGH;
        b += 1;
    }
    t[0xEF] |= F_EF;
    t
};

fn byte_flags(line: &str) -> u16 {
    line.bytes().fold(0, |f, b| f | BYTE_FLAGS[b as usize])
}

fn is_break(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut up = true;
    for c in word.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        up = matches!(c, '-' | '\'' | '’' | '.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines a rule may match: every word its pattern names, alone, capitalized, in pairs,
    /// after the leading marks some rules skip and before the endings they allow; and every
    /// line of the clean fixtures.
    fn lines_for(rule: &Rule) -> Vec<String> {
        let mut words: Vec<String> = rule
            .pattern
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() > 1)
            .map(str::to_string)
            .collect();
        words.sort();
        words.dedup();
        let mut lines = Vec::new();
        for a in &words {
            let capital = a[..1].to_uppercase() + &a[1..];
            for lead in ["", "- ", "[", "(", "* ", "| "] {
                lines.push(format!("{lead}{a}"));
                lines.push(format!("{lead}{capital}"));
                lines.push(format!("{lead}{} : x", a.to_uppercase()));
            }
            for b in &words {
                lines.push(format!("{a} {b}"));
                lines.push(format!("{capital} {b}: Jane Doe"));
                lines.push(format!("{a} {b} https://x.example"));
            }
        }
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for entry in std::fs::read_dir(fixtures).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            lines.extend(text.lines().map(|l| l.trim().to_string()));
        }
        lines
    }

    /// The hand-kept prefilter tables hold the first two letters of every line their rule
    /// matches: a line the prefilter turns away is never one the rule would have matched.
    #[test]
    fn prefilter_tables_let_every_match_through() {
        let rules = Rules::new(&CleanOptions::default()).unwrap();
        type Prefilter = fn(&str) -> bool;
        let pairs: [(&str, &Rule, Prefilter); 6] = [
            ("share", &rules.share, share_possible),
            ("advertisement", &rules.advertisement, |l| {
                starts_like(l, AD_SKIP, AD_STARTS)
            }),
            ("related", &rules.related, |l| {
                starts_like(l, b"", RELATED_STARTS)
            }),
            ("credit_prefix", &rules.credit_prefix, |l| {
                starts_like(l, b"", CREDIT_PREFIX_STARTS)
            }),
            ("credit_by", &rules.credit_by, |l| {
                starts_like(l, b"", CREDIT_BY_STARTS)
            }),
            ("byline_by", &rules.byline_by, |l| {
                starts_like(l, b"", BYLINE_BY_STARTS)
            }),
        ];
        for (name, rule, prefilter) in pairs {
            let mut matched = 0;
            for line in lines_for(rule) {
                if rule.for_line(&line).is_match(&line) {
                    matched += 1;
                    assert!(
                        prefilter(&line),
                        "{name}: {line:?} matches but is filtered out"
                    );
                }
            }
            assert!(matched > 10, "{name}: only {matched} lines matched");
        }
    }

    #[test]
    fn builtins_compile() {
        Rules::new(&CleanOptions::default()).unwrap();
    }

    #[test]
    fn name_char_is_the_case_folded_class() {
        let folded = Regex::new(r"(?i)^[\p{L}.'’ -]$").unwrap();
        let stated = Regex::new(&format!("(?i)^{NAME_CHAR}$")).unwrap();
        let mut buf = [0u8; 4];
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let c = &*c.encode_utf8(&mut buf);
            assert_eq!(folded.is_match(c), stated.is_match(c), "{c:?}");
        }
    }

    /// Every match of `re` in `line` with the range of each of its groups.
    fn every_group(re: &Regex, line: &str) -> Vec<Vec<Option<std::ops::Range<usize>>>> {
        re.captures_iter(line)
            .map(|c| (0..c.len()).map(|g| c.get(g).map(|m| m.range())).collect())
            .collect()
    }

    #[test]
    fn ascii_masthead_pieces_match_as_the_unicode_ones_do() {
        let rules = Rules::new(&CleanOptions::default()).unwrap();
        let unicode = Regex::new(&rules.masthead_piece.pattern).unwrap();
        let ascii = Regex::new(&ascii_digits_and_spaces(&rules.masthead_piece.pattern)).unwrap();
        for line in [
            "Monday, August 21, 2025",
            "Vol. 12 No. 345 | Late Edition",
            "Updated 10:30 a.m. ET · Page A1",
            "21.08.2025 — Price: $2.50",
            "Tuesday 3rd of March 2024 final edition #12",
            "MON 08/21/25",
        ] {
            assert!(!has_unicode_digit_or_space(line));
            assert_eq!(
                every_group(&ascii, line),
                every_group(&unicode, line),
                "{line}"
            );
        }
        assert!(has_unicode_digit_or_space("Monday ٣ March"));
        assert!(has_unicode_digit_or_space("Monday\u{a0}3 March"));
        assert!(!has_unicode_digit_or_space("Monday — 3 March"));
        for line in [
            "",
            "a",
            "’",
            "½",
            "x\u{2028}",
            "abcdefgh’ijklmnop½",
            "abcdefghijklmnop",
        ] {
            let by_definition = line
                .chars()
                .any(|c| !c.is_ascii() && (c.is_numeric() || c.is_whitespace()));
            assert_eq!(has_unicode_digit_or_space(line), by_definition, "{line:?}");
        }
    }

    #[test]
    fn separator_runs_are_the_separator_pieces() {
        let rules = Rules::new(&CleanOptions::default()).unwrap();
        let re = &rules.masthead_piece.ascii;
        let g = &rules.masthead_groups;
        let mut caps = re.create_captures();
        let pieces = [
            "Monday", ", ", " ", "—", " – ", "·", "•", "|", "/", "-", "(", ")", "[", "]", ".", ":",
            ";", "21", "Aug", "2025", "#", "$", "No", "edition", "x", "é", "’", "\t",
        ];
        for line in crate::glued(&pieces) {
            for (i, _) in line.char_indices() {
                let run = separator_run(&line[i..]);
                if run == 0 {
                    continue;
                }
                let input = regex_automata::Input::new(&line).span(i..line.len());
                re.search_captures(&input, &mut caps);
                assert_eq!(
                    caps.get_match().unwrap().range(),
                    i..i + run,
                    "{line:?} at {i}"
                );
                assert!(caps.get_group(g.sep).is_some(), "{line:?} at {i}");
            }
        }
    }

    #[test]
    fn words_are_counted_as_one_byte_at_a_time() {
        let by_definition = |s: &str| {
            s.split([' ', '\t', '\n', '\r'])
                .filter(|w| !w.is_empty())
                .count()
        };
        let pieces = [
            "a", " ", "  ", "word", "\t", "\n", "\r", "\u{1}", "é", "“x”", "!",
        ];
        // Every sequence of up to three pieces, at every offset in an eight-byte chunk.
        let samples = crate::glued(&pieces);
        for s in samples.iter().filter(|s| s.len() < 20) {
            for pad in 0..9 {
                let line = format!("{}{s}{}", "x".repeat(pad), " y".repeat(pad));
                assert_eq!(words(&line), by_definition(&line), "{line:?}");
            }
        }
    }
}
