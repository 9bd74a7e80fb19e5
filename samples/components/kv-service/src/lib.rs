//! `kv-service`: a line-oriented text protocol over an imported
//! `patchbay:kv/store`.
//!
//! Requests and replies (exactly):
//!
//! | request           | reply                                        |
//! |-------------------|----------------------------------------------|
//! | `set KEY VALUE`   | `ok` (VALUE is the rest of the line)         |
//! | `get KEY`         | the stored value, or `not found: KEY`        |
//! | anything else     | `error: unknown command "REQ"` + usage hint  |
//!
//! The usage hint is the fixed suffix [`USAGE`].

wit_bindgen::generate!({
    path: "../../../wit/kv",
    world: "kv-service",
});

use patchbay::kv::store;

/// Appended to the error reply for an unrecognised request.
const USAGE: &str = "; usage: set KEY VALUE | get KEY";

struct KvService;

impl Guest for KvService {
    fn handle_request(req: String) -> String {
        // Only the line terminator is trimmed, so values keep inner and
        // leading spaces after the single separator.
        let line = req.trim_end_matches(['\r', '\n']);
        match parse(line) {
            Some(Request::Set { key, value }) => {
                store::set(key, value);
                "ok".to_string()
            }
            Some(Request::Get { key }) => match store::get(key) {
                Some(value) => value,
                None => format!("not found: {key}"),
            },
            None => format!("error: unknown command \"{line}\"{USAGE}"),
        }
    }
}

enum Request<'a> {
    Set { key: &'a str, value: &'a str },
    Get { key: &'a str },
}

/// Parses `set KEY VALUE` or `get KEY`; keys have no spaces, the value is
/// everything after the single space that follows the key.
fn parse(line: &str) -> Option<Request<'_>> {
    let (command, rest) = line.split_once(' ')?;
    match command {
        "set" => {
            let (key, value) = rest.split_once(' ')?;
            (!key.is_empty()).then_some(Request::Set { key, value })
        }
        "get" => (!rest.is_empty() && !rest.contains(' ')).then_some(Request::Get { key: rest }),
        _ => None,
    }
}

export!(KvService);
