//! One socket for several components: a provider puts the hook's socket into the Dioxus
//! context, and each component below reads it and adds its own message callback.

use std::cell::RefCell;
use std::rc::Rc;

use dioxus::core::{use_drop, use_hook};
use dioxus::hooks::{try_use_context, use_context_provider};
use wasm_websocket::view::ViewCodec;
use wasm_websocket::Codec;

use crate::{use_websocket_with, UseWebSocket, UseWebSocketOptions};

/// Connects as [`use_websocket_with`] does and puts the socket into the context, for every
/// component below to share through [`use_websocket_context`]. Returns it too.
///
/// ```no_run
/// use dioxus::prelude::*;
/// use wasm_websocket_dioxus::{use_websocket_provider, UseWebSocketOptions};
/// #[component]
/// fn App() -> Element {
///     use_websocket_provider(UseWebSocketOptions::new("wss://example.com/feed"));
///     rsx! { Ticker {} Ticker {} }
/// }
/// # #[component] fn Ticker() -> Element { rsx! {} }
/// ```
pub fn use_websocket_provider<C: ViewCodec>(
    options: UseWebSocketOptions<C>,
) -> UseWebSocket<C::Incoming, C::Outgoing> {
    let socket = use_websocket_with(options);
    let shared = socket.clone();
    use_context_provider(move || shared);
    socket
}

/// The socket a [`use_websocket_provider`] above shares, made with codec `C` (named by its
/// type: `Untyped`, `Json<Line>`, …), or `None` if there is none. The component renders again
/// whenever the socket's state or messages change (at most once per frame).
///
/// ```no_run
/// use dioxus::prelude::*;
/// #[component]
/// fn Ticker() -> Element {
///     let ws = wasm_websocket_dioxus::use_websocket_context::<wasm_websocket::Untyped>();
///     let count = ws.map_or(0, |ws| ws.received());
///     rsx! { p { "{count}" } }
/// }
/// ```
pub fn use_websocket_context<C: Codec>() -> Option<UseWebSocket<C::Incoming, C::Outgoing>>
where
    C::Incoming: Clone + 'static,
    C::Outgoing: 'static,
{
    let socket = try_use_context::<UseWebSocket<C::Incoming, C::Outgoing>>()?;
    socket.track();
    Some(socket)
}

/// What a component's message callback is now: the latest render's.
type LatestCallback<Rx> = Rc<RefCell<Rc<dyn Fn(&Rx)>>>;

/// Calls `callback` (the one of the latest render) with every message `socket` receives while
/// this component is mounted, in order: for components that share one socket, each with a
/// callback of its own.
///
/// ```no_run
/// use dioxus::prelude::*;
/// #[component]
/// fn Log() -> Element {
///     let ws = wasm_websocket_dioxus::use_websocket_context::<wasm_websocket::Untyped>().expect("a provider above");
///     wasm_websocket_dioxus::use_on_message(&ws, |m| web_sys::console::log_1(&format!("{m:?}").into()));
///     rsx! {}
/// }
/// ```
pub fn use_on_message<Rx: Clone + 'static, Tx: 'static>(
    socket: &UseWebSocket<Rx, Tx>,
    callback: impl Fn(&Rx) + 'static,
) {
    let latest: LatestCallback<Rx> = use_hook(|| {
        let none: Rc<dyn Fn(&Rx)> = Rc::new(|_| {});
        Rc::new(RefCell::new(none))
    });
    if let Ok(mut now) = latest.try_borrow_mut() {
        *now = Rc::new(callback);
    }
    let listening = use_hook(|| {
        let latest = latest.clone();
        let id = socket.listen(move |value| {
            if let Ok(callback) = latest.try_borrow().map(|c| c.clone()) {
                callback(value);
            }
        });
        Rc::new((socket.clone(), id))
    });
    use_drop(move || listening.0.unlisten(listening.1));
}

/// Keeps the subscription `value` (made once, at the first render) on `socket` while this
/// component is mounted: sent now, or on the next connection, and again first on every later
/// connection, after the handshake (see
/// [`ViewHandle::subscribe`](wasm_websocket::view::ViewHandle::subscribe)); a refusal shows as
/// the socket's last error.
///
/// ```no_run
/// use dioxus::prelude::*;
/// #[component]
/// fn Prices() -> Element {
///     let ws = wasm_websocket_dioxus::use_websocket_context::<wasm_websocket::Untyped>().expect("a provider above");
///     wasm_websocket_dioxus::use_subscription(&ws, || "subscribe prices".into());
///     rsx! {}
/// }
/// ```
pub fn use_subscription<Rx: Clone + 'static, Tx: 'static>(
    socket: &UseWebSocket<Rx, Tx>,
    value: impl FnOnce() -> Tx,
) {
    let kept = use_hook(|| Rc::new(RefCell::new(socket.subscription(value()))));
    use_drop(move || drop(kept.take()));
}
