//! One socket for several components: a provider puts the hook's handle into a Yew context, and
//! each component below reads it and adds its own message callback.

use wasm_websocket::view::SocketView;
use wasm_websocket::Codec;
use yew::prelude::*;

use crate::UseWebSocketHandle;

/// The props of [`WebSocketProvider`].
///
/// ```no_run
/// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
/// let props = wasm_websocket_yew::WebSocketProviderProps { socket: ws, children: yew::html! {} };
/// # }
/// ```
#[derive(Properties)]
pub struct WebSocketProviderProps<Rx: Clone + 'static, Tx: 'static = Rx> {
    /// The socket to share, from [`use_websocket_with`](crate::use_websocket_with).
    pub socket: UseWebSocketHandle<Rx, Tx>,
    /// The components that share it.
    #[prop_or_default]
    pub children: Html,
}

impl<Rx: Clone, Tx> PartialEq for WebSocketProviderProps<Rx, Tx> {
    fn eq(&self, other: &Self) -> bool {
        self.socket == other.socket && self.children == other.children
    }
}

/// Shares one socket with the components below it, which read it with
/// [`use_websocket_context`] and add callbacks of their own with
/// [`use_on_message`](crate::use_on_message).
///
/// ```no_run
/// use wasm_websocket::{Message, Untyped};
/// use wasm_websocket_yew::{use_websocket, use_websocket_context, WebSocketProvider};
/// use yew::prelude::*;
///
/// #[function_component]
/// fn App() -> Html {
///     let ws = use_websocket("/feed");
///     html! { <WebSocketProvider<Message> socket={ws}><Ticker/><Ticker/></WebSocketProvider<Message>> }
/// }
///
/// #[function_component]
/// fn Ticker() -> Html {
///     let ws = use_websocket_context::<Untyped>().expect("a provider above");
///     html! { <p>{ ws.received() }</p> }
/// }
/// ```
#[function_component]
pub fn WebSocketProvider<Rx: Clone + 'static, Tx: 'static = Rx>(
    props: &WebSocketProviderProps<Rx, Tx>,
) -> Html {
    html! {
        <ContextProvider<UseWebSocketHandle<Rx, Tx>> context={props.socket.clone()}>
            { props.children.clone() }
        </ContextProvider<UseWebSocketHandle<Rx, Tx>>>
    }
}

/// The socket a [`WebSocketProvider`] above shares, made with codec `C` (named by its type:
/// `Untyped`, `Json<Line>`, …), or `None` if there is none. The component renders again whenever
/// the socket's state or messages change.
///
/// ```no_run
/// # use yew::prelude::*;
/// #[function_component]
/// fn Ticker() -> Html {
///     let ws = wasm_websocket_yew::use_websocket_context::<wasm_websocket::Untyped>();
///     html! { <p>{ ws.map_or(0, |ws| ws.received()) }</p> }
/// }
/// ```
#[hook]
pub fn use_websocket_context<C: Codec>() -> Option<UseWebSocketHandle<C::Incoming, C::Outgoing>>
where
    C::Incoming: Clone + 'static,
    C::Outgoing: 'static,
{
    use_context::<UseWebSocketHandle<C::Incoming, C::Outgoing>>()
}

/// Calls `callback` (the one of the latest render) with every message the socket receives
/// while this component is mounted, in order: for components that share one socket, each with a
/// callback of its own.
///
/// ```no_run
/// # use yew::prelude::*;
/// # fn f(ws: &wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {}
/// #[function_component]
/// fn Log() -> Html {
///     let ws = wasm_websocket_yew::use_websocket_context::<wasm_websocket::Untyped>().expect("a provider");
///     wasm_websocket_yew::use_on_message(&ws, Callback::from(|m| web_sys::console::log_1(&format!("{m:?}").into())));
///     html! {}
/// }
/// ```
#[hook]
pub fn use_on_message<Rx: Clone + 'static, Tx: 'static>(
    socket: &UseWebSocketHandle<Rx, Tx>,
    callback: Callback<Rx>,
) {
    let latest = use_mut_ref(|| callback.clone());
    *latest.borrow_mut() = callback;
    let view: SocketView<Rx, Tx> = (**socket).clone();
    // Added again if the socket changes.
    use_effect_with(SameView(view), move |SameView(view)| {
        let id = view.listen(move |value: &Rx| {
            if let Ok(callback) = latest.try_borrow().map(|c| c.clone()) {
                callback.emit(value.clone());
            }
        });
        let view = view.clone();
        move || view.unlisten(id)
    });
}

/// Keeps the subscription `value` on `socket` while this component is mounted: sent now, or on
/// the next connection, and again first on every later connection, after the handshake (see
/// [`ViewHandle::subscribe`](wasm_websocket::view::ViewHandle::subscribe)); a new `value`
/// replaces it. A refusal shows as the socket's last error.
///
/// ```no_run
/// # use yew::prelude::*;
/// #[function_component]
/// fn Prices() -> Html {
///     let ws = wasm_websocket_yew::use_websocket_context::<wasm_websocket::Untyped>().expect("a provider");
///     wasm_websocket_yew::use_subscription(&ws, "subscribe prices".into());
///     html! {}
/// }
/// ```
#[hook]
pub fn use_subscription<Rx: Clone + 'static, Tx: Clone + PartialEq + 'static>(
    socket: &UseWebSocketHandle<Rx, Tx>,
    value: Tx,
) {
    let view: SocketView<Rx, Tx> = (**socket).clone();
    use_effect_with((SameView(view), value), |(SameView(view), value)| {
        let subscription = view.subscription(value.clone());
        move || drop(subscription)
    });
}

/// A view compared by which one it is, not by what it shows.
struct SameView<Rx: 'static, Tx: 'static>(SocketView<Rx, Tx>);

impl<Rx, Tx> PartialEq for SameView<Rx, Tx> {
    fn eq(&self, other: &Self) -> bool {
        self.0.same(&other.0)
    }
}
