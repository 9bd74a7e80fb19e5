//! Placing problems in the project file's text (`line:col`) and showing
//! the parser's messages cut to a readable size.

use crate::model::{shown, SHOWN_CHARS};
use crate::validate::Place;

/// A parser's message as a problem shows it: every `quoted` part through
/// [`shown`], and the whole cut to a few lines' worth, since the TOML parser
/// echoes keys and values (a 2 MB unknown key, a 2 MB string of the wrong
/// type).
pub(crate) fn shown_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&shown(part));
        } else {
            out.push_str(part);
        }
    }
    match out.char_indices().nth(8 * SHOWN_CHARS) {
        None => out,
        Some((cut, _)) => format!("{}… ({} characters)", &out[..cut], out.chars().count()),
    }
}

pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Locates the first occurrence of `needle` in the text, for messages about
/// entries whose span the TOML parser no longer has.
pub(crate) fn find(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.find(needle).map(|o| line_col(text, o))
}

/// The text that marks where `place` is written in the project file.
pub(crate) fn needle(place: &Place) -> String {
    match place {
        Place::Name => "name".into(),
        Place::Component { id, .. } | Place::Node { id, .. } => id.clone(),
        Place::Wire { port, .. } | Place::Export { port, .. } => format!("\"{port}\""),
        Place::Binding { selector, .. } => selector.clone(),
        Place::FakeNode { fake } => fake.name().into(),
        Place::Preset { name, .. } => name.clone(),
        Place::Composite { name, inner } => match inner {
            None => format!("composites.{name}"),
            Some(inner) => format!("composites.{name}{ANCHOR}{}", needle(inner)),
        },
    }
}

/// Separates the parts of a needle that are found one after the other (a
/// composite's table, then the entry inside it).
const ANCHOR: char = '\0';

/// Locates a needle made by [`needle`]: its parts one after the other, each
/// searched after the previous one; a part not found places the problem at
/// the last part that was.
pub(crate) fn find_needle(text: &str, needle: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    let mut found = None;
    for part in needle.split(ANCHOR) {
        match text[from..].find(part) {
            Some(o) => {
                found = Some(from + o);
                from += o;
            }
            None => break,
        }
    }
    found.map(|o| line_col(text, o))
}

/// Where the preset `name` of `function` is written: its name after the
/// function's `[presets."…"]` table (or the first `presets` that names the
/// function), else the table itself.
pub(crate) fn find_preset(text: &str, function: &str, name: &str) -> Option<(usize, usize)> {
    let table = text.match_indices("presets").map(|(o, _)| o).find(|&o| {
        text[o..]
            .lines()
            .next()
            .is_some_and(|l| l.contains(function))
    })?;
    let offset = if name.is_empty() {
        table
    } else {
        text[table..].find(name).map_or(table, |o| table + o)
    };
    Some(line_col(text, offset))
}
