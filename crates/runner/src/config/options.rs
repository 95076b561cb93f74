//! Options tables reported in full: every bad key of a section, not only the first serde
//! meets; and the paths exporters write to, kept inside the output folder and apart.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Component, Path};

use toml::de::{DeValue, ValueDeserializer};
use toml::Spanned;

use super::Validator;
use crate::registry::StageEntry;

/// Options of exporters that name where they write, relative to the output folder.
const PATH_OPTIONS: [&str; 2] = ["dir", "file"];

/// The paths exporters claimed so far: (type, option, normalized path) → instance.
#[derive(Default)]
pub(super) struct ExportPaths(BTreeMap<(&'static str, &'static str, String), String>);

impl Validator<'_> {
    /// Deserializes `value` with `parse`; after an error the key it is about is set aside and
    /// the rest deserialized again, so that every mistake is reported at once. `None` if there
    /// was any.
    pub(super) fn deserialize_all<'i, T>(
        &mut self,
        value: &Spanned<DeValue<'i>>,
        context: &str,
        unknown_field_help: Option<&str>,
        parse: impl Fn(ValueDeserializer<'i>) -> Result<T, toml::de::Error>,
    ) -> Option<T> {
        let mut value = value.clone();
        let mut failed = false;
        loop {
            let e = match parse(ValueDeserializer::from(value.clone())) {
                Ok(parsed) => return (!failed).then_some(parsed),
                Err(e) => e,
            };
            failed = true;
            self.toml_error(&e, context);
            if let (Some(help), true) = (unknown_field_help, e.message().contains("unknown field"))
            {
                if let Some(last) = self.diagnostics.last_mut() {
                    last.help = Some(help.to_string());
                }
            }
            // Without a place, or a place in no key, there is nothing to set aside.
            if !e
                .span()
                .is_some_and(|span| remove_key_at(&mut value, &span))
            {
                return None;
            }
        }
    }

    /// Every problem of a stage's options; true when there is none.
    pub(super) fn check_options(
        &mut self,
        instance: &str,
        entry: &StageEntry,
        options: &Spanned<DeValue<'_>>,
    ) -> bool {
        let context = format!("[stages.{instance}] ({}): ", entry.name);
        let help = format!("`newsmill stages` lists the options of `{}`", entry.name);
        self.deserialize_all(options, &context, Some(&help), entry.check_options)
            .is_some()
    }

    /// An exporter's `dir` or `file` must stay inside the output folder, and two exporters of
    /// one type must not write the same files. Problems point at the option, or at the
    /// stage's place in the list (`listed`) for a default. True when all is well.
    pub(super) fn check_export_paths(
        &mut self,
        instance: &str,
        entry: &StageEntry,
        options: &Spanned<DeValue<'_>>,
        listed: Range<usize>,
        claimed: &mut ExportPaths,
    ) -> bool {
        let defaults: toml::Table = (entry.defaults)().parse().unwrap_or_default();
        let mut ok = true;
        for key in PATH_OPTIONS {
            let Some(default) = defaults.get(key).and_then(|v| v.as_str()) else {
                continue;
            };
            let given = options.get_ref().as_table().and_then(|t| {
                let (_, value) = t.iter().find(|(k, _)| k.get_ref() == key)?;
                Some((value.get_ref().as_str()?.to_string(), value.span()))
            });
            let (path, span) = match &given {
                Some((path, span)) => (path.as_str(), span.clone()),
                None => (default, listed.clone()),
            };
            let place = format!("[stages.{instance}] ({}) `{key}` = {path:?}", entry.name);
            let Some(normal) = inside_output(path) else {
                self.error(Some(span), format!("{place} leaves the output folder"))
                    .help("name a path inside the output folder: relative, without `..`, and not in `.newsmill` (which holds the runs)");
                ok = false;
                continue;
            };
            let claim = (entry.name, key, normal);
            if let Some(other) = claimed.0.get(&claim) {
                let message = format!(
                    "{place}: exporter `{other}` writes there too, and one would overwrite the other"
                );
                self.error(Some(span), message).help(format!(
                    "give each `{}` exporter its own `{key}`",
                    entry.name
                ));
                ok = false;
            } else {
                claimed.0.insert(claim, instance.to_string());
            }
        }
        ok
    }
}

/// `path` with `.` parts dropped (`a/./b/` → `a/b`), if it stays inside the folder it is
/// relative to and out of the `.newsmill` folder; `None` otherwise.
pub(crate) fn inside_output(path: &str) -> Option<String> {
    let mut parts = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    if parts
        .first()
        .is_some_and(|p| p.starts_with(export::STATE_DIR))
    {
        return None;
    }
    Some(parts.join("/"))
}

/// Removes from `value` (a table) the key the error at `span` is about: the key at the span,
/// at any depth, or else the key whose value holds it. False when no key holds it. (The span
/// of a table opened by a `[header]` does not cover its keys, so keys are searched first.)
fn remove_key_at(value: &mut Spanned<DeValue<'_>>, span: &Range<usize>) -> bool {
    let within = |outer: Range<usize>| outer.start <= span.start && span.end <= outer.end;
    let DeValue::Table(table) = value.get_mut() else {
        return false;
    };
    let at_key = table.iter().find(|(k, _)| within(k.span()));
    if let Some(key) = at_key.map(|(k, _)| k.clone()) {
        return table.remove(&key).is_some();
    }
    for (_, inner) in table.iter_mut() {
        if remove_key_at(inner, span) {
            return true;
        }
    }
    let at_value = table.iter().find(|(_, v)| within(v.span()));
    match at_value.map(|(k, _)| k.clone()) {
        Some(key) => table.remove(&key).is_some(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::inside_output;

    #[test]
    fn exporter_paths_stay_inside_the_output_folder() {
        assert_eq!(inside_output("").as_deref(), Some(""));
        assert_eq!(inside_output("csv/").as_deref(), Some("csv"));
        assert_eq!(inside_output("./a/./b").as_deref(), Some("a/b"));
        for outside in [
            "..",
            "../x",
            "a/../../x",
            "/tmp/x",
            ".newsmill",
            ".newsmill/gen-000001",
        ] {
            assert_eq!(inside_output(outside), None, "{outside}");
        }
    }
}
