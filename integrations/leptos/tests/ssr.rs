//! Rendering on the server: the hook renders its initial state, touches no `web_sys` and makes
//! no connection (its effect never runs there).
#![cfg(not(target_arch = "wasm32"))]

use leptos::prelude::*;
use wasm_websocket_leptos::use_websocket;

#[component]
fn Feed() -> impl IntoView {
    let ws = use_websocket("ws://127.0.0.1:9/never");
    view! { <p class="status">{move || ws.status.get().to_string()}" · "{move || ws.received.get()}</p> }
}

#[test]
fn server_rendering_shows_the_initial_state_without_connecting() {
    let owner = Owner::new();
    let html = owner.with(|| view! { <Feed/> }.to_html());
    assert!(html.contains("connecting (attempt 1)"), "{html}");
    assert!(html.contains(" · "), "{html}");
}
