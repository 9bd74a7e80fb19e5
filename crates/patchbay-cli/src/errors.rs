//! How the CLI prints an error: the message and its causes on one line,
//! each cause once.

/// `message: cause: cause`, leaving out a cause whose text the line already
/// holds. Many errors say their cause in their own message and also return
/// it as their `source` (`x.wasm: cannot read file: No such file or
/// directory` with the I/O error as source); anyhow's `{:#}` would print
/// it twice.
pub fn error_text(error: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::error_text;
    use anyhow::Context;
    use std::path::Path;

    #[test]
    fn a_cause_the_message_already_says_is_printed_once() {
        let missing = Path::new("/nonexistent/nope.wasm");
        let e = anyhow::Error::from(patchbay_inspect::inspect_file(missing).unwrap_err());
        assert_eq!(
            error_text(&e),
            "/nonexistent/nope.wasm: cannot read file: No such file or directory (os error 2)"
        );
        assert_eq!(
            format!("{e:#}").matches("No such file").count(),
            2,
            "anyhow's own format repeats it"
        );
    }

    #[test]
    fn causes_the_message_does_not_say_are_kept() {
        let e = anyhow::Error::from(patchbay_project::load(Path::new("/nonexistent")).unwrap_err());
        assert_eq!(
            error_text(&e),
            "cannot read project file /nonexistent: No such file or directory (os error 2)"
        );
        let e = Err::<(), _>(std::io::Error::other("disk full"))
            .context("cannot write out.wasm")
            .unwrap_err();
        assert_eq!(error_text(&e), "cannot write out.wasm: disk full");
    }
}
