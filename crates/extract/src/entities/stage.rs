//! The `entities` stage: fills `doc.entities` (PERSON, ORG, PLACE, DATE; one per referent) and
//! `doc.mentions` (every mention, with its span).

use std::collections::HashMap;
use std::ops::Range;

use model::{
    BuildContext, Document, DocumentStage, Entity, EntityKind, Mention, StageError, StageOptions,
};
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use super::lexicon::{Extras, Lexicon};
use super::normalize::name_key;
use super::{scan_dates, DateMention};
use crate::records::spans;

/// Options of the entities stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntitiesOptions {
    /// Extra people: `"Full Name"` or `"Full Name|M|role|alias,alias"` (gender, role and aliases
    /// optional).
    pub extra_people: Vec<String>,
    /// Extra organizations: `"Name"` or `"Name|alias,alias"`.
    pub extra_orgs: Vec<String>,
    /// Extra places: `"Name"` or `"Name|alias,alias"`.
    pub extra_places: Vec<String>,
    /// List files (relative to the config file) with `person|…`, `org|…`, `place|…` lines.
    pub lists: Vec<String>,
    /// Find and normalize dates.
    pub dates: bool,
    /// Count role phrases ("the envoy", "the Russian President") as mentions of the person.
    pub role_mentions: bool,
}

impl Default for EntitiesOptions {
    fn default() -> Self {
        EntitiesOptions {
            extra_people: Vec::new(),
            extra_orgs: Vec::new(),
            extra_places: Vec::new(),
            lists: Vec::new(),
            dates: true,
            role_mentions: true,
        }
    }
}

impl StageOptions for EntitiesOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            (
                "extra_people",
                "extra people: \"Full Name\" or \"Full Name|M|role|alias,alias\"",
            ),
            (
                "extra_orgs",
                "extra organizations: \"Name\" or \"Name|alias,alias\"",
            ),
            (
                "extra_places",
                "extra places: \"Name\" or \"Name|alias,alias\"",
            ),
            (
                "lists",
                "list files (relative to the config) with person|…, org|…, place|… lines",
            ),
            (
                "dates",
                "find dates and normalize them to ISO (relative ones against the published date)",
            ),
            (
                "role_mentions",
                "count role phrases (\"the envoy\") as mentions of the person they name",
            ),
        ]
    }
}

enum Lex {
    Builtin,
    Custom(Box<Lexicon>),
}

/// People with roles, organizations, places and dates, one entity per referent.
/// Stage name `entities`; needs `Text`; provides `Entities`.
pub struct Entities {
    lexicon: Lex,
    options: EntitiesOptions,
}

impl Entities {
    pub const NAME: &'static str = "entities";

    pub fn new(options: EntitiesOptions, ctx: &BuildContext) -> Result<Self, StageError> {
        let mut extras = Extras {
            people: options.extra_people.clone(),
            orgs: options.extra_orgs.clone(),
            places: options.extra_places.clone(),
        };
        for path in &options.lists {
            let full = ctx.resolve(path);
            let content = std::fs::read_to_string(&full).map_err(|e| {
                StageError::new(format!(
                    "entities: cannot read list {}: {e}",
                    full.display()
                ))
            })?;
            extras
                .add_list(&content)
                .map_err(|e| StageError::new(format!("entities: {}: {e}", full.display())))?;
        }
        let lexicon = if extras.is_empty() {
            // Compile the shared lists now, not on the first document.
            Lexicon::builtin();
            Lex::Builtin
        } else {
            Lex::Custom(Box::new(Lexicon::build(&extras)))
        };
        Ok(Entities { lexicon, options })
    }

    fn lexicon(&self) -> &Lexicon {
        match &self.lexicon {
            Lex::Builtin => Lexicon::builtin(),
            Lex::Custom(l) => l,
        }
    }
}

impl DocumentStage for Entities {
    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let found = super::shared_referents(self.lexicon(), doc);
        let (refs, date_sentences) = (&found.referents, &found.date_sentences);
        // The dates first, so that the lists below are allocated once at their full size:
        // grown by the dates, they were copied whole.
        let dates = if self.options.dates {
            let scan = scan_dates(doc.text(), date_sentences, false);
            let dates = scan.resolve(doc.text(), doc.meta.published);
            // The claims stage rules out numbers inside dates with the same search.
            doc.derived.insert(Arc::new(scan));
            dates
        } else {
            Vec::new()
        };
        // One entity per referent (and per date value), with its first mention and count.
        let mut pending: Vec<Pending> = Vec::with_capacity(refs.referents.len() + dates.len());
        pending.extend(refs.referents.iter().map(|r| Pending {
            first: usize::MAX,
            count: 0,
            entity: Some(Entity {
                id: String::new(),
                name: r.name.clone(),
                kind: r.kind,
                role: r.role.clone(),
                aliases: Vec::new(),
                mentions: 0,
                key: r.key.clone(),
                value: None,
                anchor: None,
            }),
        }));
        // Every mention with the index of its entry in `pending`.
        let mut mentions: Vec<(Range<usize>, usize)> =
            Vec::with_capacity(refs.mentions.len() + dates.len());
        for m in &refs.mentions {
            if m.by_role && !self.options.role_mentions {
                continue;
            }
            let p = &mut pending[m.referent];
            p.first = p.first.min(m.bytes.start);
            p.count += 1;
            mentions.push((m.bytes.clone(), m.referent));
            if !m.by_role {
                let entity = p.entity.as_mut().expect("taken only below");
                add_alias(entity, &doc.text()[m.bytes.clone()]);
            }
        }
        let from_finder = mentions.len();
        if self.options.dates {
            add_dates(doc.text(), dates, &mut pending, &mut mentions);
        }
        // Entities in order of first mention; ties keep the order above.
        // Sized for every entry: collected from a filter, it grew from empty.
        let mut order: Vec<usize> = Vec::with_capacity(pending.len());
        order.extend((0..pending.len()).filter(|&k| pending[k].count > 0));
        order.sort_unstable_by_key(|&k| (pending[k].first, k));
        let mut numbered = vec![usize::MAX; pending.len()];
        let mut entities = Vec::with_capacity(order.len());
        for (i, &k) in order.iter().enumerate() {
            numbered[k] = i;
            let p = &mut pending[k];
            let mut entity = p.entity.take().expect("each entry is taken once");
            entity.id = crate::records::numbered('e', i + 1);
            entity.mentions = p.count;
            entities.push(entity);
        }
        for m in &mut mentions {
            m.1 = numbered[m.1];
        }
        let mentions = in_text_order(mentions, from_finder);
        let ranges: Vec<Range<usize>> = mentions.iter().map(|m| m.0.clone()).collect();
        let spans = spans(doc, &ranges);
        let mentions: Vec<Mention> = spans
            .into_iter()
            .zip(&mentions)
            .map(|(span, &(_, i))| Mention {
                entity_id: entities[i].id.clone(),
                text: doc.text()[span.bytes.clone()].to_string(),
                span,
            })
            .collect();
        doc.entities = entities;
        doc.mentions = mentions;
        Ok(())
    }
}

/// An entity on its way: its first mention and count, and the record until it is numbered.
struct Pending {
    first: usize,
    count: usize,
    entity: Option<Entity>,
}

fn add_alias(entity: &mut Entity, surface: &str) {
    if surface != entity.name && !entity.aliases.iter().any(|a| a == surface) {
        entity.aliases.push(surface.to_string());
    }
}

/// One entity per date value, and a mention for each date.
fn add_dates(
    text: &str,
    dates: Vec<DateMention>,
    pending: &mut Vec<Pending>,
    mentions: &mut Vec<(Range<usize>, usize)>,
) {
    let mut by_value: HashMap<String, usize> = HashMap::new();
    for d in dates {
        let surface = &text[d.bytes.clone()];
        let key = d.value.clone().unwrap_or_else(|| name_key(surface));
        let i = *by_value.entry(key.clone()).or_insert_with(|| {
            pending.push(Pending {
                first: d.bytes.start,
                count: 0,
                entity: Some(Entity {
                    id: String::new(),
                    name: surface.to_string(),
                    kind: EntityKind::Date,
                    role: None,
                    aliases: Vec::new(),
                    mentions: 0,
                    key,
                    value: d.value.clone(),
                    anchor: d.anchor.clone(),
                }),
            });
            pending.len() - 1
        });
        let p = &mut pending[i];
        add_alias(p.entity.as_mut().expect("taken only below"), surface);
        p.count += 1;
        mentions.push((d.bytes, i));
    }
}

/// Mentions in text order, those at the same place by entity: what a stable sort of them
/// listed entity by entity gives (equal keys are equal records). The finder's mentions (the
/// first `from_finder`) and the dates are each in text order already: merged.
fn in_text_order(
    mentions: Vec<(Range<usize>, usize)>,
    from_finder: usize,
) -> Vec<(Range<usize>, usize)> {
    let key = |m: &(Range<usize>, usize)| (m.0.start, m.0.end, m.1);
    let (names, dates) = mentions.split_at(from_finder);
    if names.is_sorted_by_key(key) && dates.is_sorted_by_key(key) {
        let mut merged = Vec::with_capacity(mentions.len());
        let (mut a, mut b) = (names.iter().peekable(), dates.iter().peekable());
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            if key(y) < key(x) {
                merged.push(b.next().expect("peeked").clone());
            } else {
                merged.push(a.next().expect("peeked").clone());
            }
        }
        merged.extend(a.cloned());
        merged.extend(b.cloned());
        merged
    } else {
        let mut all = mentions;
        all.sort_unstable_by_key(key);
        all
    }
}
