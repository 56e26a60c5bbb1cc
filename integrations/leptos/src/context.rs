//! One socket for several components: a provider puts the hook's handle into the context, and
//! each component below reads it and adds its own message callback.

use leptos::prelude::*;
use wasm_websocket::view::ViewCodec;
use wasm_websocket::Codec;

use crate::{use_websocket_with, UseWebSocket, UseWebSocketOptions};

/// Connects as [`use_websocket_with`] does and puts the handle into the context, for every
/// component below to share through [`use_websocket_context`]. Returns the handle too.
///
/// ```no_run
/// use leptos::prelude::*;
/// use wasm_websocket_leptos::{provide_websocket, UseWebSocketOptions};
/// #[component]
/// fn App() -> impl IntoView {
///     provide_websocket(UseWebSocketOptions::new("/feed"));
///     view! { <Ticker/><Ticker/> }
/// }
/// # #[component] fn Ticker() -> impl IntoView {}
/// ```
pub fn provide_websocket<C: ViewCodec>(
    options: UseWebSocketOptions<C>,
) -> UseWebSocket<C::Incoming, C::Outgoing> {
    let socket = use_websocket_with(options);
    provide_context(socket);
    socket
}

/// The socket a [`provide_websocket`] (or [`WebSocketProvider`]) above provided with codec `C`
/// (named by its type: `Untyped`, `Json<Line>`, …), or `None` if there is none. Add a callback of
/// this component's own with [`UseWebSocket::on_message`].
///
/// ```no_run
/// use leptos::prelude::*;
/// use wasm_websocket::Untyped;
/// #[component]
/// fn Ticker() -> impl IntoView {
///     let ws = wasm_websocket_leptos::use_websocket_context::<Untyped>().expect("a provider above");
///     view! { <p>{move || ws.received.get()}</p> }
/// }
/// ```
pub fn use_websocket_context<C: Codec>() -> Option<UseWebSocket<C::Incoming, C::Outgoing>>
where
    C::Incoming: 'static,
    C::Outgoing: 'static,
{
    use_context::<UseWebSocket<C::Incoming, C::Outgoing>>()
}

/// Shares one socket with its children: [`provide_websocket`] as a component.
///
/// ```no_run
/// use leptos::prelude::*;
/// use wasm_websocket_leptos::{UseWebSocketOptions, WebSocketProvider};
/// #[component]
/// fn App() -> impl IntoView {
///     view! { <WebSocketProvider options=UseWebSocketOptions::new("/feed")><Ticker/></WebSocketProvider> }
/// }
/// # #[component] fn Ticker() -> impl IntoView {}
/// ```
#[component]
pub fn WebSocketProvider<C: ViewCodec>(
    /// How to connect.
    options: UseWebSocketOptions<C>,
    children: Children,
) -> impl IntoView {
    provide_websocket(options);
    children()
}
