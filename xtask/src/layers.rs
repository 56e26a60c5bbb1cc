//! `cargo xtask layers`, also the first step of `cargo xtask test`: which module of `src/` imports
//! which, read from the text (`crate::`, `super::` and `self::` paths, `use` groups included).
//!
//! The crate is meant to be read one layer at a time, plain data at the bottom and the view on
//! top, so three things are refused: a circle between modules (neither can be understood or moved
//! alone), an import from a higher layer (the lower one would stop being usable without it), and
//! `crate::Name` through lib.rs's re-exports (it hides where a name lives, and ties every file to
//! the root, where circles no longer show). Text, not the compiler: no tool to install,
//! milliseconds to run, and enough for paths that rustfmt keeps in one shape.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::report::Outcome;
use crate::{banner, Result};

/// The top-level modules by layer, lowest first: a module may import only from its own layer or a
/// lower one.
const LAYERS: [&[&str]; 6] = [
    &["text", "message", "close", "error"], // plain data
    &["platform"],
    &["socket"],
    &["codec"],
    &["reconnect"],
    &["view"],
];

/// What the check found: one finding a line (a circle's imports on the lines below it).
#[derive(Debug, Default)]
pub(crate) struct Report {
    modules: usize,
    /// Importing module and imported one, with the file and line of the first such import.
    edges: BTreeMap<(String, String), (String, usize)>,
    unknown: Vec<String>,
    circles: Vec<String>,
    upward: Vec<String>,
    by_path: Vec<String>,
}

impl Report {
    fn findings(&self) -> impl Iterator<Item = &String> {
        [&self.unknown, &self.circles, &self.upward, &self.by_path]
            .into_iter()
            .flatten()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.findings().try_for_each(|line| writeln!(f, "{line}"))?;
        let (circles, upward, by_path) =
            (self.circles.len(), self.upward.len(), self.by_path.len());
        let (modules, imports) = (self.modules, self.edges.len());
        write!(
            f,
            "module layers: {modules} modules, {imports} imports, {circles} circles, \
             {upward} upward, {by_path} through the root"
        )?;
        match self.unknown.len() {
            0 => Ok(()),
            n => write!(f, ", {n} unknown layers"),
        }
    }
}

/// The check of `src`, printed under a banner, as one step of a summary.
pub(crate) fn outcome(src: &Path) -> Outcome {
    banner("module layers");
    let ok = match check(src) {
        Ok(report) => {
            println!("{report}");
            report.findings().next().is_none()
        }
        Err(e) => {
            eprintln!("{e:#}");
            false
        }
    };
    Outcome {
        name: "module layers".into(),
        passed: 0,
        failed: 0,
        ok,
    }
}

pub(crate) fn check(src: &Path) -> Result<Report> {
    let mut modules = BTreeMap::new();
    find_modules(src, &mut Vec::new(), &mut modules)?;
    let shown = |p: &Path| {
        p.strip_prefix(src.parent().unwrap_or(src))
            .unwrap_or(p)
            .display()
            .to_string()
    };
    let top = |m: &str| m.split("::").next().unwrap_or_default().to_owned();
    // A folder without its mod.rs (a move half done) is still a module, not an item of the root.
    let tops: BTreeSet<String> = modules
        .keys()
        .map(|m| top(m))
        .filter(|m| !m.is_empty())
        .collect();
    let mut report = Report {
        modules: modules.len(),
        ..Report::default()
    };
    for (module, path) in &modules {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let here: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
        let mut through_root = BTreeSet::new();
        for (line, written, target) in imports(&tokens(&text), &here) {
            let to = (0..=target.len())
                .rev()
                .map(|n| target[..n].join("::"))
                .find(|m| modules.contains_key(m));
            let to = to.unwrap_or_default();
            let first = target.first().cloned().unwrap_or_default();
            if to.is_empty()
                && !module.is_empty()
                && !tops.contains(&first)
                && through_root.insert(first)
            {
                report.by_path.push(format!(
                    "by path: {}:{line} imports {written} through the crate root; \
                     import it from its module",
                    shown(path)
                ));
            } else if !related(module, &to) {
                report
                    .edges
                    .entry((module.clone(), to))
                    .or_insert((shown(path), line));
            }
        }
    }
    let rank = |m: &str| {
        LAYERS
            .iter()
            .position(|layer| layer.contains(&top(m).as_str()))
    };
    for name in tops.iter().filter(|name| rank(name).is_none()) {
        let at = modules
            .get(name)
            .map_or_else(|| format!("{}/", shown(&src.join(name))), |p| shown(p));
        report.unknown.push(format!(
            "unknown layer: {name} ({at}): add it to LAYERS in xtask/src/layers.rs"
        ));
    }
    for ((from, to), (file, line)) in &report.edges {
        if let (Some(a), Some(b)) = (rank(from), rank(to)) {
            if b > a {
                let (upper, lower) = (top(from), top(to));
                report.upward.push(format!(
                    "layer: {file}:{line}: {from} imports {to} \
                     ({upper} may not import from {lower})"
                ));
            }
        }
    }
    for circle in circles(&report.edges) {
        let mut lines = vec![format!(
            "circle: {}",
            Vec::from_iter(circle.iter().cloned()).join(" <-> ")
        )];
        for ((from, to), (file, line)) in &report.edges {
            if circle.contains(from) && circle.contains(to) {
                lines.push(format!("    {file}:{line}: {from} imports {to}"));
            }
        }
        report.circles.push(lines.join("\n"));
    }
    Ok(report)
}

/// Each `.rs` file under `dir` by its module path: `a/mod.rs` and `a.rs` are `a`, lib.rs is "".
fn find_modules(
    dir: &Path,
    at: &mut Vec<String>,
    out: &mut BTreeMap<String, PathBuf>,
) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            at.push(name);
            find_modules(&path, at, out)?;
            at.pop();
        } else if path.extension().is_some_and(|e| e == "rs") {
            let own = !(name == "mod" || (name == "lib" && at.is_empty()));
            out.insert(
                Vec::from_iter(at.iter().chain(own.then_some(&name)).cloned()).join("::"),
                path,
            );
        }
    }
    Ok(())
}

/// Whether one module is the other or its ancestor: a parent's re-exports of its children and a
/// child's `use super::*` are how modules are declared, not imports between them.
fn related(a: &str, b: &str) -> bool {
    let under =
        |child: &str, parent: &str| parent.is_empty() || child.starts_with(&format!("{parent}::"));
    a == b || under(a, b) || under(b, a)
}

/// The rings of modules that import one another, each once (few modules: reachability will do).
fn circles(edges: &BTreeMap<(String, String), (String, usize)>) -> Vec<BTreeSet<String>> {
    let reach = |start: &String| {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![start]);
        while let Some(m) = todo.pop() {
            for ((_, to), _) in edges
                .range((m.clone(), String::new())..)
                .take_while(|((f, _), _)| f == m)
            {
                if seen.insert(to.clone()) {
                    todo.push(to);
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|(m, _)| (m, reach(m))).collect();
    let mut found: Vec<BTreeSet<String>> = Vec::new();
    for (m, from_m) in &reached {
        let ring = BTreeSet::from_iter(
            from_m
                .iter()
                .filter(|o| reached.get(o).is_some_and(|r| r.contains(*m)))
                .cloned(),
        );
        if ring.len() > 1 && !found.contains(&ring) {
            found.push(ring);
        }
    }
    found
}

/// The words, `::` and other marks of a file, each with its line, leaving out comments (block ones
/// taken as unnested), strings and char literals: a `crate::x` in a doc comment is no import, and
/// a `'{'` would throw off the braces that tell where an inline `mod tests` ends.
fn tokens(text: &str) -> Vec<(String, usize)> {
    let c: Vec<char> = text.chars().collect();
    let after = |from: usize, what: &[char]| {
        (from..c.len())
            .find(|&j| c[j..].starts_with(what))
            .map_or(c.len(), |j| j + what.len())
    };
    let (mut out, mut line, mut i) = (Vec::new(), 1, 0);
    while i < c.len() {
        let word = i + c[i..]
            .iter()
            .take_while(|&&ch| ch.is_alphanumeric() || ch == '_')
            .count();
        let hashes = c[word..].iter().take_while(|&&h| h == '#').count();
        let (end, keep) = match &c[i..] {
            ['/', '/', ..] => (after(i, &['\n']), false),
            ['/', '*', ..] => (after(i + 2, &['*', '/']), false),
            ['r' | 'b' | 'c', ..]
                if matches!(&c[i..word], ['r'] | ['b' | 'c', 'r'])
                    && c.get(word + hashes) == Some(&'"') =>
            {
                let close =
                    Vec::from_iter(std::iter::once('"').chain(std::iter::repeat_n('#', hashes)));
                (after(word + hashes + 1, &close), false)
            }
            ['"', ..] => {
                let mut j = i + 1;
                while j < c.len() && c[j] != '"' {
                    j += if c[j] == '\\' { 2 } else { 1 };
                }
                ((j + 1).min(c.len()), false)
            }
            ['\'', '\\', ..] => (after(i + 3, &['\'']), false),
            ['\'', _, '\'', ..] => (i + 3, false),
            [':', ':', ..] => (i + 2, true),
            _ if word > i => (word, true),
            _ => (i + 1, !c[i].is_whitespace()),
        };
        if keep {
            out.push((String::from_iter(&c[i..end]), line));
        }
        line += c[i..end].iter().filter(|&&ch| ch == '\n').count();
        i = end;
    }
    out
}

/// Every `crate::`, `super::` and `self::` path of the file of module `here`: its line, as written,
/// and from the crate root. A `super::` inside `mod tests { }` starts from that inline module.
fn imports(tokens: &[(String, usize)], here: &[&str]) -> Vec<(usize, String, Vec<String>)> {
    let word = |i: usize| tokens.get(i).map_or("", |t| t.0.as_str());
    let (mut found, mut inline, mut depth, mut i) = (Vec::new(), Vec::new(), 0usize, 0);
    while i < tokens.len() {
        match word(i) {
            "mod" if word(i + 2) == "{" => {
                inline.push((word(i + 1), depth));
                (depth, i) = (depth + 1, i + 2);
            }
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|m| m.1 == depth) {
                    inline.pop();
                }
            }
            head @ ("crate" | "super" | "self")
                if word(i + 1) == "::"
                    && !matches!(i.checked_sub(1).map_or("", word), "$" | "::") =>
            {
                let mut base =
                    Vec::from_iter(here.iter().copied().chain(inline.iter().map(|m| m.0)));
                if head == "crate" {
                    base.clear();
                }
                let start = i;
                if head != "super" {
                    i += 2;
                }
                while word(i) == "super" && word(i + 1) == "::" {
                    base.pop();
                    i += 2;
                }
                let written = String::from_iter(tokens[start..i].iter().map(|t| t.0.as_str()));
                let mut paths = Vec::new();
                path_tree(tokens, &mut i, Vec::new(), &mut paths);
                for (path, line) in paths {
                    let target = base
                        .iter()
                        .map(|s| s.to_string())
                        .chain(path.iter().cloned())
                        .collect();
                    found.push((line, format!("{written}{}", path.join("::")), target));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Reads a `use` tree, or an inline path, from `tokens[*i]` on: each path it names, with the line
/// of its last segment. A macro (`crate::name!`) names nothing that a module could re-export.
fn path_tree(
    tokens: &[(String, usize)],
    i: &mut usize,
    mut path: Vec<String>,
    out: &mut Vec<(Vec<String>, usize)>,
) {
    let word = |i: usize| tokens.get(i).map_or("", |t| t.0.as_str());
    let line = loop {
        let line = tokens.get(*i).map_or(0, |t| t.1);
        match word(*i) {
            "{" => {
                *i += 1;
                while !matches!(word(*i), "}" | "") {
                    let before = *i;
                    path_tree(tokens, i, path.clone(), out);
                    if word(*i) == "," || *i == before {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            "self" => *i += 1,
            w if w == "*" || w.starts_with(|c: char| c.is_alphabetic() || c == '_') => {
                path.push(w.to_owned());
                *i += 1;
                match (word(*i), word(*i + 1)) {
                    ("!", _) => return,
                    ("::", next) if next != "<" => {
                        *i += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            _ if path.is_empty() => return,
            _ => {}
        }
        break line;
    };
    if word(*i) == "as" {
        *i += 2;
    }
    out.push((path, line));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const LIB: (&str, &str) = (
        "lib.rs",
        "mod text;\nmod socket;\npub use socket::WebSocket;\n",
    );

    /// The report on a `src/` of lib.rs and `files`, written to a folder of its own and removed.
    fn check_tree(files: &[(&str, &str)]) -> Report {
        static TREES: AtomicUsize = AtomicUsize::new(0);
        let n = TREES.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("xtask-layers-{}-{n}", std::process::id()));
        for (path, text) in [LIB].iter().chain(files) {
            let path = dir.join("src").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let report = check(&dir.join("src"));
        std::fs::remove_dir_all(&dir).unwrap();
        report.unwrap()
    }

    fn edges(report: &Report) -> Vec<(&str, &str)> {
        report
            .edges
            .keys()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect()
    }

    #[test]
    fn finds_a_circle_between_two_files() {
        let report = check_tree(&[
            ("text.rs", "use crate::message::Message;\n"),
            ("message.rs", "\n\nfn f() { crate::text::g() }\n"),
        ]);
        let expected = "circle: message <-> text
    src/message.rs:3: message imports text
    src/text.rs:1: text imports message";
        assert_eq!(report.circles, [expected]);
    }

    #[test]
    fn finds_a_circle_through_super() {
        let report = check_tree(&[
            ("socket/mod.rs", "mod receive;\nmod shared;\n"),
            ("socket/receive.rs", "use super::shared::Shared;\n"),
            ("socket/shared.rs", "use super::receive::{Item, Queue};\n"),
        ]);
        assert!(
            report.circles[0].starts_with("circle: socket::receive <-> socket::shared\n"),
            "{report}"
        );
    }

    #[test]
    fn nested_groups_give_an_edge_to_each_module() {
        let text = "use crate::{
    message::Message,
    platform::{Live, ticker::{Tick, Ticker as T}},
};
";
        let report = check_tree(&[
            ("message.rs", ""),
            ("platform/mod.rs", ""),
            ("platform/ticker.rs", ""),
            ("socket.rs", text),
        ]);
        assert_eq!(
            edges(&report),
            [
                ("socket", "message"),
                ("socket", "platform"),
                ("socket", "platform::ticker")
            ]
        );
        assert_eq!(
            report.edges[&("socket".into(), "platform::ticker".into())],
            ("src/socket.rs".into(), 3)
        );
    }

    #[test]
    fn an_import_from_a_higher_layer_is_refused() {
        let report = check_tree(&[
            ("socket/shared.rs", ""),
            (
                "platform/ticker.rs",
                "\nuse crate::socket::shared::Shared;\n",
            ),
        ]);
        let expected = "layer: src/platform/ticker.rs:2: platform::ticker imports socket::shared \
                        (platform may not import from socket)";
        assert_eq!(report.upward, [expected]);
    }

    #[test]
    fn an_import_through_the_crate_root_is_refused() {
        let text = "use crate::WebSocket;\nuse crate::{text::Text, Error};\n\
                    crate::log!(\"x\");\n$crate::Y\n";
        let report = check_tree(&[("text.rs", ""), ("message.rs", text)]);
        let finding = |at, name| {
            format!(
                "by path: src/message.rs:{at} imports crate::{name} through the crate root; \
                 import it from its module"
            )
        };
        assert_eq!(
            report.by_path,
            [finding(1, "WebSocket"), finding(2, "Error")]
        );
    }

    #[test]
    fn a_mod_rs_re_exporting_its_children_is_no_import() {
        let module = "mod shared;\npub use self::shared::Shared;\npub use shared::Other;\n\
                      use crate::socket::shared::X;\n";
        let child = "use super::Socket;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n";
        let report = check_tree(&[("socket/mod.rs", module), ("socket/shared.rs", child)]);
        assert!(
            report.edges.is_empty() && report.findings().next().is_none(),
            "{report}"
        );
    }

    #[test]
    fn comments_and_strings_are_no_imports() {
        let text = "//! [`S`](crate::socket::S)\n// use crate::socket::X;\n\
                    /* crate::socket::Y\n crate::socket::Z */\n\
                    fn f() { (\"crate::socket::{\", r#\"crate::socket\"#, '{') }\n";
        let report = check_tree(&[("socket.rs", ""), ("platform.rs", text)]);
        assert!(
            report.edges.is_empty() && report.findings().next().is_none(),
            "{report}"
        );
    }

    #[test]
    fn an_unknown_top_level_module_is_reported() {
        let report = check_tree(&[("shiny/mod.rs", ""), ("shiny/new.rs", "")]);
        assert_eq!(
            report.unknown,
            ["unknown layer: shiny (src/shiny/mod.rs): add it to LAYERS in xtask/src/layers.rs"]
        );
    }

    #[test]
    fn a_clean_tree_passes() {
        let report = check_tree(&[
            (
                "text.rs",
                "pub struct Text;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
            ),
            ("message.rs", "use crate::text::Text;\n"),
            ("platform/mod.rs", "pub(crate) mod ticker;\n"),
            (
                "platform/ticker.rs",
                "use crate::message::Message;\nfn f<'a>(_: &'a str) -> char { '}' }\n",
            ),
            ("socket/mod.rs", "mod shared;\npub use shared::WebSocket;\n"),
            (
                "socket/shared.rs",
                "use crate::platform::ticker::Ticker;\nuse super::super::text::Text;\n",
            ),
        ]);
        let expected =
            "module layers: 7 modules, 4 imports, 0 circles, 0 upward, 0 through the root";
        assert_eq!(report.to_string(), expected);
    }
}
