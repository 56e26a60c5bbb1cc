//! The hooks: one socket view per mounted component and URL, rendered again once per frame.

use std::ops::Deref;

use wasm_websocket::view::{SocketView, ViewCodec, ViewRun};
use wasm_websocket::Message;
use yew::prelude::*;

use crate::UseWebSocketOptions;

/// The socket as a component sees it: state to render and a handle to send through, to clone
/// into callbacks. It dereferences to the core's
/// [`SocketView`](wasm_websocket::view::SocketView): `status()`, `messages()`, `received()`,
/// `last_error()`, `send()`, `open()`, `close()`, `reconnect()` and the rest are documented
/// there. `Rx` is what it receives, `Tx` what it sends (the codec's `Incoming` and
/// `Outgoing`). The getters read the socket's state as of the latest event; the component
/// renders again at most once per frame while events come.
///
/// ```no_run
/// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
/// let line = format!("{} ({} messages)", ws.status(), ws.received());
/// # }
/// ```
pub struct UseWebSocketHandle<Rx: Clone + 'static, Tx: 'static = Rx> {
    view: SocketView<Rx, Tx>,
    /// The view's version when this handle was made: the view is shared, so two handles are
    /// told apart by this.
    version: u64,
}

impl<Rx: Clone, Tx> Clone for UseWebSocketHandle<Rx, Tx> {
    fn clone(&self) -> Self {
        UseWebSocketHandle {
            view: self.view.clone(),
            version: self.version,
        }
    }
}

/// Equal while nothing changed that a render shows: a context of it updates its consumers once
/// per change.
impl<Rx: Clone, Tx> PartialEq for UseWebSocketHandle<Rx, Tx> {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && self.view.same(&other.view)
    }
}

impl<Rx: Clone, Tx> std::fmt::Debug for UseWebSocketHandle<Rx, Tx> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UseWebSocketHandle")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl<Rx: Clone, Tx> Deref for UseWebSocketHandle<Rx, Tx> {
    type Target = SocketView<Rx, Tx>;

    fn deref(&self) -> &SocketView<Rx, Tx> {
        &self.view
    }
}

/// Connects to `url` while the component is mounted, with the core's default reconnection, and
/// keeps the last 100 messages. See [`use_websocket_with`] for the options.
///
/// ```no_run
/// # use yew::prelude::*;
/// #[function_component]
/// fn Ticker() -> Html {
///     let ws = wasm_websocket_yew::use_websocket("/ticks");
///     html! { <p>{ ws.received() }{ " ticks" }</p> }
/// }
/// ```
#[hook]
pub fn use_websocket(url: &str) -> UseWebSocketHandle<Message> {
    use_websocket_with(UseWebSocketOptions::new(url.to_owned()))
}

/// Connects as `options` say while the component is mounted. The connection opens after the
/// first render; a new URL closes the old connection (1000) and opens a new one, starting the
/// state over; unmounting closes with 1000 and removes every listener and timer. The callbacks
/// and the socket builder are the latest render's.
///
/// ```no_run
/// # use yew::prelude::*;
/// use wasm_websocket::Json;
/// use wasm_websocket_yew::{use_websocket_with, UseWebSocketOptions};
///
/// #[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Line { from: String, text: String }
///
/// #[function_component]
/// fn Chat() -> Html {
///     let chat = use_websocket_with(UseWebSocketOptions::typed("/chat", Json::<Line>::new()).history(500));
///     html! { <div>{ for chat.messages().iter().map(|l| html! { <p key={l.seq}>{ &l.from }{ ": " }{ &l.text }</p> }) }</div> }
/// }
/// ```
#[hook]
pub fn use_websocket_with<C: ViewCodec>(
    options: UseWebSocketOptions<C>,
) -> UseWebSocketHandle<C::Incoming, C::Outgoing> {
    let render = use_force_update();
    let enabled = *options.is_enabled();
    let view = (*use_memo((), |_| {
        SocketView::new(&options, enabled, move |_| render.force_update())
    }))
    .clone();
    view.follow(&options);
    {
        let view = view.clone();
        use_effect_with(options.url().clone(), move |url| {
            // As `enabled` is now: the effect below follows its later changes.
            let running: ViewRun = view.start(url, &options, enabled);
            move || drop(running)
        });
    }
    {
        let view = view.clone();
        // Runs after the effect above (which it then agrees with), and whenever `enabled` changes.
        use_effect_with(enabled, move |&enabled| view.set_enabled(enabled));
    }
    let version = view.version();
    UseWebSocketHandle { view, version }
}
