//! Server-side rendering, as a Leptos SSR app would do it: built for the native target, the app
//! renders to HTML without panicking (the effect that connects runs in browsers only), and a
//! connection attempt on the server ends with the typed `Unsupported` error, not a panic.

use futures::channel::mpsc;
use leptos::prelude::*;
use leptos_chat::{session, App, Status};
use wasm_websocket::Error;

#[test]
fn the_app_renders_on_the_server_and_shows_it_is_connecting() {
    let owner = Owner::new();
    let html = owner.with(|| {
        view! { <App url="ws://127.0.0.1:9001/chat".to_owned() name="server".to_owned() /> }
            .to_html()
    });
    assert!(html.contains("Leptos chat"), "{html}");
    assert!(html.contains("connecting…"), "{html}");
    assert!(html.contains("id=\"lines\""), "{html}");
}

#[test]
fn a_session_on_the_server_reports_unsupported() {
    let owner = Owner::new();
    owner.with(|| {
        let (lines, set_lines) = signal(Vec::new());
        let (status, set_status) = signal(Status::Connecting);
        let (_outbox, receiver) = mpsc::unbounded();
        futures::executor::block_on(session(
            "ws://127.0.0.1:9001/chat".into(),
            receiver,
            set_lines,
            set_status,
        ));
        assert_eq!(
            status.get_untracked(),
            Status::Closed(Error::Unsupported.to_string())
        );
        assert!(lines.get_untracked().is_empty());
    });
}
