//! Claims written in words: counts ("five regions"), fractions ("three-quarters of"),
//! percentages in words.

use super::prefilter::is_number_word;
use super::vocabulary::{currency_word, denominator, scale_word, small_number};
use super::{Quantity, Scanner};

impl Scanner<'_> {
    pub(super) fn worded(&self, i: usize) -> Option<Quantity> {
        // "mum-of-three", "Catch-22": part of a compound word, not a quantity.
        if i > 0 && self.word(i - 1) == "-" && !self.toks[i].space_before {
            return None;
        }
        // Every quantity in words starts with a number word, "a", "an" or "half": most words
        // are none of these, and telling so is cheaper than lowercasing them.
        let word = self.word(i);
        if word.len() > 2 && !is_number_word(word.as_bytes()) {
            return None;
        }
        let w = self.lower(i);
        let w = w.as_str();
        if small_number(w).is_none() && !matches!(w, "a" | "an" | "half") {
            return None;
        }
        if let Some(q) = self.worded_fraction(i, w) {
            return self.options.fractions.then_some(q);
        }
        self.worded_count(i, w)
    }

    /// A fraction in words from token `i` (lowercased `w`): three-quarters, two-thirds, a
    /// third of, half of, one-fifth.
    fn worded_fraction(&self, i: usize, w: &str) -> Option<Quantity> {
        let n = self.toks.len();
        if let Some(num) = small_number(w).filter(|v| *v >= 1.0 && *v <= 10.0) {
            if i + 2 < n
                && self.word(i + 1) == "-"
                && !self.toks[i + 1].space_before
                && !self.toks[i + 2].space_before
            {
                if let Some(den) = denominator(self.lower(i + 2).as_str()) {
                    return Some(Quantity {
                        first: i,
                        last: i + 2,
                        value: num / den,
                        unit: "fraction".into(),
                        of_subject: true,
                    });
                }
            }
            if num == 1.0 && i + 1 < n {
                if let Some(den) = denominator(self.lower(i + 1).as_str()) {
                    if self.is(i + 2, "of") && den > 1.0 {
                        return Some(fraction(i, den));
                    }
                }
            }
        }
        if matches!(w, "a" | "one") && i + 2 < n && self.is(i + 2, "of") {
            if let Some(den) = denominator(self.lower(i + 1).as_str()) {
                if den > 2.0 || self.is(i + 1, "half") {
                    return Some(fraction(i, den));
                }
            }
        }
        if w == "half"
            && (self.is(i + 1, "of") || self.is(i + 1, "the"))
            && !(i > 0 && self.is(i - 1, "a"))
        {
            return Some(Quantity {
                first: i,
                last: i,
                value: 0.5,
                unit: "fraction".into(),
                of_subject: true,
            });
        }
        None
    }

    /// A count in words from token `i` (lowercased `w`): five, twenty-five, two hundred, three
    /// million, a dozen; a percentage or sum of money when a unit word follows.
    fn worded_count(&self, i: usize, w: &str) -> Option<Quantity> {
        let n = self.toks.len();
        let (mut value, mut last) = match small_number(w) {
            Some(v) => (v, i),
            None if matches!(w, "a" | "an") && i + 1 < n => {
                let nx = self.lower(i + 1);
                match nx.as_str() {
                    "dozen" => (12.0, i + 1),
                    "hundred" | "thousand" | "million" | "billion" | "trillion" => {
                        (scale_word(nx.as_str())?, i + 1)
                    }
                    _ => return None,
                }
            }
            None => return None,
        };
        if w == "one" && last == i {
            // "one" is mostly a pronoun or "one of"; only "one in five" counts.
            return self.ratio(i, 1.0);
        }
        // twenty-five
        if (20.0..=90.0).contains(&value) && i + 2 < n && self.word(i + 1) == "-" {
            if let Some(u) = small_number(self.lower(i + 2).as_str()).filter(|u| *u < 10.0) {
                value += u;
                last = i + 2;
            }
        }
        loop {
            if last + 1 >= n {
                break;
            }
            let nx = self.lower(last + 1);
            match scale_word(nx.as_str()).filter(|_| nx.as_str().len() > 3) {
                Some(s) => {
                    value *= s;
                    last += 1;
                }
                None => break,
            }
        }
        if let Some(q) = (last == i).then(|| self.ratio(i, value)).flatten() {
            return Some(q);
        }
        let mut unit = "count".to_string();
        if last + 1 < n {
            let nx = self.lower(last + 1);
            if nx.as_str() == "percent" {
                unit = "percent".into();
                value /= 100.0;
                last += 1;
            } else if let Some(c) = currency_word(nx.as_str()) {
                unit = c.into();
                last += 1;
            }
        }
        // Hyphenated compounds ("five-year plan") still count; "two-thirds" handled above.
        let enabled = match unit.as_str() {
            "percent" => self.options.percentages,
            "count" => self.options.counts,
            _ => self.options.money,
        };
        enabled.then_some(Quantity {
            first: i,
            last,
            value,
            of_subject: unit == "percent",
            unit,
        })
    }
}

/// "one third of", "a quarter of": the fraction `1/den` over words `i` and `i + 1`, whose
/// "of X" names what it is a fraction of.
fn fraction(i: usize, den: f64) -> Quantity {
    Quantity {
        first: i,
        last: i + 1,
        value: 1.0 / den,
        unit: "fraction".into(),
        of_subject: true,
    }
}
