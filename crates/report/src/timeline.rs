//! Documents and quotes over time: per day for a short span, per week or month for longer
//! ones, so the chart keeps a readable number of bars whatever the corpus spans.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{Datelike, Duration, NaiveDate};

use crate::aggregate::{Corpus, Day};
use crate::html::{count, table};
use crate::svg::{timeline, Bucket};

/// Spans up to this many days are drawn a bar per day; up to `WEEKLY_DAYS` a bar per week.
const DAILY_DAYS: i64 = 92;
const WEEKLY_DAYS: i64 = 731;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Day,
    Week,
    Month,
}

impl Step {
    fn for_span(days: i64) -> Step {
        match days {
            d if d <= DAILY_DAYS => Step::Day,
            d if d <= WEEKLY_DAYS => Step::Week,
            _ => Step::Month,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Step::Day => "day",
            Step::Week => "week",
            Step::Month => "month",
        }
    }

    /// The first day of the bucket `date` falls in.
    fn start(self, date: NaiveDate) -> NaiveDate {
        match self {
            Step::Day => date,
            Step::Week => date - Duration::days(date.weekday().num_days_from_monday().into()),
            Step::Month => date.with_day(1).unwrap_or(date),
        }
    }

    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Step::Day => start + Duration::days(1),
            Step::Week => start + Duration::days(7),
            Step::Month => start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    fn axis(self, start: NaiveDate) -> String {
        match self {
            Step::Month => start.format("%Y-%m").to_string(),
            _ => start.to_string(),
        }
    }

    fn label(self, start: NaiveDate) -> String {
        match self {
            Step::Day => start.to_string(),
            Step::Week => format!("week of {start}"),
            Step::Month => start.format("%Y-%m").to_string(),
        }
    }
}

/// Every bucket from the first date to the last, empty ones included (a gap in coverage is
/// worth seeing).
pub fn buckets(days: &BTreeMap<NaiveDate, Day>) -> (Step, Vec<Bucket>) {
    let (Some(&first), Some(&last)) = (days.keys().next(), days.keys().next_back()) else {
        return (Step::Day, Vec::new());
    };
    let step = Step::for_span((last - first).num_days());
    let mut sums: BTreeMap<NaiveDate, Day> = BTreeMap::new();
    for (&date, day) in days {
        let sum = sums.entry(step.start(date)).or_default();
        sum.documents += day.documents;
        sum.quotes += day.quotes;
    }
    let mut out = Vec::new();
    let mut start = step.start(first);
    while start <= last {
        let day = sums.get(&start).copied().unwrap_or_default();
        out.push(Bucket {
            label: step.label(start),
            axis: step.axis(start),
            documents: day.documents,
            quotes: day.quotes,
        });
        start = step.next(start);
    }
    (step, out)
}

pub fn section(out: &mut String, corpus: &Corpus) {
    out.push_str("<section aria-labelledby=\"timeline\">\n<h2 id=\"timeline\">Timeline</h2>\n");
    let (step, buckets) = buckets(&corpus.days);
    let undated = match corpus.undated_documents {
        0 => String::new(),
        n => format!(" {} give no date and are not drawn.", count(n)),
    };
    if buckets.is_empty() {
        let _ = write!(
            out,
            "<p>No document gives a date.{undated}</p>\n</section>\n"
        );
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">Documents and quotes per {}, by publication date.{undated}</p>",
        step.name()
    );
    let title = format!("Documents and quotes per {}", step.name());
    out.push_str(&timeline("timeline-chart", &title, step.name(), &buckets));
    let rows: Vec<Vec<String>> = buckets
        .iter()
        .filter(|b| b.documents > 0)
        .map(|b| vec![b.label.clone(), count(b.documents), count(b.quotes)])
        .collect();
    let caption = format!("The chart's numbers ({}s with documents)", step.name());
    table(
        out,
        &caption,
        &[step_header(step), "#Documents", "#Quotes"],
        &rows,
    );
    out.push_str("</section>\n");
}

fn step_header(step: Step) -> &'static str {
    match step {
        Step::Day => "Day",
        Step::Week => "Week",
        Step::Month => "Month",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(dates: &[(&str, u64)]) -> BTreeMap<NaiveDate, Day> {
        dates
            .iter()
            .map(|(d, n)| {
                (
                    d.parse().unwrap(),
                    Day {
                        documents: *n,
                        quotes: 2 * n,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_short_span_is_drawn_per_day_with_its_empty_days() {
        let (step, buckets) = buckets(&days(&[("2024-03-30", 1), ("2024-04-02", 3)]));
        assert_eq!(step, Step::Day);
        let labels: Vec<&str> = buckets.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(
            labels,
            ["2024-03-30", "2024-03-31", "2024-04-01", "2024-04-02"]
        );
        assert_eq!(buckets[3].quotes, 6);
    }

    #[test]
    fn longer_spans_are_drawn_per_week_then_per_month() {
        let (step, buckets) = buckets(&days(&[
            ("2024-01-03", 1),
            ("2024-01-04", 1),
            ("2024-06-30", 2),
        ]));
        assert_eq!(step, Step::Week);
        assert_eq!(buckets[0].label, "week of 2024-01-01");
        assert_eq!(buckets[0].documents, 2);
        assert_eq!(buckets.last().unwrap().label, "week of 2024-06-24");
        let (step, buckets) = buckets_of_years();
        assert_eq!(step, Step::Month);
        assert_eq!(buckets.len(), 37);
    }

    fn buckets_of_years() -> (Step, Vec<Bucket>) {
        buckets(&days(&[("2021-01-15", 1), ("2024-01-01", 1)]))
    }
}
