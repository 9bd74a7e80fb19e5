//! `patchbay-app [PROJECT]`: the Patchbay desktop editor.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's DMA-BUF renderer gives the page few frames while it handles
    // input on machines without a GPU (VMs, Xvfb): dragging a node ran at
    // 10 fps there, 45 fps without it (BENCHMARKS.md, "App"). Set it before
    // GTK starts, unless the user chose a value.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    std::process::exit(patchbay_app::run(std::env::args_os().skip(1)));
}
