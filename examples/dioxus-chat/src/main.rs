use dioxus::prelude::*;
use dioxus_chat::{chat_url, App};

fn main() {
    console_error_panic_hook::set_once();
    // Mounts on `<div id="main">` (index.html).
    dioxus::launch(Page);
}

/// The page: the app with this page's chat URL and a name chosen once.
#[component]
fn Page() -> Element {
    let url = use_hook(chat_url);
    let name = use_hook(|| format!("dioxus-{}", (js_sys::Math::random() * 1000.0) as u32));
    rsx! { App { url, name } }
}
