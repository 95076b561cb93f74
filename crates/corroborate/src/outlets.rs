//! Outlet identity: one name per outlet however a document gives it (`www.nytimes.com`,
//! `nytimes.com`, `NYT`, `The New York Times`), from the list in `data/outlets/outlets.txt`.

use rustc_hash::FxHashMap;

use crate::names::fold_name;

const LIST: &str = include_str!("../../../data/outlets/outlets.txt");
const LIST_PATH: &str = "data/outlets/outlets.txt";

/// Prefixes of a host that name no other outlet (`www.`, the mobile and AMP editions).
const HOST_PREFIXES: &[&str] = &["www.", "m.", "amp.", "mobile.", "edition."];

/// The outlets of the list, found by host or by folded name.
pub struct Outlets {
    names: Vec<String>,
    by_host: FxHashMap<String, usize>,
    by_name: FxHashMap<String, usize>,
}

impl Outlets {
    /// The embedded list.
    pub fn embedded() -> Result<Outlets, String> {
        Outlets::parse(LIST).map_err(|(line, e)| format!("{LIST_PATH}:{line}: {e}"))
    }

    /// Parses `Name|host,host|alias,alias` lines; an error carries its line number.
    fn parse(list: &str) -> Result<Outlets, (usize, String)> {
        let mut outlets = Outlets {
            names: Vec::new(),
            by_host: FxHashMap::default(),
            by_name: FxHashMap::default(),
        };
        for (i, line) in list.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('|');
            let name = fields.next().unwrap_or_default().trim();
            let hosts = fields.next().unwrap_or_default();
            let aliases = fields.next().unwrap_or_default();
            if name.is_empty() || fields.next().is_some() {
                return Err((i + 1, format!("expected Name|hosts|aliases, got {line:?}")));
            }
            let at = outlets.names.len();
            outlets.names.push(name.to_string());
            for host in items(hosts) {
                if outlets.by_host.insert(bare_host(host), at).is_some() {
                    return Err((i + 1, format!("host {host} is listed twice")));
                }
            }
            for alias in std::iter::once(name).chain(items(aliases)) {
                if let Some(other) = outlets.by_name.insert(fold_name(alias), at) {
                    if other != at {
                        return Err((i + 1, format!("name {alias} is listed twice")));
                    }
                }
            }
        }
        Ok(outlets)
    }

    /// The outlet of a document, from the outlet it gives (a name or a host) or else its
    /// URL's host: the list's name when listed, else the name as written or the bare host.
    pub fn identify(&self, outlet: Option<&str>, url: Option<&str>) -> Option<String> {
        let given = outlet.map(str::trim).filter(|o| !o.is_empty());
        if let Some(given) = given {
            if let Some(host) = as_host(given) {
                return Some(self.by_host(&host).unwrap_or(host));
            }
            let listed = self.by_name.get(&fold_name(given));
            return Some(listed.map_or(given.to_string(), |&i| self.names[i].clone()));
        }
        let host = url.and_then(as_host)?;
        Some(self.by_host(&host).unwrap_or(host))
    }

    /// The listed outlet of `host` or of a host it is under (`news.yahoo.com`).
    fn by_host(&self, host: &str) -> Option<String> {
        let mut at = host;
        loop {
            if let Some(&i) = self.by_host.get(at) {
                return Some(self.names[i].clone());
            }
            // Keep at least a name and a top-level domain.
            let (_, rest) = at.split_once('.')?;
            if !rest.contains('.') {
                return None;
            }
            at = rest;
        }
    }
}

/// The comma-separated items of a field.
fn items(field: &str) -> impl Iterator<Item = &str> {
    field.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// `host` lowercase, without a prefix that names no other outlet.
fn bare_host(host: &str) -> String {
    let mut host = host.trim().trim_end_matches('.').to_lowercase();
    while let Some(p) = HOST_PREFIXES.iter().find(|p| host.starts_with(**p)) {
        host = host[p.len()..].to_string();
    }
    host
}

/// The host of a URL (`https://www.nytimes.com/2025/…`) or of a bare host
/// (`www.nytimes.com`), or `None` for anything else (a name such as `The Ledger`).
fn as_host(text: &str) -> Option<String> {
    let rest = text.split_once("://").map_or(text, |(scheme, rest)| {
        if scheme.chars().all(|c| c.is_ascii_alphabetic()) {
            rest
        } else {
            text
        }
    });
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    let tld = host.rsplit_once('.')?.1;
    let hostlike = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && (2..=12).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_alphabetic());
    hostlike.then(|| bare_host(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_names_and_urls_meet_on_one_outlet() {
        // The embedded list parses, each host and name listed once.
        let outlets = Outlets::embedded().unwrap();
        let nyt = Some("The New York Times".to_string());
        for given in [
            "www.nytimes.com",
            "nytimes.com",
            "NYT",
            "New York Times",
            "the new york times",
        ] {
            assert_eq!(outlets.identify(Some(given), None), nyt, "{given}");
        }
        let url = Some("https://www.nytimes.com/2025/08/15/world/europe/alaska.html");
        assert_eq!(outlets.identify(None, url), nyt);
        assert_eq!(outlets.identify(Some("  "), url), nyt);
        assert_eq!(
            outlets.identify(None, Some("https://news.yahoo.com/a")),
            Some("Yahoo News".to_string())
        );
        // Unlisted: kept as written, or as the bare host.
        assert_eq!(
            outlets.identify(Some("The Ledger"), None),
            Some("The Ledger".to_string())
        );
        assert_eq!(
            outlets.identify(None, Some("http://www.example-news.org/x")),
            Some("example-news.org".to_string())
        );
        assert_eq!(outlets.identify(None, Some("not a url")), None);
        assert_eq!(outlets.identify(None, None), None);
    }

    #[test]
    fn a_host_listed_twice_is_an_error_with_its_line() {
        let err = Outlets::parse("A|a.com|\n# note\nB|a.com|").err().unwrap();
        assert_eq!(err.0, 3);
    }
}
