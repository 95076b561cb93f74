//! Extraction stages: who said what (`quotes`), who and what is in the story (`entities`,
//! with dates), and which numbers are claimed (`claims`). The stages share one sentence
//! splitter ([`text`]) and one person finder ([`entities::find_referents`]) so that a quote's
//! speaker and the entity table always agree.

pub mod claims;
pub mod entities;
pub mod quotes;
mod records;
pub mod text;
