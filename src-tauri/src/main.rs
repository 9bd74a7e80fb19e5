//! `patchbay-app [PROJECT]`: the Patchbay desktop editor.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    std::process::exit(patchbay_app::run(std::env::args_os().skip(1)));
}
