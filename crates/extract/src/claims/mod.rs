//! Numeric claims: percentages, fractions, counts and money, with what they are about.
