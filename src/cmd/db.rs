//! `goalpost db check|backup`.

use std::io::Write;

use super::{Ctx, write_out};
use crate::cli::DbCommand;
use crate::error::{Error, Result};

pub fn run(ctx: &Ctx, command: DbCommand, out: &mut dyn Write) -> Result<()> {
    let mut store = ctx.open()?;
    match command {
        DbCommand::Check => {
            let problems = store.check()?;
            if problems.is_empty() {
                write_out(out, &format!("{}: ok\n", store.path().display()))
            } else {
                for p in &problems {
                    write_out(out, &format!("{p}\n"))?;
                }
                Err(Error::Database {
                    path: store.path().to_path_buf(),
                    message: format!("{} problem(s) found", problems.len()),
                })
            }
        }
        DbCommand::Backup(b) => {
            store.backup(&b.file)?;
            write_out(out, &format!("backed up to {}\n", b.file.display()))
        }
    }
}
