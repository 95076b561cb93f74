//! Dates as mastheads and bylines write them: `08-21-2025`, `2025-08-21`, `21.08.2025`,
//! `August 21, 2025`, `21 August 2025`, `Aug. 21, 2025`, with an optional weekday.

use chrono::{NaiveDate, Weekday};

use crate::options::DateOrder;
use crate::rules::{matcher, GroupRule, Rule};

pub(crate) const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
pub(crate) const WEEKDAY: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thur?s?|fri|sat|sun)";
/// All-numeric date; the two separators must agree (checked in code: no backreferences).
pub(crate) const NUMERIC: &str = r"(?-u:\b)\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}(?-u:\b)";

/// A date found in a line: `None` when it was written like a date but cannot exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub date: Option<NaiveDate>,
    pub text: String,
}

#[derive(Debug)]
pub(crate) struct DateParser {
    numeric: Rule,
    month_first: GroupRule,
    day_first: GroupRule,
    weekday: regex_automata::meta::Regex,
    order: DateOrder,
}

impl DateParser {
    pub(crate) fn new(order: DateOrder) -> Self {
        DateParser {
            numeric: Rule::new(r"(?-u:\b)(\d{1,4})([-/.])(\d{1,2})([-/.])(\d{2,4})(?-u:\b)"),
            month_first: GroupRule::new(&format!(
                r"(?i)(?-u:\b)({MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?-u:\b)"
            )),
            day_first: GroupRule::new(&format!(
                r"(?i)(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH})\.?,?\s+(\d{{4}})(?-u:\b)"
            )),
            // No capture group: the word is the whole match.
            weekday: matcher(&format!(r"(?i)(?-u:\b){WEEKDAY}(?-u:\b)")),
            order,
        }
    }

    /// The first date written in `s`.
    pub(crate) fn find(&self, s: &str) -> Option<Found> {
        let mut best: Option<(usize, Found)> = None;
        let mut consider = |at: usize, found: Found| {
            if best.as_ref().is_none_or(|(b, _)| at < *b) {
                best = Some((at, found));
            }
        };
        for c in self.numeric.for_line(s).captures_iter(s) {
            if c[2] != c[4] {
                continue;
            }
            let whole = c.get(0).map_or(0..0, |m| m.range());
            let (a, b, y) = (&c[1], &c[3], &c[5]);
            let num = |t: &str| t.parse::<u32>().unwrap_or(0);
            let (year, month, day) = if a.len() == 4 {
                if y.len() == 4 {
                    continue;
                }
                (num(a) as i32, num(b), num(y))
            } else if a.len() <= 2 {
                let year = full_year(y);
                let (a, b) = (num(a), num(b));
                // A part above 12 settles the order; otherwise dots mean day first (the
                // convention wherever dots are used), and the configured order decides the rest.
                let day_first = if a > 12 {
                    true
                } else if b > 12 {
                    false
                } else {
                    &c[2] == "." || self.order == DateOrder::Dmy
                };
                if day_first {
                    (year, b, a)
                } else {
                    (year, a, b)
                }
            } else {
                continue;
            };
            consider(whole.start, make(year, month, day, &s[whole]));
        }
        // Every group of these two takes part in every match.
        let group = |c: &regex_automata::util::captures::Captures, i: usize| {
            &s[c.get_group(i).expect("a group of every match").range()]
        };
        for c in self.month_first.for_line(s).captures_iter(s) {
            let whole = c.get_match().map_or(0..0, |m| m.range());
            let month = month_number(group(&c, 1));
            let day = group(&c, 2).parse().unwrap_or(0);
            let year = group(&c, 3).parse().unwrap_or(0);
            consider(whole.start, make(year, month, day, &s[whole]));
        }
        for c in self.day_first.for_line(s).captures_iter(s) {
            let whole = c.get_match().map_or(0..0, |m| m.range());
            let day = group(&c, 1).parse().unwrap_or(0);
            let month = month_number(group(&c, 2));
            let year = group(&c, 3).parse().unwrap_or(0);
            consider(whole.start, make(year, month, day, &s[whole]));
        }
        best.map(|(_, f)| f)
    }

    /// The weekday named in `s`, if any.
    pub(crate) fn weekday(&self, s: &str) -> Option<Weekday> {
        let m = self.weekday.find(s)?;
        let w = s[m.range()].to_ascii_lowercase();
        Some(match &w[..3] {
            "mon" => Weekday::Mon,
            "tue" => Weekday::Tue,
            "wed" => Weekday::Wed,
            "thu" => Weekday::Thu,
            "fri" => Weekday::Fri,
            "sat" => Weekday::Sat,
            _ => Weekday::Sun,
        })
    }
}

fn full_year(y: &str) -> i32 {
    let n: i32 = y.parse().unwrap_or(0);
    match y.len() {
        2 if n < 70 => 2000 + n,
        2 => 1900 + n,
        _ => n,
    }
}

fn make(year: i32, month: u32, day: u32, text: &str) -> Found {
    let date = if (1900..=2100).contains(&year) {
        NaiveDate::from_ymd_opt(year, month, day)
    } else {
        None
    };
    Found {
        date,
        text: text.to_string(),
    }
}

fn month_number(name: &str) -> u32 {
    let n = name.to_ascii_lowercase();
    const PREFIXES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    PREFIXES
        .iter()
        .position(|p| n.starts_with(p))
        .map_or(0, |i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str, order: DateOrder) -> Option<String> {
        DateParser::new(order)
            .find(s)
            .and_then(|f| f.date)
            .map(|d| d.to_string())
    }

    #[test]
    fn every_written_form_parses() {
        let want = Some("2025-08-21".to_string());
        for s in [
            "08-21-2025 Vol 2059",
            "2025-08-21",
            "21.08.2025",
            "Thursday, August 21, 2025",
            "21 August 2025",
            "Aug. 21, 2025",
            "Published 21st of August, 2025 at 10:00",
            "8/21/25",
        ] {
            assert_eq!(date(s, DateOrder::Mdy), want, "{s}");
        }
    }

    #[test]
    fn order_only_decides_ambiguous_dates() {
        assert_eq!(
            date("08-07-2025", DateOrder::Mdy).as_deref(),
            Some("2025-08-07")
        );
        assert_eq!(
            date("08-07-2025", DateOrder::Dmy).as_deref(),
            Some("2025-07-08")
        );
        assert_eq!(
            date("21-08-2025", DateOrder::Mdy).as_deref(),
            Some("2025-08-21")
        );
        assert_eq!(
            date("05.08.2025", DateOrder::Mdy).as_deref(),
            Some("2025-08-05")
        );
    }

    #[test]
    fn impossible_dates_are_rejected() {
        let p = DateParser::new(DateOrder::Mdy);
        for s in [
            "02-30-2025",
            "February 30, 2025",
            "13-13-2025",
            "2025-02-29",
        ] {
            let f = p.find(s).expect(s);
            assert_eq!(f.date, None, "{s}");
        }
        assert_eq!(p.find("Vol 2059 No 12"), None);
    }
}
