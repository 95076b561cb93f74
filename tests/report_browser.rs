//! The seeds' `report.html` as a person sees it: rendered by headless Chromium, its visible
//! text read back from the DOM, its width measured at a desktop and a phone width, and a
//! screenshot of each kept in `target/report-browser/` to look at.
//!
//! Chromium is found on the PATH (`chromium`, `chromium-browser`, `google-chrome`); `.ci/run`
//! installs it. Without it the test fails when `CI=true` and skips with a message otherwise.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs Chromium headless on `page` at `width` px with `extra` flags; its standard output.
fn render(chromium: &Path, page: &Path, width: u32, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},2400"))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(out.status.success(), "chromium: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// A page that shows the report in a frame exactly `width` px wide (headless Chromium will
/// not make a window narrower than 500 px) and copies into its own DOM what the frame shows:
/// the report's scroll width, its width, and the text a reader sees (`innerText`) of its
/// header and of each section, by the id of the section's heading.
fn probe(dir: &Path, width: u32) -> PathBuf {
    let page = dir.join(format!("probe-{width}.html"));
    let html = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><style>pre{{display:none}}</style>\
         <iframe id=\"f\" src=\"report.html\" style=\"border:0;width:{width}px;height:2000px\"></iframe>\
         <script>\
         document.getElementById('f').addEventListener('load', function () {{\
           var doc = this.contentDocument, d = doc.documentElement;\
           document.body.setAttribute('data-scroll-width', d.scrollWidth);\
           document.body.setAttribute('data-client-width', d.clientWidth);\
           var parts = [['header', doc.querySelector('header')]];\
           doc.querySelectorAll('section').forEach(function (s) {{\
             parts.push([s.querySelector('h2').id, s]);\
           }});\
           parts.forEach(function (p) {{\
             var pre = document.createElement('pre');\
             pre.id = 'seen-' + p[0];\
             pre.textContent = p[1].innerText;\
             document.body.appendChild(pre);\
           }});\
         }});</script></body></html>"
    );
    std::fs::write(&page, html).unwrap();
    page
}

fn attribute(dom: &str, name: &str) -> u32 {
    let at = dom
        .find(&format!("{name}=\""))
        .unwrap_or_else(|| panic!("{name} in the DOM"));
    let rest = &dom[at + name.len() + 2..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

/// The text the frame showed of the header or a section, unescaped from the DOM dump.
fn seen(dom: &str, part: &str) -> String {
    let open = format!("<pre id=\"seen-{part}\">");
    let start = dom
        .find(&open)
        .unwrap_or_else(|| panic!("{part} in the page"))
        + open.len();
    let end = start + dom[start..].find("</pre>").unwrap();
    dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn the_seeds_report_reads_right_in_a_real_browser() {
    let Some(chromium) = chromium() else {
        let message = "chromium is not installed (apt-get install -y chromium)";
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("skipped: {message}");
        return;
    };
    let dir = root().join("target/report-browser");
    let _ = std::fs::remove_dir_all(&dir);
    let out = newsmill(
        &root(),
        &["run", "--quiet", "--output", dir.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = dir.join("report.html");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network"
    );

    for width in [1280, 400] {
        let dom = render(&chromium, &probe(&dir, width), width + 40, &["--dump-dom"]);
        let (scroll, client) = (
            attribute(&dom, "data-scroll-width"),
            attribute(&dom, "data-client-width"),
        );
        assert_eq!(client, width);
        assert!(
            scroll <= width,
            "at {width} px the page is {scroll} px wide"
        );
        // The phone width is seen through the probe's frame, the only way to get it.
        let shot = dir.join(format!("report-{width}.png"));
        let page = if width < 500 {
            probe(&dir, width)
        } else {
            report.clone()
        };
        let flag = format!("--screenshot={}", shot.display());
        render(&chromium, &page, width + 40, &[&flag]);
        assert!(
            std::fs::metadata(&shot).unwrap().len() > 20_000,
            "a screenshot with something on it"
        );
        if width == 1280 {
            what_a_reader_sees(&dom);
        }
    }
}

fn what_a_reader_sees(dom: &str) {
    let header = seen(dom, "header");
    assert!(header.starts_with("Newsmill report\n"), "{header}");
    for stat in [
        "Documents\n5",
        "Dates\n2025-08-21",
        "Failed documents\nnone",
    ] {
        assert!(header.contains(stat), "{stat}: {header}");
    }
    let speakers = seen(dom, "speakers");
    let first = speakers
        .find("Steve Witkoff")
        .expect("the most quoted speaker");
    for name in [
        "Donald Trump",
        "Volodymyr Zelensky",
        "Marco Rubio",
        "Emmanuel Macron",
    ] {
        let at = speakers
            .find(name)
            .unwrap_or_else(|| panic!("{name} among the speakers"));
        assert!(first < at, "Steve Witkoff is quoted most, before {name}");
    }
    let witkoff = &speakers[speakers.rfind("Steve Witkoff").unwrap()..];
    let row = &witkoff[..witkoff.find('\n').unwrap()];
    assert!(
        row.to_lowercase().contains("envoy"),
        "a speaker's role: {row}"
    );
    let corroborated = seen(dom, "corroborated");
    let quote = corroborated
        .find("We were able to win the following concession")
        .expect("the quote two documents carry");
    let block = &corroborated[quote..];
    let block = &block[..block.find("“robust”").unwrap_or(block.len())];
    assert!(block.contains("2 outlets"), "{block}");
    for doc in ["002_4d88c86143ff9ccf", "003_87b9127092bce8b2"] {
        assert!(block.contains(doc), "{doc} carries it: {block}");
    }
    let discrepancies = seen(dom, "discrepancies");
    for evidence in [
        "Donetsk",
        "75%",
        "70%",
        "approximately three-quarters of Donetsk",
        "about 70% of Donetsk",
    ] {
        assert!(
            discrepancies.contains(evidence),
            "{evidence}: {discrepancies}"
        );
    }
    let timeline = seen(dom, "timeline");
    assert!(timeline.contains("2025-08-21"), "{timeline}");
    assert!(timeline.contains("4 give no date"), "{timeline}");
    let documents = seen(dom, "documents");
    assert!(
        documents.contains("Trump’s Envoy Claims Major Concessions From Putin"),
        "a title"
    );
    assert!(documents.contains("Charlotte Hayes"), "an author");
}
