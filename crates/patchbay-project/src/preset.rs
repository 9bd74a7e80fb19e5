//! Argument presets: named arguments for a function the composition
//! exports, kept with the project so a team shares them. In the file:
//!
//! ```toml
//! [presets."handle-request"]
//! "get a" = '"get a"'
//! "set a" = '"set a 1"'
//!
//! [presets."patchbay:sandbox/probe#run-all"]
//! none = ""
//! ```
//!
//! The key is the call text before the arguments (the run panel's
//! function), each entry a name and the arguments as WAVE, without the
//! parentheses. Whether the arguments fit the function's types needs the
//! components, so it is checked where they are known (the run form, and
//! `patchbay call --preset`); here only the text's own rules are.
//!
//! ```
//! use patchbay_project::check_preset;
//! assert!(check_preset("handle-request", "get a", "\"get a\"").is_ok());
//! let e = check_preset("handle-request", "broken", "\"get a").unwrap_err();
//! assert!(e.contains("preset `broken` of `handle-request`"), "{e}");
//! ```

use crate::model::shown;
use indexmap::IndexMap;
use wasm_wave::untyped::UntypedFuncCall;

/// Argument presets by function (the call text before the arguments,
/// `handle-request` or `patchbay:sandbox/probe#run-all`), then by preset
/// name: the arguments as WAVE.
pub type Presets = IndexMap<String, IndexMap<String, String>>;

/// The longest preset name, in characters.
pub const MAX_PRESET_NAME: usize = 80;

/// Checks one preset: a function named like a call (no spaces or
/// parentheses), a name of one line, and arguments that read as WAVE. The
/// error names the preset and its function.
pub fn check_preset(function: &str, name: &str, args: &str) -> Result<(), String> {
    let what = || format!("preset `{}` of `{}`", shown(name), shown(function));
    if function.is_empty() {
        return Err(format!(
            "preset `{}`: the function is empty; write it as `[presets.\"handle-request\"]`",
            shown(name)
        ));
    }
    if function
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '(' || c == ')')
    {
        return Err(format!(
            "{}: `{}` is not a function to call (no spaces or parentheses; for example `handle-request` or `probe#run-all`)",
            what(),
            shown(function)
        ));
    }
    if name.trim().is_empty() {
        return Err(format!(
            "a preset of `{}` has an empty name",
            shown(function)
        ));
    }
    if name.chars().any(char::is_control) {
        let escaped: String = name.escape_debug().collect();
        return Err(format!(
            "preset `{}` of `{}`: a name is one line, without control characters",
            shown(&escaped),
            shown(function)
        ));
    }
    if name.chars().count() > MAX_PRESET_NAME {
        return Err(format!(
            "{}: the name is longer than {MAX_PRESET_NAME} characters",
            what()
        ));
    }
    // The arguments parse as they will in the call: `f(ARGS)`.
    let call = format!("f({args})");
    if let Err(e) = UntypedFuncCall::parse(&call) {
        // Spans count from `f(`; say where in the arguments.
        let at = e.span().start.saturating_sub(2);
        return Err(format!(
            "{}: the arguments `{}` are not WAVE ({} at character {})",
            what(),
            shown(args),
            e.kind(),
            at + 1
        ));
    }
    Ok(())
}

/// The problems of every preset, each with its function and name.
pub(crate) fn preset_problems(presets: &Presets) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (function, entries) in presets {
        if entries.is_empty() {
            out.push((
                function.clone(),
                String::new(),
                format!(
                    "`[presets.\"{}\"]` lists no preset; remove it",
                    shown(function)
                ),
            ));
        }
        for (name, args) in entries {
            if let Err(e) = check_preset(function, name, args) {
                out.push((function.clone(), name.clone(), e));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::{parse, to_toml, to_toml_checked};
    use std::path::Path;

    const WITH_PRESETS: &str = r#"
version = 1
name = "kv-service"

[presets."handle-request"]
"get a" = '"get a"'
"set a, quoted" = "\"set a it's \\\"1\\\"\""

[presets."patchbay:sandbox/probe#run-all"]
none = ""
"#;

    #[test]
    fn presets_read_and_write_back_in_order() {
        let path = Path::new("patchbay.toml");
        let (project, _) = parse(WITH_PRESETS, path).unwrap();
        let names: Vec<_> = project.presets["handle-request"].keys().collect();
        assert_eq!(names, ["get a", "set a, quoted"]);
        assert_eq!(project.presets["handle-request"]["get a"], "\"get a\"");
        assert_eq!(
            project.presets["patchbay:sandbox/probe#run-all"]["none"],
            ""
        );
        let text = to_toml(&project);
        assert_eq!(parse(&text, path).unwrap().0, project, "{text}");
    }

    #[test]
    fn a_bad_preset_names_the_file_line_and_preset() {
        let text =
            format!("{WITH_PRESETS}\n[presets.\"get\"]\n\"ok\" = '1'\n\"half\" = '\"unclosed'\n");
        let e = parse(&text, Path::new("demo/patchbay.toml"))
            .unwrap_err()
            .to_string();
        let line = text
            .lines()
            .position(|l| l.starts_with("\"half\""))
            .unwrap()
            + 1;
        assert!(
            e.starts_with(&format!("demo/patchbay.toml:{line}:2: preset `half` of `get`: the arguments `\"unclosed` are not WAVE")),
            "{e}"
        );

        let bad_function = "version = 1\nname = \"x\"\n[presets.\"get a\"]\nx = '1'\n";
        let e = parse(bad_function, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("p.toml:4:1: preset `x` of `get a`: `get a` is not a function to call"),
            "{e}"
        );
    }

    #[test]
    fn save_refuses_presets_that_would_not_open() {
        let (mut project, _) = parse(WITH_PRESETS, Path::new("p.toml")).unwrap();
        project
            .presets
            .entry("get".into())
            .or_default()
            .insert("two\nlines".into(), "1".into());
        project.presets.insert("empty".into(), Default::default());
        let e = to_toml_checked(&project, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("preset `two\\nlines` of `get`: a name is one line"),
            "{e}"
        );
        assert!(e.contains("`[presets.\"empty\"]` lists no preset"), "{e}");
    }
}
