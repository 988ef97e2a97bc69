//! `goalpost completions SHELL`: a completion script for the shell
//! (clap_complete), written to standard output.

use std::io::Write;

use crate::cli::CompletionsArgs;
use crate::error::{Error, Result};

pub fn run(a: CompletionsArgs, out: &mut dyn Write) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(
        a.shell,
        &mut crate::cli::whole_command(),
        "goalpost",
        &mut script,
    );
    out.write_all(&script).map_err(|source| Error::Io {
        path: "<stdout>".into(),
        source,
    })
}
