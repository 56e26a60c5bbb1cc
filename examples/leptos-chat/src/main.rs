use leptos_chat::{chat_url, App};

fn main() {
    console_error_panic_hook::set_once();
    let name = format!("leptos-{}", (js_sys::Math::random() * 1000.0) as u32);
    leptos::mount::mount_to_body(move || leptos::view! { <App url=chat_url() name=name /> });
}
