//! The `entities` stage: fills `doc.entities` (PERSON, ORG, PLACE, DATE; one per referent) and
//! `doc.mentions` (every mention, with its span).

use std::collections::HashMap;

use model::{
    BuildContext, Document, DocumentStage, Entity, EntityKind, Mention, StageError, StageOptions,
};
use serde::{Deserialize, Serialize};

use super::dates::find_dates_in;
use super::lexicon::{Extras, Lexicon};
use super::normalize::name_key;
use crate::text::spans;

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
    pub const DESCRIPTION: &'static str =
        "people with roles, organizations, places and dates; one entity per referent, with every mention";

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
        // (first mention, kind, name, role, aliases, key, value, anchor, mentions)
        struct Pending {
            first: usize,
            entity: Entity,
            mentions: Vec<std::ops::Range<usize>>,
        }
        let mut pending: Vec<Pending> = refs
            .referents
            .iter()
            .map(|r| Pending {
                first: usize::MAX,
                entity: Entity {
                    id: String::new(),
                    name: r.name.clone(),
                    kind: r.kind,
                    role: r.role.clone(),
                    aliases: Vec::new(),
                    mentions: 0,
                    key: r.key.clone(),
                    value: None,
                    anchor: None,
                },
                mentions: Vec::new(),
            })
            .collect();
        for m in &refs.mentions {
            if m.by_role && !self.options.role_mentions {
                continue;
            }
            let p = &mut pending[m.referent];
            p.first = p.first.min(m.bytes.start);
            p.mentions.push(m.bytes.clone());
            if !m.by_role {
                let surface = &doc.text[m.bytes.clone()];
                if surface != p.entity.name && !p.entity.aliases.iter().any(|a| a == surface) {
                    p.entity.aliases.push(surface.to_string());
                }
            }
        }
        if self.options.dates {
            let mut by_value: HashMap<String, usize> = HashMap::new();
            for d in find_dates_in(&doc.text, date_sentences, doc.meta.published, false) {
                let surface = &doc.text[d.bytes.clone()];
                let key = d.value.clone().unwrap_or_else(|| name_key(surface));
                let i = *by_value.entry(key.clone()).or_insert_with(|| {
                    pending.push(Pending {
                        first: d.bytes.start,
                        entity: Entity {
                            id: String::new(),
                            name: surface.to_string(),
                            kind: EntityKind::Date,
                            role: None,
                            aliases: Vec::new(),
                            mentions: 0,
                            key,
                            value: d.value.clone(),
                            anchor: d.anchor.clone(),
                        },
                        mentions: Vec::new(),
                    });
                    pending.len() - 1
                });
                let p = &mut pending[i];
                if surface != p.entity.name && !p.entity.aliases.iter().any(|a| a == surface) {
                    p.entity.aliases.push(surface.to_string());
                }
                p.mentions.push(d.bytes);
            }
        }
        pending.retain(|p| !p.mentions.is_empty());
        pending.sort_by_key(|p| p.first);
        let mut entities = Vec::with_capacity(pending.len());
        let mut owners = Vec::new();
        let mut ranges = Vec::new();
        for (i, mut p) in pending.into_iter().enumerate() {
            let id = format!("e{}", i + 1);
            p.entity.id = id;
            p.entity.mentions = p.mentions.len();
            for bytes in p.mentions {
                owners.push(i);
                ranges.push(bytes);
            }
            entities.push(p.entity);
        }
        // In text order, so spans are counted in one forward pass.
        let mut order: Vec<usize> = (0..ranges.len()).collect();
        order.sort_by_key(|&k| (ranges[k].start, ranges[k].end));
        let owners: Vec<usize> = order.iter().map(|&k| owners[k]).collect();
        let ranges: Vec<std::ops::Range<usize>> =
            order.iter().map(|&k| ranges[k].clone()).collect();
        let mentions: Vec<Mention> = spans(doc, &ranges)
            .into_iter()
            .zip(owners)
            .map(|(span, i)| Mention {
                entity_id: entities[i].id.clone(),
                text: doc.text[span.bytes.clone()].to_string(),
                span,
            })
            .collect();
        doc.entities = entities;
        doc.mentions = mentions;
        Ok(())
    }
}
