//! `test-server [--port PORT]`: the loopback server of the browser suite (default port 9001).

use tokio::net::TcpListener;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut port: u16 = 9001;
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().map(|v| v.parse())) {
            ("--port", Some(Ok(p))) => port = p,
            _ => {
                eprintln!("usage: test-server [--port PORT]");
                std::process::exit(2);
            }
        }
    }
    let listener = match TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("test-server: cannot bind 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("test-server listening on ws://{addr}"),
        Err(e) => eprintln!("test-server: {e}"),
    }
    test_server::serve(listener).await;
}
