//! Claims written in digits: counts, percentages, money with its scale ("$1.5bn"), ratios
//! ("one in five").

use super::vocabulary::{currency_word, is_label, scale_word, small_number, Lower};
use super::{Quantity, Scanner};
use crate::text::TokenKind;

impl Scanner<'_> {
    /// A quantity from the number at token `i`, unless it lies in a date.
    pub(super) fn numeric(&self, i: usize) -> Option<Quantity> {
        let q = self.number(i)?;
        (!self.in_date(i)).then_some(q)
    }

    /// [`Scanner::numeric`] before the date test.
    pub(super) fn number(&self, i: usize) -> Option<Quantity> {
        let n = self.toks.len();
        let raw = self.word(i);
        // Labels and codes: "Article 5", "COVID-19", "F-16", times "10:30".
        if i > 0 {
            let prev = self.word(i - 1);
            if is_label(prev) || ((prev == "-" || prev == "/") && !self.toks[i].space_before) {
                return None;
            }
        }
        if i + 1 < n && !self.toks[i + 1].space_before && matches!(self.word(i + 1), ":" | "/") {
            return None;
        }
        let digits_end = raw
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(raw.len());
        let (num, suffix) = raw.split_at(digits_end);
        let suffix_lower = Lower::of(suffix);
        let suffix_lower = suffix_lower.as_str();
        if matches!(suffix_lower, "st" | "nd" | "rd" | "th" | "s") {
            return None; // ordinals and decades
        }
        let mut value: f64 = num.replace(',', "").parse().ok()?;
        let mut last = i;
        let mut unit = "count".to_string();
        if !suffix.is_empty() {
            value *= scale_word(suffix_lower)?;
        } else if i + 1 < n {
            let next = self.lower(i + 1);
            if let Some(s) = scale_word(next.as_str())
                .filter(|_| self.toks[i + 1].space_before || next.as_str().len() <= 3)
            {
                if !matches!(next.as_str(), "b" | "k") || !self.toks[i + 1].space_before {
                    value *= s;
                    last = i + 1;
                }
            }
        }
        // A bare year is a date, not a count.
        let bare = suffix.is_empty() && last == i && !num.contains([',', '.']);
        if bare && (1800.0..=2100.0).contains(&value) && num.len() == 4 {
            let unit_follows = i + 1 < n && self.is(i + 1, "%");
            if !unit_follows {
                return None;
            }
        }
        let after = last + 1;
        if after < n {
            let w = self.lower(after);
            let w = w.as_str();
            if self.word(after) == "%" || w == "percent" || w == "pct" {
                unit = "percent".into();
                value /= 100.0;
                last = after;
            } else if w == "per" && self.is(after + 1, "cent") {
                unit = "percent".into();
                value /= 100.0;
                last = after + 1;
            } else if w == "percentage" && self.is(after + 1, "points") {
                unit = "percentage points".into();
                value /= 100.0;
                last = after + 1;
            } else if let Some(c) = currency_word(w) {
                unit = c.into();
                last = after;
            } else if w == "a" || (w == ":" && !self.toks[after].space_before) {
                // "a.m." / times are not claims.
                if self.is(after + 1, ".") || self.word(after) == ":" {
                    return None;
                }
            } else if matches!(w, "am" | "pm" | "a.m." | "p.m.") {
                return None;
            }
        }
        // "nine out of 10", "one in five"
        if unit == "count" && last == i {
            if let Some(q) = self.ratio(i, value) {
                return Some(q);
            }
        }
        let enabled = match unit.as_str() {
            "percent" | "percentage points" => self.options.percentages,
            "count" => self.options.counts,
            _ => self.options.money,
        };
        if !enabled {
            return None;
        }
        Some(Quantity {
            first: i,
            last,
            value,
            unit: unit.clone(),
            of_subject: unit.starts_with("percent"),
        })
    }

    /// "one in five", "nine out of 10": a fraction.
    pub(super) fn ratio(&self, i: usize, num: f64) -> Option<Quantity> {
        let mut k = i + 1;
        if self.is(k, "in") {
            k += 1;
        } else if self.is(k, "out") && self.is(k + 1, "of") {
            k += 2;
        } else {
            return None;
        }
        if k >= self.toks.len() {
            return None;
        }
        let den = match self.toks[k].kind {
            TokenKind::Number => self.word(k).replace(',', "").parse::<f64>().ok()?,
            TokenKind::Word => small_number(self.lower(k).as_str())?,
            _ => return None,
        };
        if den <= num || den == 0.0 || !self.options.fractions {
            return None;
        }
        Some(Quantity {
            first: i,
            last: k,
            value: num / den,
            unit: "fraction".into(),
            of_subject: false,
        })
    }
}
