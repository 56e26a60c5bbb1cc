fn main() {
    yew::Renderer::<yew_chat::App>::new().render();
}
