//! The browser suite's core modules again, inside a dedicated worker, where many apps keep their
//! socket off the main thread: no `window` there, only the worker's global scope. The crate uses
//! global `setTimeout` and never `window`, so everything it promises holds in a worker too.
//!
//! Run with the page suite by `cargo xtask test` and by a plain `wasm-pack test --headless
//! --firefox` (or `--chrome`), with `cargo xtask server` running.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[allow(dead_code)]
#[path = "../web/spy.rs"]
mod spy;
#[allow(dead_code)]
#[path = "../web/util.rs"]
mod util;

#[path = "../web/backpressure.rs"]
mod backpressure;
#[path = "../web/byte_stream.rs"]
mod byte_stream;
#[path = "../web/close.rs"]
mod close;
#[path = "../web/open.rs"]
mod open;
#[path = "../web/receive.rs"]
mod receive;
#[path = "../web/send.rs"]
mod send;

/// Without this the rest would prove nothing about workers.
#[wasm_bindgen_test::wasm_bindgen_test]
fn the_suite_runs_in_a_dedicated_worker() {
    assert!(web_sys::window().is_none(), "a window: this is a page");
    let global = js_sys::global();
    let has = |name: &str| js_sys::Reflect::has(&global, &name.into()).unwrap_or(false);
    assert!(
        has("importScripts") && has("postMessage"),
        "not a worker's global scope"
    );
}
