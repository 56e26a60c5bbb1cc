//! Rendering on the server: the hook renders its initial state and makes no connection (it
//! starts the socket in an effect, and effects never run there), and nothing panics.
#![cfg(not(target_arch = "wasm32"))]

use dioxus::prelude::*;
use wasm_websocket_dioxus::{
    use_websocket, use_websocket_context, use_websocket_provider, UseWebSocketOptions,
};

#[component]
fn Feed() -> Element {
    let ws = use_websocket("ws://127.0.0.1:9/never");
    rsx! { p { class: "status", "{ws.status()} · {ws.received()}" } }
}

#[test]
fn server_rendering_shows_the_initial_state_without_connecting() {
    let mut dom = VirtualDom::new(Feed);
    dom.rebuild_in_place();
    let html = dioxus_ssr::render(&dom);
    assert!(html.contains("connecting (attempt 1) · 0"), "{html}");
}

#[component]
fn Shared() -> Element {
    use_websocket_provider(UseWebSocketOptions::new("ws://127.0.0.1:9/never").enabled(false));
    rsx! { Reader {} }
}

#[component]
fn Reader() -> Element {
    let ws = use_websocket_context::<wasm_websocket::Untyped>();
    let status = ws.map(|ws| ws.status().to_string()).unwrap_or_default();
    rsx! { p { "{status}" } }
}

#[test]
fn server_rendering_shares_a_provided_socket() {
    let mut dom = VirtualDom::new(Shared);
    dom.rebuild_in_place();
    let html = dioxus_ssr::render(&dom);
    assert!(html.contains("<p>idle</p>"), "{html}");
}
