//! Checks while editing: drag candidates, wires, mock values, grant
//! entries, and which built-in fakes exist and what they can serve.

use super::*;
use crate::dto::*;
use crate::ApiError;
use patchbay_project as model;

impl Session {
    /// The ports a wire from `port` can reach.
    pub async fn candidates(&self, request: CandidatesRequest) -> Result<Candidates, ApiError> {
        let ws = self.workspace(&request.doc)?;
        Candidates::find(&ws, &request.port.to_model()?)
    }

    /// Whether `from` may feed `to`, and if not, exactly why.
    pub async fn check_wire(&self, request: CheckWireRequest) -> Result<Verdict, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let from = request.from.to_model()?;
        let to = request.to.to_model()?;
        if let Some(w) = ws.project().wire_into(&to.node, &to.port) {
            if w.from != from {
                return Ok(Verdict::refused(format!(
                    "`{to}` is already fed by `{}`; delete that wire first",
                    w.from
                )));
            }
            return Ok(Verdict::refused(format!("`{from}` already feeds `{to}`")));
        }
        Ok(match ws.check_wire(&from, &to) {
            Ok(()) => Verdict::ok(),
            Err(e) => Verdict::refused(e.to_string()),
        })
    }

    /// Checks a mock's WAVE result against the function's type, by the rule
    /// `check` and the host apply to every mock value (no compiling).
    pub async fn check_mock_value(
        &self,
        request: CheckMockValueRequest,
    ) -> Result<Verdict, ApiError> {
        let ws = self.workspace(&request.doc)?;
        Ok(
            match ws.check_mock_value(
                &request.node,
                &request.import,
                &request.function,
                &request.value,
            ) {
                Ok(()) => Verdict::ok(),
                Err(reason) => Verdict::refused(reason),
            },
        )
    }

    /// The built-in fakes.
    pub async fn fakes(&self, _request: Empty) -> Result<Vec<FakeView>, ApiError> {
        Ok(fake_views())
    }

    /// Unwired imports the fake can serve.
    pub async fn fake_targets(
        &self,
        request: FakeTargetsRequest,
    ) -> Result<Vec<PortAddr>, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let project = ws.project();
        let mut out = Vec::new();
        for node in project.nodes.keys() {
            let Some(part) = ws.node_part(node) else {
                continue;
            };
            for port in &part.imports {
                if port.types_only || project.wire_into(node, &port.name).is_some() {
                    continue;
                }
                if patchbay_host::fake_serves(request.fake.to_model(), &port.name, &port.functions)
                    .is_ok()
                {
                    out.push(PortAddr {
                        node: node.to_string(),
                        port: port.name.clone(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The built-in fakes that can serve `port` of `node`, in the order the
    /// editor offers them: picking *Mock* takes the first, so the new
    /// binding answers at once (the rule is `patchbay-compose`'s).
    pub async fn import_fakes(
        &self,
        request: ImportFakesRequest,
    ) -> Result<Vec<FakeName>, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let port = import_of(&ws, &request.node, &request.port)?;
        Ok(model::Fake::ALL
            .into_iter()
            .filter(|fake| patchbay_host::fake_serves(*fake, &port.name, &port.functions).is_ok())
            .map(FakeName::from_model)
            .collect())
    }

    /// Whether `fake` can serve `port` of `node` and, if not, why: the
    /// reason `fakeTargets` leaves the import out, in words the editor
    /// shows when a fake is dropped there (the rule is `patchbay-compose`'s).
    pub async fn check_fake(&self, request: CheckFakeRequest) -> Result<Verdict, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let port = import_of(&ws, &request.node, &request.port)?;
        let fake = request.fake.to_model();
        Ok(
            match patchbay_host::fake_serves(fake, &port.name, &port.functions) {
                Ok(()) => Verdict::ok(),
                Err(why) => Verdict::refused(format!(
                    "The {} fake cannot serve `{}.{}`: {why}. {}",
                    fake_views()
                        .into_iter()
                        .find(|v| v.name.to_model() == fake)
                        .map_or_else(|| fake.name().to_string(), |v| v.title),
                    model::shown(&request.node),
                    port.name,
                    if matches!(
                        fake,
                        model::Fake::Log | model::Fake::KeyValue | model::Fake::Config
                    ) && port.functions.iter().any(|f| !f.is_constructor())
                    {
                        "Mock the import in the Binding tab and give those functions values instead."
                    } else {
                        "Wire the import to a component, or mock it in the Binding tab."
                    }
                )),
            },
        )
    }

    /// Checks one grant entry (an `env` name, a shared folder, an
    /// allow-listed address, a canned response) by the document's rule, so
    /// the editor can say what is wrong while someone types.
    pub async fn check_grant_entry(
        &self,
        request: CheckGrantEntryRequest,
    ) -> Result<Verdict, ApiError> {
        Ok(request.entry.verdict())
    }
}

/// The import `port` of `node`, or a bad request naming what is missing.
fn import_of<'w>(
    ws: &'w patchbay_compose::Workspace,
    node: &str,
    port: &str,
) -> Result<&'w patchbay_compose::PortSummary, ApiError> {
    let part = ws.node_part(node).ok_or_else(|| {
        ApiError::bad_request(format!(
            "node `{}` has no loaded component",
            model::shown(node)
        ))
    })?;
    part.import(port).ok_or_else(|| {
        ApiError::bad_request(format!(
            "node `{}` has no import `{}`",
            model::shown(node),
            model::shown(port)
        ))
    })
}

fn fake_views() -> Vec<FakeView> {
    model::Fake::ALL
        .iter()
        .map(|&f| {
            let (title, description) = match f {
                model::Fake::KeyValue => (
                    "In-memory key-value",
                    "Serves get/set/delete/exists over strings, or the whole of wasi:keyvalue (buckets), from memory that lives for one instance; seed it with values (\"BUCKET/KEY\" for wasi:keyvalue).",
                ),
                model::Fake::Log => ("Logging", "Accepts every call that returns nothing and records it."),
                model::Fake::Config => (
                    "Config",
                    "Answers get(key), or wasi:config/store, from a map of values.",
                ),
                model::Fake::Clock => ("Fixed clock", "wasi:clocks that always reads the same time."),
                model::Fake::Random => ("Seeded random", "wasi:random from a fixed seed: the same numbers every run."),
                model::Fake::Http => (
                    "Canned HTTP",
                    "wasi:http/outgoing-handler answered from a table of URL → \"STATUS body\".",
                ),
            };
            FakeView {
                name: FakeName::from_model(f),
                title: title.into(),
                description: description.into(),
            }
        })
        .collect()
}
