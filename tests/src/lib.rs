//! Test suites live in `tests/`; this library is empty on purpose so Cargo has a target.
