//! The `goalpost` binary: parse the command line, dispatch, and turn any
//! error into one `error:` line (one per bad line of a file, then a sum)
//! and an exit code (1 for runtime and data
//! errors, 2 for usage, 3 when `--fail-on` matched). A closed pipe ends
//! quietly.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;
use goalpost::cli::Cli;
use goalpost::error::Error;

fn main() -> ExitCode {
    // A panic is a bug; still, the user sees one `error:` line, no backtrace.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error{place}: {}; this is a bug in goalpost, please report it",
            one_line(&message)
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        goalpost::cmd::run(cli, &mut out).and_then(|()| {
            out.flush().map_err(|source| Error::Io {
                path: "<stdout>".into(),
                source,
            })
        })
    }));
    // the hook has said what went wrong; an open transaction was rolled back
    let Ok(result) = run else {
        return ExitCode::from(1);
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Io { source, .. }) if source.kind() == ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e @ Error::Matched(_)) => {
            eprintln!("goalpost: {}", one_line(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
        Err(e) => {
            for line in e.lines() {
                eprintln!("error: {}", one_line(&line));
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// The message on one line: line breaks and other control characters in
/// the offending values it quotes are escaped (`\n`), never printed.
fn one_line(message: &str) -> String {
    message
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The system's allocator for short commands, mimalloc for those that read
/// or write a whole portfolio (see goalpost::alloc).
#[global_allocator]
static GLOBAL: goalpost::alloc::Alloc = goalpost::alloc::Alloc;
