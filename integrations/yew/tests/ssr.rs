//! Rendering on the server: the hook renders its initial state and makes no connection.
#![cfg(not(target_arch = "wasm32"))]

use wasm_websocket_yew::use_websocket;
use yew::prelude::*;

#[function_component]
fn Feed() -> Html {
    let ws = use_websocket("ws://127.0.0.1:9/never");
    html! { <p class="status">{ ws.status().to_string() }{ " · " }{ ws.received() }</p> }
}

#[test]
fn server_rendering_shows_the_initial_state_without_connecting() {
    let html = futures::executor::block_on(yew::LocalServerRenderer::<Feed>::new().render());
    assert!(html.contains("connecting (attempt 1) · 0"), "{html}");
}
