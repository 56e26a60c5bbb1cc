fn main() {
    console_error_panic_hook::set_once();
    yew::Renderer::<yew_chat::App>::new().render();
}
