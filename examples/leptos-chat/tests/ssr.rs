//! Server-side rendering, as a Leptos SSR app would do it: built for the native target, the app
//! renders to HTML without panicking and without connecting (the hook connects in an effect,
//! which runs in browsers only).

use leptos::prelude::*;
use leptos_chat::App;

#[test]
fn the_app_renders_on_the_server_and_shows_it_is_connecting() {
    let owner = Owner::new();
    let html = owner.with(|| {
        view! { <App url="ws://127.0.0.1:9001/chat".to_owned() name="server".to_owned() /> }
            .to_html()
    });
    assert!(html.contains("Leptos chat"), "{html}");
    assert!(html.contains("connecting (attempt 1)"), "{html}");
    assert!(html.contains("id=\"lines\""), "{html}");
}
