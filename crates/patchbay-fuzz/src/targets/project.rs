//! Target (a): the project parser.

use crate::mutate;
use crate::rng::Rng;
use crate::seeds::Seed;
use std::path::Path;

/// A mutated seed (nine times in ten) or arbitrary text from the format's
/// dictionary.
pub(super) fn generate(rng: &mut Rng, seeds: &[Seed], max_len: usize) -> Vec<u8> {
    if rng.chance(1, 10) {
        return mutate::arbitrary_toml(rng, max_len);
    }
    let others: Vec<&[u8]> = seeds.iter().map(|s| s.bytes.as_slice()).collect();
    let mut data = rng.pick(seeds).map(|s| s.bytes.clone()).unwrap_or_default();
    mutate::mutate_text(rng, &mut data, &others, max_len);
    data
}

/// Parses the text (decoded lossily: the loader reads UTF-8 text) and
/// renders the error if it fails. Whatever parses must survive a save
/// and a load unchanged: `to_toml` of the loaded project gives the same
/// text again.
pub(super) fn execute(input: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(input);
    match patchbay_project::parse(&text, Path::new("fuzz/patchbay.toml")) {
        Ok((project, _)) => round_trip(&project),
        Err(e) => {
            // Rendering the error (line and column lookups) must not panic.
            let _ = e.to_string();
            Ok(())
        }
    }
}

/// Saving then loading a project gives it back: the saved text parses, and
/// saving what it parses to gives the same text.
pub(crate) fn round_trip(project: &patchbay_project::Project) -> Result<(), String> {
    let saved = patchbay_project::to_toml(project);
    let (loaded, _) =
        patchbay_project::parse(&saved, Path::new("saved/patchbay.toml")).map_err(|e| {
            format!("round trip: the saved project does not load: {e}\n--- saved ---\n{saved}")
        })?;
    let again = patchbay_project::to_toml(&loaded);
    if again != saved {
        return Err(format!(
            "round trip: saving the loaded project changes it\n--- first save ---\n{saved}\n--- second save ---\n{again}"
        ));
    }
    Ok(())
}
