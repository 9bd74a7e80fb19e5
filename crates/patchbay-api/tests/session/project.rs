//! Start-up, opening projects and samples, the path gate, saving,
//! recovery and live reload (component files, builds, outside edits of the
//! project file).

use super::*;

#[test]
fn startup_opens_the_command_line_project_and_it_composes() {
    let f = fixture("kv-service");
    block(async {
        let opened = f.session.startup(Empty {}).await.unwrap().unwrap();
        assert_eq!(opened.doc.name, "kv-service");
        assert_eq!(opened.doc.nodes.len(), 2);
        assert!(opened
            .components
            .iter()
            .all(|c| c.info.is_some() && c.error.is_none()));
        let composed = opened.analysis.composed.expect("kv-service composes");
        let target = composed
            .run_targets
            .iter()
            .find(|t| t.call_prefix == "handle-request")
            .expect("handle-request is a run target");
        assert!(target.callable);
        assert!(
            matches!(target.function.params[0].shape, TypeShape::Primitive { ref name } if name == "string")
        );
        let service_kv = opened
            .analysis
            .imports
            .iter()
            .find(|i| i.node == "service" && i.port == KV)
            .unwrap();
        assert_eq!(service_kv.mode, ImportMode::Wired);
        assert!(opened
            .analysis
            .imports
            .iter()
            .any(|i| i.port.starts_with("wasi:cli/")
                && i.mode == ImportMode::Grant
                && i.selector.as_deref() == Some("*.wasi:*")));
    });
}

#[test]
fn first_start_opens_the_kv_service_sample() {
    let f = fixture("kv-service");
    let session = Session::new(
        SessionOptions {
            state_dir: f.root.join("fresh-state"),
            samples_dir: Some(f.root.clone()),
            ..Default::default()
        },
        f.dialogs.clone(),
        f.events.clone(),
        Arc::new(NoWindow),
    )
    .unwrap();
    block(async {
        let opened = session.startup(Empty {}).await.unwrap().unwrap();
        assert_eq!(opened.doc.name, "kv-service");
    });
}

#[test]
fn a_command_line_project_that_does_not_open_is_reported_naming_the_file_and_why() {
    let f = fixture("kv-service");
    block(async {
        // A path that does not exist.
        let missing = f.root.join("no-such-project");
        let error = session_for(&f, missing.clone(), "state-missing")
            .startup(Empty {})
            .await
            .expect_err("a missing project is an error, not an empty start");
        assert_eq!(error.code, "bad-project");
        assert_eq!(
            error.message,
            format!(
                "cannot open {}: there is no such file or folder",
                missing.display()
            )
        );

        // A broken patchbay.toml: the error names the file, line and column.
        let broken = f.root.join("broken");
        std::fs::create_dir_all(&broken).unwrap();
        let manifest = broken.join("patchbay.toml");
        std::fs::write(&manifest, "version = 1\nname = \"x\"\n[nodes.a\n").unwrap();
        let session = session_for(&f, broken.clone(), "state-broken");
        let error = session.startup(Empty {}).await.unwrap_err();
        assert_eq!(error.code, "bad-project");
        assert_eq!(error.message, format!("cannot open {}", broken.display()));
        let detail = error.detail.expect("the parse error");
        assert!(
            detail.starts_with(&format!("{}:3:", manifest.display())),
            "{detail}"
        );

        // Every start-up reports it again (the page may ask again after the
        // file is fixed), and once fixed the same project opens.
        assert_eq!(
            session
                .startup(Empty {})
                .await
                .unwrap_err()
                .detail
                .as_deref(),
            Some(detail.as_str())
        );
        std::fs::write(&manifest, "version = 1\nname = \"fixed\"\n").unwrap();
        let opened = session.startup(Empty {}).await.unwrap().unwrap();
        assert_eq!(opened.doc.name, "fixed");
    });
}

#[test]
fn samples_are_listed_and_open_without_a_dialog() {
    let f = fixture("kv-service");
    block(async {
        let samples = f.session.samples(Empty {}).await.unwrap();
        let kv = samples.iter().find(|s| s.name == "kv-service").unwrap();
        assert!(kv.description.contains("key-value"), "{kv:?}");
        let opened = f
            .session
            .open_sample(OpenSampleRequest {
                name: "kv-service".into(),
            })
            .await
            .unwrap();
        assert_eq!(opened.doc.name, "kv-service");
        let err = f
            .session
            .open_sample(OpenSampleRequest {
                name: "../etc".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "bad-request");
    });
}

#[test]
fn the_page_cannot_reach_files_the_user_did_not_open() {
    let f = fixture("kv-service");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let err = f
            .session
            .open_project(OpenProjectRequest {
                path: Some("/etc".into()),
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "not-permitted");

        let other = f.root.join("wasm/validator.wasm");
        let err = f
            .session
            .add_components(AddComponentsRequest {
                doc: doc.clone(),
                paths: Some(vec![other.display().to_string()]),
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "not-permitted");

        // A component file never opened is not read: analysis reports it
        // at the component, with the fix, rather than failing.
        let mut other_doc = doc.clone();
        other_doc.components[0].path = "/etc/passwd".into();
        let analysis = f
            .session
            .analyze(DocRequest { doc: other_doc })
            .await
            .unwrap();
        let refused = analysis
            .problems
            .iter()
            .find(|p| p.message.contains("/etc/passwd"))
            .expect("the refused file is a problem");
        assert_eq!(refused.severity, Severity::Error);
        assert!(
            refused.message.contains("was not opened in Patchbay")
                && refused.message.contains("locate the file"),
            "{}",
            refused.message
        );
        assert!(analysis.composed.is_none());

        // A drop (or a dialog) permits the file.
        f.session.allow_path(&other);
        let added = f
            .session
            .add_components(AddComponentsRequest {
                doc: doc.clone(),
                paths: Some(vec![other.display().to_string()]),
            })
            .await
            .unwrap();
        assert_eq!(added[0].id, "validator");
        assert_eq!(added[0].path, "../wasm/validator.wasm");

        *f.dialogs.components.lock().unwrap() = vec![f.root.join("wasm/kv-memory.wasm")];
        let added = f
            .session
            .add_components(AddComponentsRequest { doc, paths: None })
            .await
            .unwrap();
        assert_eq!(
            added[0].id, "kv-memory2",
            "ids are unique against the document, and ids the project file takes"
        );
    });
}

#[test]
fn saving_writes_the_project_and_recovery_survives_a_crash() {
    let f = fixture("kv-service");
    block(async {
        let opened = f.session.startup(Empty {}).await.unwrap().unwrap();
        assert!(opened.recovery.is_none());
        let mut doc = opened.doc;
        doc.nodes[0].x = 123.0;
        doc.fake_nodes.push(FakeNodeEntry {
            fake: FakeName::Log,
            x: -300.0,
            y: 40.0,
        });
        f.session
            .save_recovery(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        // A new session (after a crash) offers the autosaved document.
        let reopened = f
            .session
            .open_project(OpenProjectRequest {
                path: Some(f.root.join("kv-service").display().to_string()),
            })
            .await
            .unwrap();
        assert_eq!(reopened.recovery.as_ref().map(|r| &r.doc), Some(&doc));

        let saved = f
            .session
            .save(SaveRequest {
                doc: doc.clone(),
                save_as: false,
            })
            .await
            .unwrap();
        assert!(saved
            .doc
            .components
            .iter()
            .all(|c| c.hash.as_deref().is_some_and(|h| h.starts_with("sha256:"))));
        let text = std::fs::read_to_string(&saved.path).unwrap();
        assert!(text.contains("x = 123.0"), "{text}");
        assert!(
            text.contains("[fake-nodes.log.position]\nx = -300.0\ny = 40.0"),
            "{text}"
        );
        let reopened = f
            .session
            .open_project(OpenProjectRequest {
                path: Some(saved.path.clone()),
            })
            .await
            .unwrap();
        assert!(
            reopened.recovery.is_none(),
            "saving clears the recovery file"
        );
        assert_eq!(reopened.doc.fake_nodes, doc.fake_nodes);

        // Save as elsewhere rebases relative component paths.
        let elsewhere = f.root.join("copies/deeper");
        std::fs::create_dir_all(&elsewhere).unwrap();
        *f.dialogs.save.lock().unwrap() = Some(elsewhere.join("patchbay.toml"));
        let saved = f
            .session
            .save(SaveRequest { doc, save_as: true })
            .await
            .unwrap();
        assert_eq!(saved.doc.components[0].path, "../../wasm/kv-memory.wasm");
        let analysis = f
            .session
            .analyze(DocRequest { doc: saved.doc })
            .await
            .unwrap();
        assert!(analysis.composed.is_some(), "{:?}", analysis.problems);
    });
}

#[test]
fn a_changed_component_file_is_reported_with_its_new_ports() {
    let f = fixture("kv-service");
    block(async {
        f.session.startup(Empty {}).await.unwrap().unwrap();
    });
    // Replace kv-memory.wasm with another component, the way a build does.
    let target = f.root.join("wasm/kv-memory.wasm");
    let tmp = f.root.join("wasm/kv-memory.wasm.tmp");
    std::fs::copy(f.root.join("wasm/kv-cache.wasm"), &tmp).unwrap();
    std::fs::rename(&tmp, &target).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let found = f.events.0.lock().unwrap().iter().find_map(|e| match e {
            AppEvent::ComponentChanged { component, message } => {
                Some((component.clone(), message.clone()))
            }
            _ => None,
        });
        if let Some((component, message)) = found {
            assert_eq!(component.id, "kv-memory");
            assert!(
                message.starts_with("kv-memory.wasm changed on disk"),
                "{message}"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no componentChanged event"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Waits until `want` picks something out of the events recorded so far.
fn wait_for<T>(f: &Fixture, what: &str, want: impl Fn(&[AppEvent]) -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(found) = want(&f.events.0.lock().unwrap()) {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no event: {what}; events: {:?}",
            f.events.0.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The kv-service sample whose kv-memory builds from `kv-service/src` with
/// `build` (run in the project folder).
fn with_build(f: &Fixture, build: &str) -> PathBuf {
    let project = f.root.join("kv-service");
    let file = project.join("patchbay.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        r#"build = "bash ../build.sh kv-memory"
watch = ["../components/kv-memory/src", "../../wit"]"#,
        &format!("build = {build:?}\nwatch = [\"src\"]"),
    );
    assert!(
        text.contains(r#"watch = ["src"]"#),
        "the sample changed: {text}"
    );
    std::fs::write(&file, text).unwrap();
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(
        project.join("src/lib.rs"),
        "// v1
",
    )
    .unwrap();
    project
}

#[test]
fn a_source_edit_runs_the_build_and_reports_the_rebuilt_component() {
    let f = fixture("kv-service");
    // The "build" makes kv-memory a kv-cache (other ports), or fails while
    // the source says `broken`.
    let project = with_build(
        &f,
        "grep -q broken src/lib.rs && { echo 'error: broken' >&2; exit 101; }; echo building kv-memory; cp ../wasm/kv-cache.wasm ../wasm/kv-memory.wasm",
    );
    block(async {
        f.session.startup(Empty {}).await.unwrap().unwrap();
    });
    std::fs::write(
        project.join("src/lib.rs"),
        "// v2
",
    )
    .unwrap();
    let (component, message) = wait_for(&f, "componentChanged after the build", |events| {
        events.iter().find_map(|e| match e {
            AppEvent::ComponentChanged { component, message } => {
                Some((component.clone(), message.clone()))
            }
            _ => None,
        })
    });
    assert_eq!(component.id, "kv-memory");
    assert!(component.error.is_none(), "{component:?}");
    assert!(
        message.starts_with("kv-memory.wasm changed on disk: new import"),
        "{message}"
    );
    {
        let events = f.events.0.lock().unwrap();
        let started = events
            .iter()
            .position(|e| matches!(e, AppEvent::BuildStarted { component, .. } if component == "kv-memory"))
            .expect("buildStarted");
        let finished = events
            .iter()
            .position(|e| matches!(e, AppEvent::BuildFinished { success: true, output, .. } if output.contains("building kv-memory")))
            .expect("buildFinished with the output");
        let changed = events
            .iter()
            .position(|e| matches!(e, AppEvent::ComponentChanged { .. }))
            .unwrap();
        assert!(started < finished && finished < changed, "{events:?}");
    }

    // A broken source: the build's failure and output are reported, and
    // nothing else changes.
    f.events.0.lock().unwrap().clear();
    std::fs::write(
        project.join("src/lib.rs"),
        "// broken
",
    )
    .unwrap();
    let (ended, output) = wait_for(&f, "the failed build", |events| {
        events.iter().find_map(|e| match e {
            AppEvent::BuildFinished {
                success: false,
                ended,
                output,
                ..
            } => Some((ended.clone(), output.clone())),
            _ => None,
        })
    });
    assert_eq!(ended, "exited with status 101");
    assert!(output.contains("error: broken"), "{output}");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        !f.events
            .0
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, AppEvent::ComponentChanged { .. })),
        "a failed build changes no component"
    );
}

#[test]
fn a_component_added_in_the_editor_is_watched_before_it_is_saved() {
    let f = fixture("kv-service");
    let opened = block(async { f.session.startup(Empty {}).await.unwrap().unwrap() });
    let added = f.root.join("wasm/kv-cache.wasm");
    f.session.allow_path(&added);
    let views = block(async {
        f.session
            .add_components(AddComponentsRequest {
                doc: opened.doc.clone(),
                paths: Some(vec![added.display().to_string()]),
            })
            .await
            .unwrap()
    });
    assert_eq!(views[0].id, "kv-cache");
    let tmp = f.root.join("wasm/kv-cache.wasm.tmp");
    std::fs::copy(f.root.join("wasm/kv-memory.wasm"), &tmp).unwrap();
    std::fs::rename(&tmp, &added).unwrap();
    let message = wait_for(&f, "componentChanged of the added component", |events| {
        events.iter().find_map(|e| match e {
            AppEvent::ComponentChanged { component, message } if component.id == "kv-cache" => {
                Some(message.clone())
            }
            _ => None,
        })
    });
    assert!(
        message.starts_with("kv-cache.wasm changed on disk: ")
            && message.contains("import patchbay:kv/store"),
        "{message}"
    );
}

#[test]
fn an_outside_edit_of_the_project_file_is_reported_and_the_sessions_own_save_is_not() {
    let f = fixture("kv-service");
    let opened = block(async { f.session.startup(Empty {}).await.unwrap().unwrap() });
    let file = f.root.join("kv-service/patchbay.toml");

    // The session's own save, with a change the file did not have.
    let mut doc = opened.doc.clone();
    doc.name = "saved-here".into();
    block(async {
        f.session
            .save(SaveRequest {
                doc,
                save_as: false,
            })
            .await
            .unwrap();
    });
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("saved-here"));
    std::thread::sleep(std::time::Duration::from_millis(1500));

    // An edit from outside: reported with the document it holds now.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("saved-here", "edited-outside");
    std::fs::write(&file, &text).unwrap();
    let (doc, components) = wait_for(&f, "projectChanged", |events| {
        events.iter().find_map(|e| match e {
            AppEvent::ProjectChanged {
                doc, components, ..
            } => Some((doc.clone(), components.clone())),
            _ => None,
        })
    });
    let doc = doc.expect("the edited file opens");
    assert_eq!(doc.name, "edited-outside");
    assert_eq!(components.len(), 2);
    assert!(components.iter().all(|c| c.error.is_none()));
    let reported = |f: &Fixture| {
        f.events
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|e| matches!(e, AppEvent::ProjectChanged { .. }))
            .count()
    };
    assert_eq!(reported(&f), 1, "the session's own save is no outside edit");

    // A broken edit: the error names the file and the line.
    f.events.0.lock().unwrap().clear();
    std::fs::write(
        &file,
        text.replace(
            "[nodes.memory]",
            "[nodes.memory
",
        ),
    )
    .unwrap();
    let (error, message) = wait_for(&f, "projectChanged with an error", |events| {
        events.iter().find_map(|e| match e {
            AppEvent::ProjectChanged {
                doc: None,
                error: Some(error),
                message,
                ..
            } => Some((error.clone(), message.clone())),
            _ => None,
        })
    });
    assert!(error.contains("patchbay.toml:"), "{error}");
    assert!(
        message.starts_with("patchbay.toml changed on disk but does not open"),
        "{message}"
    );
}

/// Two `save` commands and two autosaves in flight at once, while the
/// project file and the recovery file are read in a loop: no command fails
/// and no read sees a torn file.
#[test]
fn saves_and_autosaves_at_once_never_fail_or_tear() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let f = fixture("kv-service");
    let opened = block(f.session.startup(Empty {})).unwrap().unwrap();
    let manifest = f.root.join("kv-service").join("patchbay.toml");
    let recovery_dir = f.root.join("state").join("recovery");
    let doc_at = |x: usize| {
        let mut doc = opened.doc.clone();
        doc.nodes[0].x = x as f64;
        doc
    };
    let session = &f.session;
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let mut commands = Vec::new();
        for t in 0..2 {
            let doc_at = &doc_at;
            commands.push(s.spawn(move || {
                block(async {
                    for i in 0..15 {
                        let doc = doc_at(t * 100 + i);
                        session
                            .save(SaveRequest {
                                doc,
                                save_as: false,
                            })
                            .await
                            .map_err(|e| format!("save {t}/{i}: {e:?}"))?;
                    }
                    Ok::<(), String>(())
                })
            }));
            commands.push(s.spawn(move || {
                block(async {
                    for i in 0..15 {
                        let doc = doc_at(1000 + t * 100 + i);
                        session
                            .save_recovery(DocRequest { doc })
                            .await
                            .map_err(|e| format!("autosave {t}/{i}: {e:?}"))?;
                    }
                    Ok::<(), String>(())
                })
            }));
        }
        let reader = s.spawn(|| -> Result<usize, String> {
            let mut reads = 0;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
                patchbay_project::parse(&text, &manifest)
                    .map_err(|e| format!("a torn project file: {e}"))?;
                for entry in std::fs::read_dir(&recovery_dir).into_iter().flatten() {
                    let path = entry.map_err(|e| e.to_string())?.path();
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    if name.starts_with('.') {
                        continue; // a temporary or lock file of a save
                    }
                    // The file may be gone since the listing (a save clears it).
                    let Ok(text) = std::fs::read_to_string(&path) else {
                        continue;
                    };
                    serde_json::from_str::<serde_json::Value>(&text)
                        .map_err(|e| format!("a torn recovery file {name}: {e}"))?;
                }
                reads += 1;
                if finished {
                    return Ok(reads);
                }
                std::thread::yield_now();
            }
        });
        let failures: Vec<String> = commands
            .into_iter()
            .filter_map(|c| c.join().expect("a command thread panicked").err())
            .collect();
        done.store(true, Ordering::SeqCst);
        let reads = reader.join().expect("the reader panicked");
        assert!(failures.is_empty(), "{failures:#?}");
        assert!(reads.unwrap() > 0);
    });
    let leftovers: Vec<_> = std::fs::read_dir(manifest.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "patchbay.toml")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
