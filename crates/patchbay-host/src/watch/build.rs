//! Running a component's `build` command and describing how it ended.

use super::*;

/// Runs a build command in the project folder and captures its output.
pub(super) fn run_build(dir: &Path, component: &str, command: &str) -> BuildRun {
    let started = Instant::now();
    #[cfg(windows)]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.arg("/C").arg(command);
        c
    };
    #[cfg(not(windows))]
    let mut cmd = {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    let result = cmd
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output();
    let millis = started.elapsed().as_millis() as u64;
    match result {
        Ok(out) => {
            let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
            if !output.is_empty() && !output.ends_with('\n') && !out.stderr.is_empty() {
                output.push('\n');
            }
            output.push_str(&String::from_utf8_lossy(&out.stderr));
            BuildRun {
                component: component.to_string(),
                command: command.to_string(),
                success: out.status.success(),
                status: out.status.code(),
                ended: describe_exit(&out.status),
                output,
                millis,
            }
        }
        Err(e) => BuildRun {
            component: component.to_string(),
            command: command.to_string(),
            success: false,
            status: None,
            ended: format!("could not start: {e}"),
            output: String::new(),
            millis,
        },
    }
}

pub(super) fn describe_exit(status: &std::process::ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("was killed by signal {signal}");
        }
    }
    format!("ended: {status}")
}

/// `outer: inner: innermost`.
pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}
