//! The `goalpost` binary: parse the command line, dispatch, and turn any
//! error into one `error:` line and an exit code (1 for runtime and data
//! errors, 2 for usage). A closed pipe ends quietly.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;
use goalpost::cli::Cli;
use goalpost::error::Error;

fn main() -> ExitCode {
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
    let result = goalpost::cmd::run(cli, &mut out).and_then(|()| {
        out.flush().map_err(|source| Error::Io {
            path: "<stdout>".into(),
            source,
        })
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Io { source, .. }) if source.kind() == ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
