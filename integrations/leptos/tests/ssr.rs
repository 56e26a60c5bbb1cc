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

/// Leptos 0.8 stores and contexts take only `Send + Sync` values: the sender and the whole
/// handle qualify, although the socket behind them is `!Send`.
#[test]
fn the_handle_and_its_sender_are_send_sync_and_copy() {
    fn send_sync_copy<T: Send + Sync + Copy>() {}
    send_sync_copy::<wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>>();
    send_sync_copy::<wasm_websocket_leptos::UseWebSocket<String>>();
}
