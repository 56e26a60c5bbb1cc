//! A [`ReconnectingSocket`]: messages sent while disconnected wait in its queue; the state panel
//! shows each attempt and the delay before the next.

use std::rc::Rc;
use std::time::Duration;

use futures::channel::mpsc::UnboundedReceiver;
use futures::{select, StreamExt};
use wasm_websocket::{
    Backoff, Message, ReconnectEvent, ReconnectStatus, ReconnectingSocket, Untyped, WebSocket,
};

use crate::connection::close;
use crate::ui::{Kind, Settings, Ui};
use crate::{image, Command};

pub async fn run(ui: &Rc<Ui>, settings: Settings, commands: &mut UnboundedReceiver<Command>) {
    ui.connecting(&settings);
    let Settings {
        url,
        protocols,
        binary_type,
        ..
    } = settings;
    // A demo wants to show retries, not wait for them: 250 ms doubling up to 5 s.
    let backoff = Backoff::new(Duration::from_millis(250), 2.0, Duration::from_secs(5));
    let started = ReconnectingSocket::builder(move || {
        WebSocket::builder(url.as_str())
            .protocols(&protocols)
            .binary_type(binary_type)
    })
    .backoff(backoff)
    .start();
    let socket = match started {
        Ok(socket) => socket,
        Err(error) => {
            ui.form_error(&error);
            ui.log(Kind::Error, "failed", &error.to_string());
            return ui.finished();
        }
    };
    // One stream, in order: the statuses, the closes, and the messages and errors between them.
    let mut events = socket.events(Untyped);
    loop {
        select! {
            event = events.next() => match event {
                Some(ReconnectEvent::Status(ReconnectStatus::Connecting { attempt })) => {
                    ui.set_state("connecting");
                    ui.set_attempts(&format!("attempt {attempt}"));
                }
                Some(ReconnectEvent::Status(ReconnectStatus::Open)) => {
                    ui.opened(false);
                    ui.set_state("open");
                    ui.log(Kind::Open, "open", "");
                }
                Some(ReconnectEvent::Disconnected { close, by }) => {
                    ui.set_state("disconnected");
                    ui.log(Kind::Close, "disconnected", &format!("{close} ({by:?})"));
                }
                Some(ReconnectEvent::Status(ReconnectStatus::Waiting { attempt, delay })) => {
                    let text = format!("attempt {attempt} in {} ms", delay.as_millis());
                    ui.set_attempts(&text);
                    ui.log(Kind::Note, "retry", &text);
                }
                Some(ReconnectEvent::Status(ReconnectStatus::GaveUp(reason))) => {
                    ui.log(Kind::Note, "stopped", &reason.to_string());
                    break;
                }
                Some(ReconnectEvent::Message(message)) => {
                    ui.received(&message);
                    image::show_if_image(ui, message);
                }
                Some(ReconnectEvent::Error(error)) => {
                    ui.log(Kind::Error, "error", &error.to_string());
                }
                None => break,
                // Idle, offline, a lag, and events added later are not shown.
                Some(_) => {}
            },
            command = commands.next() => {
                let socket = events.socket();
                let message = match command {
                    Some(Command::Close) => {
                        close(ui, |code, reason| socket.close_with(code, reason));
                        continue;
                    }
                    Some(Command::SendText) => Message::Text(ui.text()),
                    Some(Command::SendFile(file)) => Message::Blob(file.into()),
                    Some(Command::Throttle) => {
                        ui.log(Kind::Note, "throttle", "needs a plain connection: turn reconnect off");
                        continue;
                    }
                    Some(Command::Connect) => continue,
                    None => break,
                };
                // Sent now, or queued until the next connection opens.
                match socket.try_send(message.clone()) {
                    Ok(()) => ui.sent(&message),
                    Err(error) => ui.log(Kind::Error, "not sent", &error.to_string()),
                }
            },
        }
    }
    ui.finished();
}
