//! The folders matrix: read-only and writable grants, traversal,
//! symlinks out of a grant.

use super::*;

/// Folders: `a` reads `data` at `/data` read-only, `w` writes `out` at
/// `/out`, `b` has none. Traversal, symlinks leading out of a grant and
/// writes into a read-only grant are refused with a scope line.
#[test]
fn each_node_reaches_only_its_own_folders() {
    host();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for d in ["data", "out", "etc"] {
        std::fs::create_dir(root.join(d)).unwrap();
    }
    std::fs::write(root.join("data/motd.txt"), "motd of a\n").unwrap();
    std::fs::write(root.join("out/notes.txt"), "notes of w\n").unwrap();
    std::fs::write(root.join("secret.txt"), "the host's secret\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("../secret.txt", root.join("data/relative-link")).unwrap();
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("data/absolute-link"))
            .unwrap();
        std::os::unix::fs::symlink(root.join("etc"), root.join("out/etc-link")).unwrap();
        std::os::unix::fs::symlink("motd.txt", root.join("data/inside-link")).unwrap();
    }
    let a = Scope {
        dirs: vec![("data".into(), "/data".into(), false)],
        ..Scope::default()
    };
    let w = Scope {
        dirs: vec![("out".into(), "/out".into(), true)],
        ..Scope::default()
    };
    let b = Scope::default();
    let types = "wasi:filesystem/types";
    let mut cases = vec![
        reaches(r#"a#read-file("/data/motd.txt")"#, "motd of a"),
        reaches(r#"a#read-file("/data/./motd.txt")"#, "motd of a"),
        fails(
            r#"a#read-file("/out/notes.txt")"#,
            "cannot read /out/notes.txt",
        )
        .viewed("wasi:filesystem/preopens", "it is granted /data (read-only"),
        fails(r#"a#read-file("/data/../secret.txt")"#, "cannot read")
            .refused(types, "../secret.txt"),
        fails(r#"a#read-file("/data/../../etc/passwd")"#, "cannot read")
            .refused(types, "../../etc/passwd"),
        fails(
            r#"a#write-file("/data/motd.txt", "overwritten")"#,
            "cannot write",
        )
        .refused(types, "motd.txt"),
        fails(
            r#"a#write-file("/data/new.txt", "planted")"#,
            "cannot write",
        )
        .refused(types, "new.txt"),
        reaches(r#"w#write-file("/out/written.txt", "written by w")"#, ""),
        reaches(r#"w#read-file("/out/notes.txt")"#, "notes of w"),
        fails(
            r#"w#read-file("/data/motd.txt")"#,
            "cannot read /data/motd.txt",
        )
        .viewed("wasi:filesystem/preopens", "it is granted /out (writable"),
        fails(
            r#"w#write-file("/out/../planted.txt", "planted")"#,
            "cannot write",
        )
        .refused(types, "../planted.txt"),
        fails(
            r#"w#write-file("/data/motd.txt", "overwritten")"#,
            "cannot write",
        ),
        fails(r#"b#read-file("/data/motd.txt")"#, "cannot read")
            .viewed("wasi:filesystem/preopens", "it is granted no folders"),
        fails(r#"b#read-file("/out/notes.txt")"#, "cannot read"),
        fails(
            r#"b#write-file("/out/from-b.txt", "planted")"#,
            "cannot write",
        ),
    ];
    if cfg!(unix) {
        cases.extend([
            reaches(r#"a#read-file("/data/inside-link")"#, "motd of a"),
            fails(r#"a#read-file("/data/relative-link")"#, "cannot read")
                .refused(types, "relative-link"),
            fails(r#"a#read-file("/data/absolute-link")"#, "cannot read")
                .refused(types, "absolute-link"),
            fails(
                r#"w#write-file("/out/etc-link/planted.txt", "planted")"#,
                "cannot write",
            )
            .refused(types, "etc-link/planted.txt"),
        ]);
    }
    run_matrix(root, &[("a", &a), ("w", &w), ("b", &b)], &cases);
    // The writable grant wrote where it should; nothing else changed.
    assert_eq!(
        std::fs::read_to_string(root.join("out/written.txt")).unwrap(),
        "written by w"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("data/motd.txt")).unwrap(),
        "motd of a\n"
    );
    for planted in [
        "data/new.txt",
        "planted.txt",
        "etc/planted.txt",
        "out/from-b.txt",
    ] {
        assert!(!root.join(planted).exists(), "{planted} was written");
    }
}
