//! Server-side rendering, as a Dioxus server would do it: built for the native target, the app
//! renders to HTML without panicking and without connecting (the hook connects in an effect,
//! which runs in browsers only).
#![cfg(not(target_arch = "wasm32"))]

use dioxus::prelude::*;
use dioxus_chat::App;

fn page() -> Element {
    rsx! { App { url: "ws://127.0.0.1:9001/chat", name: "server" } }
}

#[test]
fn the_app_renders_on_the_server_and_shows_it_is_connecting() {
    let mut dom = VirtualDom::new(page);
    dom.rebuild_in_place();
    let html = dioxus_ssr::render(&dom);
    assert!(html.contains("Dioxus chat"), "{html}");
    assert!(html.contains("connecting (attempt 1)"), "{html}");
    assert!(html.contains("id=\"lines\""), "{html}");
}
